import type { BatchRule } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';

/**
 * scan under vmap: the body runs on the whole batch. A batched xs gets its batch axis at 1 (axis
 * 0 is time), so its per-step slice is batched at 0. As for loop, a carried value is batched when
 * its initial value is or when some step makes it so, found as a fixed point; its unbatched
 * initial value is then broadcast. A stacked y is batched one axis after the body's y.
 */
export const batchScan: BatchRule<OpAttrs['scan']> = (ctx, { inputs, attrs, regions: [body] }) => {
  const { carried, scanned } = attrs;
  const restAxes = inputs.slice(carried).map((x) => (x.axis === undefined ? undefined : 0));
  let batched = inputs.slice(0, carried).map((x) => x.axis !== undefined);
  const axesOf = (flags: readonly boolean[]) => flags.map((b) => (b ? 0 : undefined));
  for (;;) {
    const { outAxes } = ctx.batch(body, [...axesOf(batched), ...restAxes]);
    const grown = batched.map((b, i) => b || outAxes[i] !== undefined);
    if (grown.every((b, i) => b === batched[i])) break;
    batched = grown;
  }
  const carryAxes = axesOf(batched);
  const yCount = body.outputs.length - carried;
  const { graph, outAxes } = ctx.batch(body, [...carryAxes, ...restAxes], [...carryAxes, ...Array<undefined>(yCount).fill(undefined)]);
  const operands = inputs.map((x, i) => {
    if (i < carried) return batched[i] ? ctx.materialize(x) : x.value;
    if (i < carried + scanned && x.axis !== undefined) return ctx.e.moveAxis(x.value, x.axis, 1);
    return ctx.front(x);
  });
  const results = ctx.e.op('scan', operands, attrs, [graph]);
  return results.map((value, i) => {
    if (i < carried) return { value, axis: carryAxes[i] };
    const axis = outAxes[i];
    return { value, axis: axis === undefined ? undefined : axis + 1 };
  });
};
