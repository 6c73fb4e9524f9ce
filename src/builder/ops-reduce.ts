import { isSymbol, type Dim } from '../ir/index.ts';
import { normalizeAxes, type Axis } from './axes.ts';
import { emit } from './emit.ts';
import { astypeIn, lift, liftF32, scalar, type Operand } from './operand.ts';
import { reshape } from './ops-shape.ts';
import { toBool } from './ops-unary.ts';
import type { Tensor } from './tensor.ts';
import type { TraceContext } from './trace-context.ts';

type ReducePrim = 'reduce_sum' | 'reduce_max' | 'reduce_min';

function reduceOver(prim: ReducePrim, t: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  return emit(t.ctx, prim, [t], { axes, keepdims });
}

/** Sum over `axis` (all axes when omitted). Bool counts as i32. */
export function sum(x: Operand, axis?: Axis, keepdims = false): Tensor {
  const t = lift('sum', x);
  const v = t.dtype === 'bool' ? astypeIn(t.ctx, t, 'i32') : t;
  return reduceOver('reduce_sum', v, normalizeAxes('sum', t, axis), keepdims);
}

function extremum(prim: 'reduce_max' | 'reduce_min', name: string, x: Operand, axis: Axis, keepdims: boolean): Tensor {
  const t = lift(name, x);
  const axes = normalizeAxes(name, t, axis);
  if (t.dtype !== 'bool') return reduceOver(prim, t, axes, keepdims);
  return astypeIn(t.ctx, reduceOver(prim, astypeIn(t.ctx, t, 'i32'), axes, keepdims), 'bool');
}

export const max = (x: Operand, axis?: Axis, keepdims = false): Tensor => extremum('reduce_max', 'max', x, axis, keepdims);
export const min = (x: Operand, axis?: Axis, keepdims = false): Tensor => extremum('reduce_min', 'min', x, axis, keepdims);
/** Whether any element is nonzero. */
export const any = (x: Operand, axis?: Axis, keepdims = false): Tensor => extremum('reduce_max', 'any', toBool('any', x), axis, keepdims);
/** Whether every element is nonzero. */
export const all = (x: Operand, axis?: Axis, keepdims = false): Tensor => extremum('reduce_min', 'all', toBool('all', x), axis, keepdims);

/**
 * The number of elements the axes hold, as an f32 scalar. A symbolic axis has no size at trace
 * time, so its count is the sum of ones over it (bound when the program runs).
 */
function countOver(ctx: TraceContext, shape: readonly Dim[], axes: readonly number[]): Tensor {
  const dims = axes.map((a) => shape[a]);
  const known = dims.filter((d): d is number => !isSymbol(d)).reduce((a, b) => a * b, 1);
  const symbolic = dims.filter(isSymbol);
  if (symbolic.length === 0) return scalar(ctx, known, 'f32');
  const ones = emit(ctx, 'constant', [], { shape: symbolic, dtype: 'f32', value: [1] });
  const n = emit(ctx, 'reduce_sum', [ones], { axes: symbolic.map((_, i) => i), keepdims: false });
  return known === 1 ? n : emit(ctx, 'mul', [n, scalar(ctx, known, 'f32')], {});
}

/** Arithmetic mean, in f32 whatever the operand dtype. */
export function mean(x: Operand, axis?: Axis, keepdims = false): Tensor {
  const t = lift('mean', x);
  const axes = normalizeAxes('mean', t, axis);
  const total = reduceOver('reduce_sum', astypeIn(t.ctx, t, 'f32'), axes, keepdims);
  return emit(t.ctx, 'div', [total, countOver(t.ctx, t.shape, axes)], {});
}

export interface VarianceOptions {
  /** Delta degrees of freedom: divide by n - ddof (0: population variance, 1: sample variance). */
  ddof?: number;
  keepdims?: boolean;
}

/** Variance by the two-pass formula sum((x - mean)^2) / (n - ddof), in f32. */
export function variance(x: Operand, axis?: Axis, opts: VarianceOptions = {}): Tensor {
  const t = liftF32('var', x);
  const ctx = t.ctx;
  const axes = normalizeAxes('var', t, axis);
  const centered = emit(ctx, 'sub', [t, mean(t, axes, true)], {});
  const squares = reduceOver('reduce_sum', emit(ctx, 'mul', [centered, centered], {}), axes, opts.keepdims ?? false);
  let n = countOver(ctx, t.shape, axes);
  if (opts.ddof) n = emit(ctx, 'sub', [n, scalar(ctx, opts.ddof, 'f32')], {});
  return emit(ctx, 'div', [squares, n], {});
}

/** Standard deviation: sqrt of `variance`. */
export function std(x: Operand, axis?: Axis, opts: VarianceOptions = {}): Tensor {
  const v = variance(x, axis, opts);
  return emit(v.ctx, 'sqrt', [v], {});
}

/** L2 norm over `axis` (all axes when omitted): sqrt(sum(x^2)). */
export function norm(x: Operand, axis?: Axis, keepdims = false): Tensor {
  const t = liftF32('norm', x);
  const ss = reduceOver('reduce_sum', emit(t.ctx, 'mul', [t, t], {}), normalizeAxes('norm', t, axis), keepdims);
  return emit(t.ctx, 'sqrt', [ss], {});
}

/**
 * log(sum(exp(x))) computed stably: the max m is subtracted before exponentiating and added back
 * after the log. When m is infinite (all inputs -inf, or one +inf) the shift is 0 instead, so the
 * result is -inf or +inf rather than NaN. m is held constant under differentiation (its gradient
 * contributions cancel).
 */
export function logsumexp(x: Operand, axis?: Axis, keepdims = false): Tensor {
  const t = liftF32('logsumexp', x);
  const ctx = t.ctx;
  const axes = normalizeAxes('logsumexp', t, axis);
  const m = reduceOver('reduce_max', t, axes, true);
  const finite = emit(ctx, 'lt', [emit(ctx, 'abs', [m], {}), scalar(ctx, Infinity, 'f32')], {});
  const shift = emit(ctx, 'stop_gradient', [emit(ctx, 'select', [finite, m, scalar(ctx, 0, 'f32')], {})], {});
  const total = reduceOver('reduce_sum', emit(ctx, 'exp', [emit(ctx, 'sub', [t, shift], {})], {}), axes, keepdims);
  const shiftOut = keepdims ? shift : emit(ctx, 'reshape', [shift], { shape: total.shape });
  return emit(ctx, 'add', [emit(ctx, 'log', [total], {}), shiftOut], {});
}

/**
 * Index of the first maximum (or minimum) along `axis`, as i32; over the flattened array when
 * `axis` is omitted. A NaN counts as the extremum (its first occurrence wins), as in NumPy.
 */
function argExtremum(prim: 'reduce_max' | 'reduce_min', name: string, x: Operand, axis: number | undefined, keepdims: boolean): Tensor {
  let t = lift(name, x);
  if (axis === undefined) t = reshape(t, [-1]);
  const ctx = t.ctx;
  if (t.dtype === 'bool') t = astypeIn(ctx, t, 'i32');
  const [ax] = normalizeAxes(name, t, axis ?? 0);
  const best = reduceOver(prim, t, [ax], true);
  let hit = emit(ctx, 'eq', [t, best], {});
  if (t.dtype === 'f32') hit = emit(ctx, 'or', [hit, emit(ctx, 'ne', [t, t], {})], {});
  const index = emit(ctx, 'iota', [], { shape: t.shape, dimension: ax, dtype: 'i32' });
  const candidates = emit(ctx, 'select', [hit, index, scalar(ctx, 2147483647, 'i32')], {});
  return reduceOver('reduce_min', candidates, [ax], keepdims && axis !== undefined);
}

export const argmax = (x: Operand, axis?: number, keepdims = false): Tensor => argExtremum('reduce_max', 'argmax', x, axis, keepdims);
export const argmin = (x: Operand, axis?: number, keepdims = false): Tensor => argExtremum('reduce_min', 'argmin', x, axis, keepdims);
