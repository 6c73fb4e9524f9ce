import { ShapeError, type DType } from '../ir/index.ts';
import { callSite } from './location.ts';

/**
 * Type promotion. Strong dtypes (Tensors, concrete arrays) order as bool < i32, u32 < f32.
 * Mixing i32 with u32 is an error: there is no 64-bit type to hold both ranges, and a silent
 * choice hides sign bugs; cast one side with `astype`.
 *
 * JS numbers and booleans are weakly typed (as Python scalars are in JAX): they take the dtype of
 * the strong operands unless their kind is higher. A number is of kind `int` when it is an
 * integer value (so `2` and `2.0` are the same, which JS cannot tell apart), else `float`:
 * `i32 * 2 -> i32`, `i32 * 2.5 -> f32`, `f32 * 2 -> f32`, `bool + 1 -> i32`.
 */
export type WeakKind = 'bool' | 'int' | 'float';
export type OperandType = { readonly weak: false; readonly dtype: DType } | { readonly weak: true; readonly kind: WeakKind };

const DTYPE_LEVEL: Record<DType, number> = { bool: 0, i32: 1, u32: 1, f32: 2 };
const KIND_LEVEL: Record<WeakKind, number> = { bool: 0, int: 1, float: 2 };
const KIND_DEFAULT: Record<WeakKind, DType> = { bool: 'bool', int: 'i32', float: 'f32' };

export const weakKindOf = (v: number | boolean): WeakKind =>
  typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int' : 'float';

/** The common dtype of two strong dtypes. */
export function joinDTypes(op: string, a: DType, b: DType): DType {
  if (a === b) return a;
  if (DTYPE_LEVEL[a] === DTYPE_LEVEL[b])
    throw new ShapeError(op, `cannot mix ${a} and ${b} implicitly; cast one operand with astype`, [a, b], callSite());
  return DTYPE_LEVEL[a] > DTYPE_LEVEL[b] ? a : b;
}

/** The dtype every operand of an elementwise op is converted to. */
export function resultDType(op: string, types: readonly OperandType[]): DType {
  let strong: DType | undefined;
  let weak: WeakKind | undefined;
  for (const t of types) {
    if (!t.weak) strong = strong === undefined ? t.dtype : joinDTypes(op, strong, t.dtype);
    else if (weak === undefined || KIND_LEVEL[t.kind] > KIND_LEVEL[weak]) weak = t.kind;
  }
  if (strong === undefined) return KIND_DEFAULT[weak ?? 'float'];
  if (weak !== undefined && KIND_LEVEL[weak] > DTYPE_LEVEL[strong]) return KIND_DEFAULT[weak];
  return strong;
}

const RANGE: Partial<Record<DType, [number, number]>> = {
  i32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
};

/** Checks that a weakly typed number fits the dtype it is converted to. */
export function checkLiteral(op: string, v: number | boolean, dtype: DType): void {
  const range = RANGE[dtype];
  if (typeof v === 'number' && range && (v < range[0] || v > range[1]))
    throw new ShapeError(op, `the literal ${v} does not fit in ${dtype}; cast the tensor with astype first`, [dtype], callSite());
}
