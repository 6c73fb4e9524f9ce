import type { Emitter } from '../emit.ts';
import type { Value } from '../graph.ts';
import type { BatchContext, BatchRule } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';
import type { Dim } from '../shape.ts';
import { batchedAt } from './batching.ts';

/** Indices clamped into [0, size - 1], as gather clamps them. */
function clampIndices(e: Emitter, idx: Value, size: Dim): Value {
  const it = idx.type.dtype;
  const count = typeof size === 'number' ? e.scalar(size, it) : e.sum(e.full([size], 1, it), [0]);
  const clamped = e.binary('min', idx, e.sub(count, e.scalar(1, it)));
  return it === 'i32' ? e.binary('max', clamped, e.scalar(0, 'i32')) : clamped;
}

/**
 * gather of example b's indices from example b's array, for x: [B, ...pre, D, ...post] and
 * idx: [B, ...is] (both batched at 0). Result [B, ...pre, ...is, ...post].
 *
 * With B and D known, the gathered axis is moved next to the batch axis and flattened to B·D
 * rows; example b's clamped index i reads row b·D + i. A symbolic B·D is not a Dim, so then each
 * output element is selected from the D candidates along the gathered axis (a mask of clamped
 * index == position) and the rest summed away: exact (x + 0 = x; a -0 reads as +0), at the
 * cost of a D-times larger intermediate.
 */
function gatherPerExample(ctx: BatchContext, x: Value, idx: Value, axis: number): Value {
  const { e } = ctx;
  const [size, ...xs] = x.type.shape;
  const is = idx.type.shape.slice(1);
  const pre = xs.slice(0, axis);
  const post = xs.slice(axis + 1);
  const D = xs[axis];
  const it = idx.type.dtype;
  const clamped = clampIndices(e, idx, D);
  const np = pre.length;
  const ri = is.length;
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  if (typeof size === 'number' && typeof D === 'number') {
    const rows = e.reshape(e.moveAxis(x, axis + 1, 1), [size * D, ...pre, ...post]);
    const offsets = e.mul(e.op1('iota', [], { shape: idx.type.shape, dimension: 0, dtype: it }), e.scalar(D, it));
    const gathered = e.op1('gather', [rows, e.add(clamped, offsets)], { axis: 0 });
    // gathered: [B, ...is, ...pre, ...post] -> [B, ...pre, ...is, ...post].
    return e.transpose(gathered, [0, ...range(1 + ri, np), ...range(1, ri), ...range(1 + ri + np, post.length)]);
  }
  const spread = [size, ...pre, ...is, D, ...post];
  const gatheredAxis = 1 + np + ri;
  const numeric = x.type.dtype === 'bool' ? e.cast(x, 'u32') : x;
  const candidates = e.broadcastInDim(numeric, spread, [0, ...range(1, np), ...range(gatheredAxis, 1 + post.length)]);
  const wanted = e.broadcastInDim(clamped, spread, [0, ...range(1 + np, ri)]);
  const position = e.op1('iota', [], { shape: spread, dimension: gatheredAxis, dtype: it });
  const picked = e.select(e.binary('eq', wanted, position), candidates, e.scalar(0, numeric.type.dtype));
  const summed = e.sum(picked, [gatheredAxis]);
  return x.type.dtype === 'bool' ? e.cast(summed, 'bool') : summed;
}

/** gather with a batched array, batched indices, or both. */
export const batchGather: BatchRule<OpAttrs['gather']> = (ctx, { inputs: [x, idx], attrs: { axis } }) => {
  const { e } = ctx;
  if (idx.axis === undefined) return [batchedAt(e.op1('gather', [ctx.front(x), idx.value], { axis: axis + 1 }), 0)];
  // Unbatched x: the batch axis of the indices lands where the gathered axis was.
  if (x.axis === undefined) return [batchedAt(e.op1('gather', [x.value, ctx.front(idx)], { axis }), axis)];
  return [batchedAt(gatherPerExample(ctx, ctx.front(x), ctx.front(idx), axis), 0)];
};
