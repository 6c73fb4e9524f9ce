import { formatShape, ShapeError, type DType, type Shape } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, scalar, traceOf, type Operand } from './operand.ts';
import { checkLiteral, resultDType, weakKindOf } from './promote.ts';
import type { Tensor } from './tensor.ts';

/** Arrays made from nothing but their shape: splat constants and iotas. Shapes may be symbolic. */

export function full(shape: Shape, value: number | boolean, dtype?: DType): Tensor {
  const ctx = traceOf('full', []);
  checkShape('full', shape);
  const d = dtype ?? resultDType('full', [{ weak: true, kind: weakKindOf(value) }]);
  checkLiteral('full', value, d);
  return emit(ctx, 'constant', [], { shape, dtype: d, value: [Number(value)] });
}

export const zeros = (shape: Shape, dtype: DType = 'f32'): Tensor => full(shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = 'f32'): Tensor => full(shape, 1, dtype);

export function fullLike(x: Operand, value: number | boolean, dtype?: DType): Tensor {
  const t = lift('fullLike', x);
  return full(t.shape, value, dtype ?? t.dtype);
}
export const zerosLike = (x: Operand, dtype?: DType): Tensor => fullLike(x, 0, dtype);
export const onesLike = (x: Operand, dtype?: DType): Tensor => fullLike(x, 1, dtype);

/** Indices along `dimension` of `shape` (lax.broadcasted_iota); a number is a 1-D shape. */
export function iota(dtype: DType, shape: number | Shape, dimension = 0): Tensor {
  const ctx = traceOf('iota', []);
  const s = typeof shape === 'number' ? [shape] : shape;
  checkShape('iota', s);
  return emit(ctx, 'iota', [], { shape: s, dimension, dtype });
}

/**
 * Evenly spaced values start, start + step, ... below stop (NumPy arange; `arange(n)` counts
 * from 0). The dtype is i32 when every argument is an integer, else f32.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new ShapeError('arange', 'step must not be 0', [], callSite());
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const d = dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'i32' : 'f32');
  const ctx = traceOf('arange', []);
  let t = iota(d, n);
  if (step !== 1) t = emit(ctx, 'mul', [t, scalar(ctx, step, d)], {});
  if (lo !== 0) t = emit(ctx, 'add', [t, scalar(ctx, lo, d)], {});
  return t;
}

/** `num` evenly spaced f32 values from start to stop inclusive (start + i * (stop - start) / (num - 1)). */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ShapeError('linspace', `num must be a non-negative integer, got ${num}`, [], callSite());
  const ctx = traceOf('linspace', []);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  const t = emit(ctx, 'mul', [iota('f32', num), scalar(ctx, step, 'f32')], {});
  return emit(ctx, 'add', [t, scalar(ctx, start, 'f32')], {});
}

/** The n x m identity matrix (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'f32'): Tensor {
  const ctx = traceOf('eye', []);
  const rows = iota('i32', [n, m], 0);
  const diagonal = emit(ctx, 'eq', [rows, iota('i32', [n, m], 1)], {});
  return dtype === 'bool' ? diagonal : emit(ctx, 'cast', [diagonal], { dtype });
}

/** Checks a shape given by a user: non-negative integers or names. */
export function checkShape(op: string, shape: Shape): void {
  for (const d of shape)
    if (typeof d !== 'string' && !(Number.isInteger(d) && d >= 0))
      throw new ShapeError(op, `${formatShape(shape)} is not a shape (use non-negative integers or names)`, [], callSite());
}
