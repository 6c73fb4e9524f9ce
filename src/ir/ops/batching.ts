import type { Value } from '../graph.ts';
import type { BatchContext, BatchedValue, BatchRule } from '../op-def.ts';
import type { OpAttrs, OpName } from '../op-attrs.ts';

/** Small pieces that keep the batching rules of the registry one-liners. */

export const batchedAt = (value: Value, axis: number | undefined): BatchedValue => ({ value, axis });

/** Per-example axes, renumbered past a leading batch axis. */
export const shifted = (axes: readonly number[]): number[] => axes.map((a) => a + 1);

/**
 * The rule of an op that maps one operand to a result of the same shape (unary math, cast): the
 * batch axis stays where it is.
 */
export const batchAxisKept =
  <K extends OpName>(op: K): BatchRule<OpAttrs[K]> =>
  ({ e }, { inputs: [x], attrs }) => [batchedAt(e.op1(op, [x.value], attrs), x.axis)];

/**
 * The rule of an op with one operand whose batch axis becomes a new leading axis: the operand
 * goes to the front and `attrs` are rewritten for the extra axis.
 */
export const batchAtFront =
  <K extends OpName>(op: K, rewrite: (attrs: OpAttrs[K], ctx: BatchContext) => OpAttrs[K]): BatchRule<OpAttrs[K]> =>
  (ctx, { inputs: [x], attrs }) => [batchedAt(ctx.e.op1(op, [ctx.front(x)], rewrite(attrs, ctx)), 0)];

/**
 * Elementwise ops with NumPy broadcasting (right-aligned). Batched operands go to axis 0 and,
 * when their per-example rank is below the result's, gain 1s after the batch axis, so that
 * broadcasting still pairs elements of the same example: a per-example [3] against [2,3] is
 * [B,3] and becomes [B,1,3]. Unbatched operands align by themselves.
 */
export function batchElementwise<K extends OpName>(ctx: BatchContext, op: K, inputs: readonly BatchedValue[], attrs: OpAttrs[K]): BatchedValue[] {
  const rankOf = (x: BatchedValue) => x.value.type.shape.length - (x.axis === undefined ? 0 : 1);
  const rank = Math.max(...inputs.map(rankOf));
  const operands = inputs.map((x) => {
    if (x.axis === undefined) return x.value;
    const v = ctx.front(x);
    const [size, ...rest] = v.type.shape;
    return ctx.e.reshape(v, [size, ...Array<number>(rank - rest.length).fill(1), ...rest]);
  });
  return [batchedAt(ctx.e.op1(op, operands, attrs), 0)];
}

/** The rule of a source op (no operands): never batched, so it is emitted as it is. */
export const batchSource =
  <K extends OpName>(op: K): BatchRule<OpAttrs[K]> =>
  ({ e }, { attrs }) => [batchedAt(e.op1(op, [], attrs), undefined)];
