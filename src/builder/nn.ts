import type { DType } from '../ir/index.ts';
import { normalizeAxes, type Axis } from './axes.ts';
import { emit } from './emit.ts';
import { astypeIn, lift, liftF32, scalar, type Operand } from './operand.ts';
import { maximum, multiply } from './ops-binary.ts';
import { iota } from './ops-create.ts';
import { logsumexp } from './ops-reduce.ts';
import { expandDims } from './ops-shape.ts';
import { sigmoid } from './ops-unary.ts';
import type { Tensor } from './tensor.ts';

/** Neural-network functions (ax.nn), composed of primitives. */

export const relu = (x: Operand): Tensor => maximum(x, 0);

/** log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that it neither overflows nor loses x. */
export function softplus(x: Operand): Tensor {
  const t = liftF32('softplus', x);
  const ctx = t.ctx;
  const tail = emit(ctx, 'log1p', [emit(ctx, 'exp', [emit(ctx, 'neg', [emit(ctx, 'abs', [t], {})], {})], {})], {});
  return emit(ctx, 'add', [emit(ctx, 'max', [t, scalar(ctx, 0, 'f32')], {}), tail], {});
}

/** x * sigmoid(x) (also called swish). */
export const silu = (x: Operand): Tensor => multiply(x, sigmoid(x));

/** x minus its max over the axes, the max held constant under differentiation. */
function shiftedByMax(name: string, x: Operand, axis: Axis): { t: Tensor; axes: number[] } {
  const t = liftF32(name, x);
  const axes = normalizeAxes(name, t, axis);
  const m = emit(t.ctx, 'stop_gradient', [emit(t.ctx, 'reduce_max', [t], { axes, keepdims: true })], {});
  return { t: emit(t.ctx, 'sub', [t, m], {}), axes };
}

/** exp(x) / sum(exp(x)) along `axis` (default the last), shifted by the max for stability. */
export function softmax(x: Operand, axis: Axis = -1): Tensor {
  const { t, axes } = shiftedByMax('softmax', x, axis);
  const e = emit(t.ctx, 'exp', [t], {});
  return emit(t.ctx, 'div', [e, emit(t.ctx, 'reduce_sum', [e], { axes, keepdims: true })], {});
}

/** x - logsumexp(x) along `axis` (default the last). */
export function logSoftmax(x: Operand, axis: Axis = -1): Tensor {
  const { t, axes } = shiftedByMax('logSoftmax', x, axis);
  const total = emit(t.ctx, 'reduce_sum', [emit(t.ctx, 'exp', [t], {})], { axes, keepdims: true });
  return emit(t.ctx, 'sub', [t, emit(t.ctx, 'log', [total], {})], {});
}

/** One-hot rows: out[..., j] = (labels[...] == j), as `dtype` (default f32). */
export function oneHot(labels: Operand, classes: number, dtype: DType = 'f32'): Tensor {
  const l = lift('oneHot', labels);
  const idx = astypeIn(l.ctx, l, 'i32');
  const hit = emit(l.ctx, 'eq', [expandDims(idx, -1), iota('i32', classes)], {});
  return astypeIn(l.ctx, hit, dtype);
}

export { logsumexp, sigmoid };
