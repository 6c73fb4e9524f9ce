import type { DType, UnaryOp } from '../ir/index.ts';
import { emit } from './emit.ts';
import { astypeIn, lift, scalar, type Operand } from './operand.ts';
import type { Tensor } from './tensor.ts';

/**
 * Elementwise functions of one operand. Transcendental functions compute in f32: integer and
 * bool operands are converted first (as jnp.sin(int32) gives float32).
 */
function floatUnary(op: UnaryOp, name: string, x: Operand): Tensor {
  const t = lift(name, x);
  return emit(t.ctx, op, [astypeIn(t.ctx, t, 'f32')], {});
}

/** floor/ceil/round leave integers as they are. */
function roundingUnary(op: UnaryOp, name: string, x: Operand): Tensor {
  const t = lift(name, x);
  return t.dtype === 'f32' ? emit(t.ctx, op, [t], {}) : t;
}

export const exp = (x: Operand): Tensor => floatUnary('exp', 'exp', x);
export const log = (x: Operand): Tensor => floatUnary('log', 'log', x);
export const log1p = (x: Operand): Tensor => floatUnary('log1p', 'log1p', x);
export const expm1 = (x: Operand): Tensor => floatUnary('expm1', 'expm1', x);
export const sqrt = (x: Operand): Tensor => floatUnary('sqrt', 'sqrt', x);
export const rsqrt = (x: Operand): Tensor => floatUnary('rsqrt', 'rsqrt', x);
export const sin = (x: Operand): Tensor => floatUnary('sin', 'sin', x);
export const cos = (x: Operand): Tensor => floatUnary('cos', 'cos', x);
export const tanh = (x: Operand): Tensor => floatUnary('tanh', 'tanh', x);
/** The logistic function 1 / (1 + e^-x). */
export const sigmoid = (x: Operand): Tensor => floatUnary('logistic', 'sigmoid', x);
export const erf = (x: Operand): Tensor => floatUnary('erf', 'erf', x);
export const tan = (x: Operand): Tensor => floatUnary('tan', 'tan', x);
/** asin, in [-pi/2, pi/2]; NaN outside [-1, 1]. */
export const arcsin = (x: Operand): Tensor => floatUnary('asin', 'arcsin', x);
/** acos, in [0, pi]; NaN outside [-1, 1]. */
export const arccos = (x: Operand): Tensor => floatUnary('acos', 'arccos', x);
export const arctan = (x: Operand): Tensor => floatUnary('atan', 'arctan', x);
export const sinh = (x: Operand): Tensor => floatUnary('sinh', 'sinh', x);
export const cosh = (x: Operand): Tensor => floatUnary('cosh', 'cosh', x);
export const arcsinh = (x: Operand): Tensor => floatUnary('asinh', 'arcsinh', x);
/** acosh, NaN below 1. */
export const arccosh = (x: Operand): Tensor => floatUnary('acosh', 'arccosh', x);
/** atanh, ±inf at ±1 and NaN past them. */
export const arctanh = (x: Operand): Tensor => floatUnary('atanh', 'arctanh', x);
export const floor = (x: Operand): Tensor => roundingUnary('floor', 'floor', x);
export const ceil = (x: Operand): Tensor => roundingUnary('ceil', 'ceil', x);
/** Rounds half to even, as NumPy and WGSL do. */
export const round = (x: Operand): Tensor => roundingUnary('round', 'round', x);

/** -x; on u32 it wraps modulo 2^32 as NumPy does. */
export function negative(x: Operand): Tensor {
  const t = lift('negative', x);
  if (t.dtype === 'u32') return emit(t.ctx, 'sub', [scalar(t.ctx, 0, 'u32'), t], {});
  return emit(t.ctx, 'neg', [t], {});
}

export function abs(x: Operand): Tensor {
  const t = lift('abs', x);
  return t.dtype === 'u32' || t.dtype === 'bool' ? t : emit(t.ctx, 'abs', [t], {});
}

/** -1, 0 or +1 (sign(0) = 0; NaN stays NaN). */
export function sign(x: Operand): Tensor {
  const t = lift('sign', x);
  if (t.dtype === 'bool') return t;
  if (t.dtype === 'u32') return astypeIn(t.ctx, emit(t.ctx, 'ne', [t, scalar(t.ctx, 0, 'u32')], {}), 'u32');
  return emit(t.ctx, 'sign', [t], {});
}

export function square(x: Operand): Tensor {
  const t = lift('square', x);
  return emit(t.ctx, 'mul', [t, t], {});
}

export function reciprocal(x: Operand): Tensor {
  const t = lift('reciprocal', x);
  return emit(t.ctx, 'div', [scalar(t.ctx, 1, 'f32'), astypeIn(t.ctx, t, 'f32')], {});
}

/** The value of x, treated as a constant by differentiation. */
export function stopGradient(x: Operand): Tensor {
  const t = lift('stopGradient', x);
  return emit(t.ctx, 'stop_gradient', [t], {});
}

/** Converts to another dtype (floats truncate toward zero and saturate when cast to integers). */
export function astype(x: Operand, dtype: DType): Tensor {
  const t = lift('astype', x);
  return astypeIn(t.ctx, t, dtype);
}

/** x != 0 as bool (identity on bool). */
export function toBool(name: string, x: Operand): Tensor {
  const t = lift(name, x);
  return t.dtype === 'bool' ? t : emit(t.ctx, 'ne', [t, scalar(t.ctx, 0, t.dtype)], {});
}

export function logicalNot(x: Operand): Tensor {
  const t = toBool('logicalNot', x);
  return emit(t.ctx, 'not', [t], {});
}

/** Bitwise complement of integers (logical not of bool). */
export function invert(x: Operand): Tensor {
  const t = lift('invert', x);
  return emit(t.ctx, 'not', [t], {});
}

function floatTest(name: string, x: Operand, test: (t: Tensor) => Tensor, otherwise: boolean): Tensor {
  const t = lift(name, x);
  if (t.dtype === 'f32') return test(t);
  return emit(t.ctx, 'constant', [], { shape: t.shape, dtype: 'bool', value: [otherwise ? 1 : 0] });
}

export const isnan = (x: Operand): Tensor =>
  floatTest('isnan', x, (t) => emit(t.ctx, 'ne', [t, t], {}), false);
/** |x| < inf: false for infinities and NaN. */
export const isfinite = (x: Operand): Tensor =>
  floatTest('isfinite', x, (t) => emit(t.ctx, 'lt', [emit(t.ctx, 'abs', [t], {}), scalar(t.ctx, Infinity, 'f32')], {}), true);
export const isinf = (x: Operand): Tensor =>
  floatTest('isinf', x, (t) => emit(t.ctx, 'eq', [emit(t.ctx, 'abs', [t], {}), scalar(t.ctx, Infinity, 'f32')], {}), false);
