import type { DType } from '../ir/dtype.ts';
import type { Node } from '../ir/graph.ts';
import type { BinaryOp, UnaryOp } from '../ir/op-attrs.ts';
import type { Rule } from './rule.ts';
import { onnxDType, type Scope } from './writer.ts';

type Unary = (s: Scope, x: string, dtype: DType) => string;
type Binary = (s: Scope, a: string, b: string, dtype: DType) => string;

const plain =
  (opType: string): Unary =>
  (s, x) =>
    s.op(opType, [x]);

/**
 * log1p and expm1 by Kahan's tricks (u = 1 + x, or u = exp x, corrected by the rounding of u),
 * which keep them accurate near 0, where log(1 + x) and exp(x) - 1 lose every digit.
 */
const log1p: Unary = (s, x) => {
  const one = s.scalar('f32', 1);
  const u = s.op('Add', [one, x]);
  const d = s.op('Sub', [u, one]);
  const corrected = s.op('Mul', [x, s.op('Div', [s.op('Log', [u]), d])]);
  // u = 1 (x tiny): log1p x = x; u = inf: the ratio is inf/inf.
  const exact = s.op('Or', [s.op('Equal', [d, s.scalar('f32', 0)]), s.op('IsInf', [u])]);
  return s.op('Where', [exact, s.op('Where', [s.op('IsInf', [u]), u, x]), corrected]);
};

const expm1: Unary = (s, x) => {
  const one = s.scalar('f32', 1);
  const u = s.op('Exp', [x]);
  const d = s.op('Sub', [u, one]);
  const corrected = s.op('Div', [s.op('Mul', [d, x]), s.op('Log', [u])]);
  // u = 1: expm1 x = x; u = 0 (x very negative): -1; u = inf: inf.
  const tiny = s.op('Equal', [d, s.scalar('f32', 0)]);
  const ends = s.op('Or', [s.op('Equal', [u, s.scalar('f32', 0)]), s.op('IsInf', [u])]);
  return s.op('Where', [tiny, x, s.op('Where', [ends, d, corrected])]);
};

const UNARY: { readonly [K in UnaryOp]: Unary } = {
  neg: plain('Neg'),
  abs: plain('Abs'),
  sign: plain('Sign'),
  exp: plain('Exp'),
  log: plain('Log'),
  sqrt: plain('Sqrt'),
  rsqrt: (s, x) => s.op('Reciprocal', [s.op('Sqrt', [x])]),
  sin: plain('Sin'),
  cos: plain('Cos'),
  tanh: plain('Tanh'),
  logistic: plain('Sigmoid'),
  floor: plain('Floor'),
  ceil: plain('Ceil'),
  // ONNX Round rounds halves to even, as the IR's round does.
  round: plain('Round'),
  log1p,
  expm1,
  erf: plain('Erf'),
  tan: plain('Tan'),
  asin: plain('Asin'),
  acos: plain('Acos'),
  atan: plain('Atan'),
  sinh: plain('Sinh'),
  cosh: plain('Cosh'),
  asinh: plain('Asinh'),
  acosh: plain('Acosh'),
  atanh: plain('Atanh'),
  not: (s, x, d) => s.op(d === 'bool' ? 'Not' : 'BitwiseNot', [x]),
  // Autodiff has done its work by the time a graph is exported.
  stop_gradient: plain('Identity'),
};

const bitwise =
  (logical: string, bits: string): Binary =>
  (s, a, b, d) =>
    s.op(d === 'bool' ? logical : bits, [a, b]);

/** atan2 from atan of the quotient, moved into the quadrant of (b, a); the quotient's inf/NaN at b = 0 is never chosen. */
const atan2: Binary = (s, a, b) => {
  const zero = s.scalar('f32', 0);
  const pi = s.scalar('f32', Math.PI);
  const base = s.op('Atan', [s.op('Div', [a, b])]);
  const left = s.op('Where', [s.op('GreaterOrEqual', [a, zero]), s.op('Add', [base, pi]), s.op('Sub', [base, pi])]);
  const halfPi = s.scalar('f32', Math.PI / 2);
  const onAxis = s.op('Where', [
    s.op('Greater', [a, zero]),
    halfPi,
    s.op('Where', [s.op('Less', [a, zero]), s.op('Neg', [halfPi]), s.op('Mul', [a, zero])]),
  ]);
  return s.op('Where', [s.op('Greater', [b, zero]), base, s.op('Where', [s.op('Less', [b, zero]), left, onAxis])]);
};

/**
 * Shifts as the IR defines them (amount modulo 32) on ONNX's BitShift, which takes unsigned
 * words only: i32 is shifted as its bit pattern, and an arithmetic right shift fills with the sign.
 */
const shift =
  (direction: 'LEFT' | 'RIGHT'): Binary =>
  (s, a, b, d) => {
    const toU32 = (x: string) => (d === 'u32' ? x : s.op('Cast', [x], { to: { int: onnxDType('u32') } }));
    const amount = s.op('BitwiseAnd', [toU32(b), s.scalar('u32', 31)]);
    const shifted = s.op('BitShift', [toU32(a), amount], { direction: { string: direction } });
    if (d === 'u32') return shifted;
    const toI32 = (x: string) => s.op('Cast', [x], { to: { int: onnxDType('i32') } });
    if (direction === 'LEFT') return toI32(shifted);
    const fill = s.op('BitwiseNot', [s.op('BitShift', [s.scalar('u32', 0xffffffff), amount], { direction: { string: 'RIGHT' } })]);
    return s.op('Where', [s.op('Less', [a, s.scalar('i32', 0)]), toI32(s.op('BitwiseOr', [shifted, fill])), toI32(shifted)]);
  };

/**
 * Where, for every IR dtype: ONNX Runtime has no u32 Where, so u32 operands are picked as the i32
 * of the same bits (Cast between the two keeps the bits).
 */
export function where(s: Scope, p: string, a: string, b: string, dtype: DType): string {
  if (dtype !== 'u32') return s.op('Where', [p, a, b]);
  const bits = (x: string, to: DType) => s.op('Cast', [x], { to: { int: onnxDType(to) } });
  return bits(s.op('Where', [p, bits(a, 'i32'), bits(b, 'i32')]), 'u32');
}

const binary =
  (opType: string): Binary =>
  (s, a, b) =>
    s.op(opType, [a, b]);

const BINARY: { readonly [K in BinaryOp]: Binary } = {
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  // fmod: the remainder takes the dividend's sign, as the IR's rem (C's fmod, JS's %) does.
  rem: (s, a, b) => s.op('Mod', [a, b], { fmod: { int: 1 } }),
  pow: binary('Pow'),
  atan2,
  max: binary('Max'),
  min: binary('Min'),
  and: bitwise('And', 'BitwiseAnd'),
  or: bitwise('Or', 'BitwiseOr'),
  xor: bitwise('Xor', 'BitwiseXor'),
  shl: shift('LEFT'),
  shr: shift('RIGHT'),
  eq: binary('Equal'),
  ne: (s, a, b) => s.op('Not', [s.op('Equal', [a, b])]),
  lt: binary('Less'),
  le: binary('LessOrEqual'),
  gt: binary('Greater'),
  ge: binary('GreaterOrEqual'),
};

const unaryRule =
  <K extends UnaryOp>(op: K): Rule<K> =>
  ({ s }, node: Node<K>, [x]) => [UNARY[op](s, x, node.inputs[0].type.dtype)];

const binaryRule =
  <K extends BinaryOp>(op: K): Rule<K> =>
  ({ s }, node: Node<K>, [a, b]) => [BINARY[op](s, a, b, node.inputs[0].type.dtype)];

export const unaryRules = Object.fromEntries(Object.keys(UNARY).map((k) => [k, unaryRule(k as UnaryOp)])) as {
  readonly [K in UnaryOp]: Rule<K>;
};

export const binaryRules = Object.fromEntries(Object.keys(BINARY).map((k) => [k, binaryRule(k as BinaryOp)])) as {
  readonly [K in BinaryOp]: Rule<K>;
};

export const select: Rule<'select'> = ({ s }, node, [p, a, b]) => [where(s, p, a, b, node.outputs[0].type.dtype)];

export const cast: Rule<'cast'> = ({ s }, node, [x]) => [s.op('Cast', [x], { to: { int: onnxDType(node.attrs.dtype) } })];
