import type { BatchRule } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';

/**
 * loop: the body runs on the whole batch. A carried value is batched (at axis 0) when its initial
 * value is, or when some iteration makes it so (the body mixes a batched value into it); that set
 * is found as a fixed point by batching the body until no state joins it (at most once per state).
 * Unbatched initial values of batched states are broadcast to B copies.
 */
export const batchLoop: BatchRule<OpAttrs['loop']> = (ctx, { inputs, attrs: { trips, carried }, regions: [body] }) => {
  const invariantAxes = inputs.slice(carried).map((x) => (x.axis === undefined ? undefined : 0));
  let batched = inputs.slice(0, carried).map((x) => x.axis !== undefined);
  const axesOf = (flags: readonly boolean[]) => flags.map((b) => (b ? 0 : undefined));
  for (;;) {
    const { outAxes } = ctx.batch(body, [...axesOf(batched), ...invariantAxes]);
    const grown = batched.map((b, i) => b || outAxes[i] !== undefined);
    if (grown.every((b, i) => b === batched[i])) break;
    batched = grown;
  }
  const stateAxes = axesOf(batched);
  const { graph } = ctx.batch(body, [...stateAxes, ...invariantAxes], stateAxes);
  const operands = inputs.map((x, i) => (i < carried && batched[i] ? ctx.materialize(x) : ctx.front(x)));
  const results = ctx.e.op('loop', operands, { trips, carried }, [graph]);
  return results.map((value, i) => ({ value, axis: stateAxes[i] }));
};

/**
 * custom_vjp: every operand is batched (broadcast where it was not), and both regions are batched
 * with all inputs and outputs at axis 0. Then bwd receives per-example operands, results and
 * cotangents and returns per-example cotangents; the cotangent of a broadcast operand is summed
 * over the batch by the broadcast's own VJP.
 */
export const batchCustomVjp: BatchRule<OpAttrs['custom_vjp']> = (ctx, { inputs, regions: [fwd, bwd] }) => {
  const allAtFront = (n: number) => Array<number>(n).fill(0);
  const batchRegion = (g: typeof fwd) => ctx.batch(g, allAtFront(g.inputs.length), allAtFront(g.outputs.length)).graph;
  const results = ctx.e.op('custom_vjp', inputs.map((x) => ctx.materialize(x)), {}, [batchRegion(fwd), batchRegion(bwd)]);
  return results.map((value) => ({ value, axis: 0 }));
};
