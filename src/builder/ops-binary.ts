import { formatType, ShapeError, type BinaryOp } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { astypeIn, lift, liftAll, scalar, type Operand } from './operand.ts';
import { toBool } from './ops-unary.ts';
import type { Tensor } from './tensor.ts';

/** Elementwise functions of two operands, with NumPy broadcasting and the promotion of promote.ts. */
function binary(op: BinaryOp, name: string, a: Operand, b: Operand): Tensor {
  const { ctx, tensors } = liftAll(name, [a, b]);
  return emit(ctx, op, tensors, {});
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', 'add', a, b);
export const subtract = (a: Operand, b: Operand): Tensor => binary('sub', 'subtract', a, b);
export const multiply = (a: Operand, b: Operand): Tensor => binary('mul', 'multiply', a, b);
export const maximum = (a: Operand, b: Operand): Tensor => binary('max', 'maximum', a, b);
export const minimum = (a: Operand, b: Operand): Tensor => binary('min', 'minimum', a, b);
export const equal = (a: Operand, b: Operand): Tensor => binary('eq', 'equal', a, b);
export const notEqual = (a: Operand, b: Operand): Tensor => binary('ne', 'notEqual', a, b);
export const less = (a: Operand, b: Operand): Tensor => binary('lt', 'less', a, b);
export const lessEqual = (a: Operand, b: Operand): Tensor => binary('le', 'lessEqual', a, b);
export const greater = (a: Operand, b: Operand): Tensor => binary('gt', 'greater', a, b);
export const greaterEqual = (a: Operand, b: Operand): Tensor => binary('ge', 'greaterEqual', a, b);
export const bitwiseAnd = (a: Operand, b: Operand): Tensor => binary('and', 'bitwiseAnd', a, b);
export const bitwiseOr = (a: Operand, b: Operand): Tensor => binary('or', 'bitwiseOr', a, b);
export const bitwiseXor = (a: Operand, b: Operand): Tensor => binary('xor', 'bitwiseXor', a, b);
/** Shift amounts are taken modulo 32 (as WGSL does). */
export const leftShift = (a: Operand, b: Operand): Tensor => binary('shl', 'leftShift', a, b);
/** Arithmetic shift for i32, logical for u32. */
export const rightShift = (a: Operand, b: Operand): Tensor => binary('shr', 'rightShift', a, b);

/** True division: integer operands are divided as f32 (NumPy's `/`). */
export function divide(a: Operand, b: Operand): Tensor {
  const { ctx, tensors } = liftAll('divide', [a, b]);
  return emit(ctx, 'div', tensors.map((t) => astypeIn(ctx, t, 'f32')), {});
}

/**
 * The angle of the point (x2, x1) in [-pi, pi], as NumPy's arctan2(x1, x2), with C99's signed
 * zeros and infinities; integer operands compute in f32.
 */
export function arctan2(x1: Operand, x2: Operand): Tensor {
  const { ctx, tensors } = liftAll('arctan2', [x1, x2]);
  return emit(ctx, 'atan2', tensors.map((t) => astypeIn(ctx, t, 'f32')), {});
}

/** Truncated remainder (C's fmod): the result takes the sign of a. */
export const fmod = (a: Operand, b: Operand): Tensor => binary('rem', 'fmod', a, b);

/** Where a truncated remainder r != 0 has a sign other than the divisor's, flooring moves by one. */
function floorFix(ctx: Tensor['ctx'], r: Tensor, b: Tensor): Tensor {
  const zero = scalar(ctx, 0, r.dtype);
  const signsDiffer = emit(ctx, 'ne', [emit(ctx, 'lt', [r, zero], {}), emit(ctx, 'lt', [b, zero], {})], {});
  return emit(ctx, 'and', [emit(ctx, 'ne', [r, zero], {}), signsDiffer], {});
}

/** Floored remainder (NumPy's `%`, Python's `mod`): the result takes the sign of b. */
export function mod(a: Operand, b: Operand): Tensor {
  const { ctx, tensors, dtype } = liftAll('mod', [a, b]);
  const [x, y] = tensors;
  const r = emit(ctx, 'rem', [x, y], {});
  if (dtype === 'u32') return r;
  return emit(ctx, 'select', [floorFix(ctx, r, y), emit(ctx, 'add', [r, y], {}), r], {});
}
export const remainder = mod;

/** Floored division (Python's `//`). */
export function floorDivide(a: Operand, b: Operand): Tensor {
  const { ctx, tensors, dtype } = liftAll('floorDivide', [a, b]);
  const [x, y] = tensors;
  const q = emit(ctx, 'div', [x, y], {});
  if (dtype === 'f32') return emit(ctx, 'floor', [q], {});
  if (dtype === 'u32') return q;
  const r = emit(ctx, 'rem', [x, y], {});
  return emit(ctx, 'select', [floorFix(ctx, r, y), emit(ctx, 'sub', [q, scalar(ctx, 1, dtype)], {}), q], {});
}

/**
 * x ** y. An integer JS exponent becomes a chain of multiplications (exact, keeps integer dtypes,
 * and defined for negative bases, where WGSL's pow is not); other exponents use the pow primitive,
 * which needs f32 operands.
 */
export function power(x: Operand, y: Operand): Tensor {
  if (typeof y === 'number' && Number.isInteger(y)) return integerPower(x, y);
  const { ctx, tensors, dtype } = liftAll('power', [x, y]);
  if (dtype !== 'f32')
    throw new ShapeError(
      'power',
      `a tensor exponent needs f32 operands, got ${dtype}; cast with astype('f32')`,
      tensors.map(formatType),
      callSite(),
    );
  return emit(ctx, 'pow', tensors, {});
}

function integerPower(x: Operand, n: number): Tensor {
  const t = lift('power', x);
  const ctx = t.ctx;
  if (n < 0 && t.dtype !== 'f32')
    throw new ShapeError(
      'power',
      `integers to negative powers are not allowed (exponent ${n}); cast with astype('f32')`,
      [formatType(t)],
      callSite(),
    );
  if (n === 0) return emit(ctx, 'constant', [], { shape: t.shape, dtype: t.dtype, value: [1] });
  let result: Tensor | undefined;
  let base = t;
  for (let k = Math.abs(n); k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = result ? emit(ctx, 'mul', [result, base], {}) : base;
    if (k > 1) base = emit(ctx, 'mul', [base, base], {});
  }
  return n < 0 ? emit(ctx, 'div', [scalar(ctx, 1, 'f32'), result!], {}) : result!;
}

function logical(op: 'and' | 'or' | 'xor', name: string, a: Operand, b: Operand): Tensor {
  const x = toBool(name, a);
  return emit(x.ctx, op, [x, toBool(name, b)], {});
}

export const logicalAnd = (a: Operand, b: Operand): Tensor => logical('and', 'logicalAnd', a, b);
export const logicalOr = (a: Operand, b: Operand): Tensor => logical('or', 'logicalOr', a, b);
export const logicalXor = (a: Operand, b: Operand): Tensor => logical('xor', 'logicalXor', a, b);

/** pred ? a : b elementwise; pred is converted to bool (nonzero is true), a and b promoted together. */
export function where(pred: Operand, a: Operand, b: Operand): Tensor {
  const p = toBool('where', pred);
  const { ctx, tensors } = liftAll('where', [a, b]);
  return emit(ctx, 'select', [p, ...tensors], {});
}

/** Limits x to [min, max]; either bound may be omitted (undefined or null). */
export function clip(x: Operand, min?: Operand | null, max?: Operand | null): Tensor {
  let t = lift('clip', x);
  if (min !== undefined && min !== null) t = maximum(t, min);
  if (max !== undefined && max !== null) t = minimum(t, max);
  return t;
}
