import type { DType } from '../ir/index.ts';
import { normalizeAxes, type Axis } from './axes.ts';
import { emit } from './emit.ts';
import { astypeIn, lift, liftF32, scalar, type Operand } from './operand.ts';
import { add, greater, greaterEqual, less, maximum, multiply, where } from './ops-binary.ts';
import { iota } from './ops-create.ts';
import { logsumexp } from './ops-reduce.ts';
import { expandDims } from './ops-shape.ts';
import { erf, expm1, negative, sigmoid, tanh } from './ops-unary.ts';
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

/** log(sigmoid(x)) = -softplus(-x), which neither overflows nor rounds to log(0) for large |x|. */
export const logSigmoid = (x: Operand): Tensor => negative(softplus(negative(liftF32('logSigmoid', x))));

/** x for x >= 0 and negativeSlope * x below (jax.nn.leaky_relu). */
export function leakyRelu(x: Operand, negativeSlope: Operand = 0.01): Tensor {
  const t = liftF32('leakyRelu', x);
  return where(greaterEqual(t, 0), t, multiply(negativeSlope, t));
}

/**
 * x for x > 0 and alpha * (e^x - 1) at and below (jax.nn.elu). expm1 keeps the digits of small
 * |x|; the exponential sees 0 where x > 0, so that the unused branch cannot overflow and send a
 * NaN gradient through the select.
 */
export function elu(x: Operand, alpha: Operand = 1): Tensor {
  const t = liftF32('elu', x);
  const positive = greater(t, 0);
  return where(positive, t, multiply(alpha, expm1(where(positive, 0, t))));
}

// The constants of Klambauer et al., "Self-Normalizing Neural Networks", as jax.nn.selu has them.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** The scaled ELU: scale * elu(x, alpha) with the self-normalizing constants. */
export const selu = (x: Operand): Tensor => multiply(SELU_SCALE, elu(liftF32('selu', x), SELU_ALPHA));

/** -1 below -1, 1 above 1, x between (jax.nn.hard_tanh: the gradient is 1 at ±1 itself). */
export function hardTanh(x: Operand): Tensor {
  const t = liftF32('hardTanh', x);
  return where(greater(t, 1), 1, where(less(t, -1), -1, t));
}

export interface GeluOptions {
  /** The tanh form (jax.nn.gelu's default) rather than the exact form in erf. */
  readonly approximate?: boolean;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The Gaussian error linear unit x * Phi(x), Phi the standard normal CDF: by default (as in JAX)
 * Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2, with `approximate: false` exactly
 * (1 + erf(x / sqrt 2)) / 2.
 */
export function gelu(x: Operand, { approximate = true }: GeluOptions = {}): Tensor {
  const t = liftF32('gelu', x);
  const odd = approximate
    ? tanh(multiply(add(t, multiply(0.044715, multiply(t, multiply(t, t)))), SQRT_2_OVER_PI))
    : erf(multiply(t, Math.SQRT1_2));
  return multiply(multiply(t, 0.5), add(odd, 1));
}

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
