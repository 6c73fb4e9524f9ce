import type { DType } from './dtype.ts';
import type { Shape } from './shape.ts';

/** Attribute values as they appear in the text IR. */
export type AttrValue = number | boolean | string | readonly AttrValue[];

type NoAttrs = Record<string, never>;
type ReduceAttrs = { axes: readonly number[]; keepdims: boolean };

export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'logistic',
  'floor', 'ceil', 'round', 'log1p', 'expm1', 'erf',
  'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh',
  'not', 'stop_gradient',
] as const;
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'rem', 'pow', 'atan2', 'max', 'min',
  'and', 'or', 'xor', 'shl', 'shr',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];

/**
 * Every primitive and the attributes it carries. The op registry is a mapped type over this
 * interface, so a primitive without a registry entry is a type error.
 */
export type OpAttrs = { [K in UnaryOp | BinaryOp]: NoAttrs } & {
  select: NoAttrs;
  cast: { dtype: DType };
  reduce_sum: ReduceAttrs;
  reduce_max: ReduceAttrs;
  reduce_min: ReduceAttrs;
  reshape: { shape: Shape };
  broadcast_in_dim: { shape: Shape; dims: readonly number[] };
  transpose: { perm: readonly number[] };
  // `limit` may name a symbolic dim: such an axis is kept whole.
  slice: { start: readonly number[]; limit: Shape; stride: readonly number[] };
  pad: { low: readonly number[]; high: readonly number[]; value: number };
  concatenate: { axis: number };
  gather: { axis: number };
  // lax.rev: reverses the order of the elements along each of `dims`.
  rev: { dims: readonly number[] };
  // lax.dynamic_slice / dynamic_update_slice with run-time start indices (an i32 operand).
  dynamic_slice: { sizes: Shape };
  dynamic_update_slice: NoAttrs;
  dot_general: {
    lhs_contracting: readonly number[];
    rhs_contracting: readonly number[];
    lhs_batch: readonly number[];
    rhs_batch: readonly number[];
  };
  iota: { shape: Shape; dimension: number; dtype: DType };
  constant: { shape: Shape; dtype: DType; value: readonly number[] };
  random_bits: { shape: Shape };
  loop: { trips: number; carried: number };
  // lax.scan: `carried` initial values, then `scanned` stacked inputs (leading axis `length`), then constants.
  scan: { length: number; carried: number; scanned: number; reverse: boolean };
  // lax.while_loop with at most `max_trips` trips; the runtime reads cond back every `check_every` trips.
  while_loop: { max_trips: number; check_every: number; carried: number };
  custom_vjp: NoAttrs;
  cond: NoAttrs;
};

export type OpName = keyof OpAttrs;

/** How an attribute is written and checked in the text IR. */
export type AttrKind = 'int' | 'ints' | 'bool' | 'number' | 'numbers' | 'dtype' | 'shape';
export type AttrSchema<A> = { readonly [P in keyof A]-?: AttrKind };
