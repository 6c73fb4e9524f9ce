import { ShapeError } from '../errors.ts';
import { GraphBuilder } from '../builder.ts';
import { cloneGraph, Emitter } from '../emit.ts';
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
  // Reverse mode as for a scan without xs and ys (a scan's VJP is a reverse scan over the saved
  // states): the graph does not grow with the trip count, and memory holds one state per trip.
  vjp: (ctx, { inputs, attrs: { trips, carried }, regions: [body], cts }) => {
    const b = new GraphBuilder();
    const args = inputs.map((v) => b.input(v.type));
    const results = new Emitter(b).op('scan', args, { length: trips, carried, scanned: 0, reverse: false }, [cloneGraph(body)]);
    return ctx.vjp(b.build(results, 'loop_as_scan'), inputs, cts);
  },
};
