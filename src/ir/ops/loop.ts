import { ShapeError } from '../errors.ts';
import type { Value } from '../graph.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, sameType } from '../shape.ts';
import { batchLoop } from './control-batch.ts';

/**
 * loop: runs `body` `trips` times. Operands are the carried state (the first `carried`) and then
 * loop-invariant values; the body takes all of them and yields the next carried state; the
 * results are the final carried state. A step counter, when needed, is carried state too.
 */
export const loop: OpDef<'loop'> = {
  name: 'loop',
  arity: 'variadic',
  attrs: { trips: 'int', carried: 'int' },
  regions: ['body'],
  infer(inputs, { trips, carried }, [body]) {
    const operands = inputs.map(formatType);
    const fail = (why: string) => new ShapeError('loop', why, operands);
    if (!Number.isInteger(trips) || trips < 0) throw fail(`trips must be a non-negative integer, got ${trips}`);
    if (!Number.isInteger(carried) || carried < 1 || carried > inputs.length)
      throw fail(`carried must be between 1 and the operand count, got ${carried}`);
    if (!body) throw fail('missing body');
    if (body.inputs.length !== inputs.length) throw fail(`body takes ${body.inputs.length} values, loop passes ${inputs.length}`);
    body.inputs.forEach((v, i) => {
      if (!sameType(v.type, inputs[i])) throw fail(`body input ${i} is ${formatType(v.type)}, operand is ${operands[i]}`);
    });
    if (body.outputs.length !== carried) throw fail(`body yields ${body.outputs.length} values, ${carried} are carried`);
    body.outputs.forEach((v, i) => {
      if (!sameType(v.type, inputs[i]))
        throw fail(`body yields ${formatType(v.type)} for carried value ${i} of type ${operands[i]}`);
    });
    return inputs.slice(0, carried);
  },
  evalRef(inputs, { trips, carried }, ctx, [body]) {
    let state = inputs.slice(0, carried);
    const invariant = inputs.slice(carried);
    for (let t = 0; t < trips; t++) state = ctx.evalGraph(body, [...state, ...invariant]);
    return state;
  },
  kernel: { kind: 'control' },
  batch: batchLoop,
  // Reverse mode through the unrolled loop: the forward states are recomputed by inlining the
  // body `trips` times, then the body's VJP runs back from the last iteration. Memory and graph
  // size grow with `trips` (a scan with stored states would bound the graph; not yet built).
  vjp: (ctx, { inputs, attrs: { trips, carried }, regions: [body], cts }) => {
    const invariant = inputs.slice(carried);
    const states = [inputs.slice(0, carried)];
    for (let t = 0; t < trips; t++) states.push(ctx.inline(body, [...states[t], ...invariant]));
    let stateCts: (Value | undefined)[] = [...cts];
    let invariantCts: (Value | undefined)[] = invariant.map(() => undefined);
    for (let t = trips - 1; t >= 0; t--) {
      if (stateCts.every((c) => c === undefined)) break;
      const all = ctx.vjp(body, [...states[t], ...invariant], stateCts);
      stateCts = all.slice(0, carried);
      invariantCts = invariantCts.map((acc, i) => {
        const c = all[carried + i];
        return acc && c ? ctx.e.add(acc, c) : (acc ?? c);
      });
    }
    return [...stateCts, ...invariantCts];
  },
};
