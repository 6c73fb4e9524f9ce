import { GraphBuilder } from '../builder.ts';
import { Emitter, inlineGraph } from '../emit.ts';
import { ShapeError } from '../errors.ts';
import type { Graph } from '../graph.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, sameType } from '../shape.ts';
import { batchWhileLoop } from './while-batch.ts';

/**
 * while_loop (lax.while_loop with a bound): operands are the state (the first `carried`) and
 * then constants; the `cond` region maps (state..., constants...) to a bool[] and the `body`
 * region to the next state. Semantics: k = 0; while k < max_trips and cond(s): s = body(s),
 * k = k + 1; the results are s. `check_every` changes no value: on WebGPU the runtime records
 * chunks of that many trips into one submission and reads the convergence flag back between
 * chunks (passes/guard-while.ts explains why the result is exact at the converged trip).
 */
export const while_loop: OpDef<'while_loop'> = {
  name: 'while_loop',
  arity: 'variadic',
  attrs: { max_trips: 'int', check_every: 'int', carried: 'int' },
  regions: ['cond', 'body'],
  infer(inputs, { max_trips, check_every, carried }, [cond, body]) {
    const operands = inputs.map(formatType);
    const fail = (why: string) => new ShapeError('while_loop', why, operands);
    if (!Number.isInteger(max_trips) || max_trips < 0) throw fail(`max_trips must be a non-negative integer, got ${max_trips}`);
    if (!Number.isInteger(check_every) || check_every < 1) throw fail(`check_every must be a positive integer, got ${check_every}`);
    if (!Number.isInteger(carried) || carried < 1 || carried > inputs.length)
      throw fail(`carried must be between 1 and the operand count, got ${carried}`);
    if (!cond || !body) throw fail('needs cond and body regions');
    for (const [name, g] of [['cond', cond], ['body', body]] as const) {
      if (g.inputs.length !== inputs.length) throw fail(`${name} takes ${g.inputs.length} values, while_loop passes ${inputs.length}`);
      g.inputs.forEach((v, i) => {
        if (!sameType(v.type, inputs[i])) throw fail(`${name} input ${i} is ${formatType(v.type)}, operand is ${operands[i]}`);
      });
    }
    if (cond.outputs.length !== 1 || cond.outputs[0].type.dtype !== 'bool' || cond.outputs[0].type.shape.length !== 0)
      throw fail(`cond must yield one bool[], yields (${cond.outputs.map((v) => formatType(v.type)).join(', ')})`);
    if (body.outputs.length !== carried) throw fail(`body yields ${body.outputs.length} values, ${carried} are carried`);
    body.outputs.forEach((v, i) => {
      if (!sameType(v.type, inputs[i])) throw fail(`body yields ${formatType(v.type)} for carried value ${i} of type ${operands[i]}`);
    });
    return inputs.slice(0, carried);
  },
  evalRef(inputs, { max_trips, carried }, ctx, [cond, body]) {
    let state = inputs.slice(0, carried);
    const constants = inputs.slice(carried);
    for (let k = 0; k < max_trips && ctx.evalGraph(cond, [...state, ...constants])[0].data[0]; k++)
      state = ctx.evalGraph(body, [...state, ...constants]);
    return state;
  },
  // Rewritten by passes/guard-while.ts into a loop on a carried flag, run by the executor.
  kernel: { kind: 'control' },
  batch: batchWhileLoop,
  // Once cond is false, g(s) = cond(s) ? body(s) : s leaves the state alone, so the loop is g
  // applied max_trips times: a scan, differentiated as one (reverse over the saved states). The
  // cotangent is exact for the trips the loop took; the backward pass runs max_trips steps.
  vjp: (ctx, { inputs, attrs: { max_trips, carried }, regions: [cond, body], cts }) => {
    const b = new GraphBuilder();
    const args = inputs.map((v) => b.input(v.type));
    const guarded = guardedBody(cond, body, carried);
    const results = new Emitter(b).op('scan', args, { length: max_trips, carried, scanned: 0, reverse: false }, [guarded]);
    return ctx.vjp(b.build(results, 'while_as_scan'), inputs, cts);
  },
};

/** (state..., constants...) → cond(s) ? body(s) : s, per carried value: a trip that stops itself. */
export function guardedBody(cond: Graph, body: Graph, carried: number): Graph {
  const b = new GraphBuilder();
  const e = new Emitter(b);
  const args = body.inputs.map((v) => b.input(v.type));
  const [go] = inlineGraph(b, cond, args);
  const next = inlineGraph(b, body, args);
  return b.build(next.map((v, i) => e.select(go, v, args[i])), 'body');
}
