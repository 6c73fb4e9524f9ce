import type { DType } from '../dtype.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import type { OpDef } from '../op-def.ts';
import type { BinaryOp } from '../op-attrs.ts';
import { formatType } from '../shape.ts';
import { broadcastedShape, broadcastIndexers, broadcastShapes } from './broadcast.ts';

const NUMERIC: readonly DType[] = ['f32', 'i32', 'u32'];
const FLOAT: readonly DType[] = ['f32'];
const BITS: readonly DType[] = ['bool', 'i32', 'u32'];
const INT: readonly DType[] = ['i32', 'u32'];
const ANY: readonly DType[] = ['f32', 'i32', 'u32', 'bool'];

interface BinarySpec {
  dtypes: readonly DType[];
  /** Result dtype is bool (comparisons) rather than the operand dtype. */
  compare?: boolean;
  ref(a: number, b: number, dtype: DType): number;
  wgsl(a: string, b: string, dtype: DType): string;
}

/** Wraps an exact float64 integer result to the dtype's 32-bit range, as the GPU does. */
const wrap = (v: number, d: DType): number => (d === 'i32' ? v | 0 : d === 'u32' ? v >>> 0 : v);
const infix = (o: string) => (a: string, b: string) => `(${a} ${o} ${b})`;

const BINARY: { [K in BinaryOp]: BinarySpec } = {
  add: { dtypes: NUMERIC, ref: (a, b, d) => wrap(a + b, d), wgsl: infix('+') },
  sub: { dtypes: NUMERIC, ref: (a, b, d) => wrap(a - b, d), wgsl: infix('-') },
  mul: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a * b : wrap(Math.imul(a, b), d)), wgsl: infix('*') },
  // WGSL: integer division by zero yields the dividend, remainder by zero yields 0.
  div: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a / b : b === 0 ? a : wrap(Math.trunc(a / b), d)), wgsl: infix('/') },
  rem: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a % b : b === 0 ? 0 : wrap(a % b, d)), wgsl: infix('%') },
  pow: { dtypes: FLOAT, ref: Math.pow, wgsl: (a, b) => `pow(${a}, ${b})` },
  max: { dtypes: NUMERIC, ref: (a, b) => Math.max(a, b), wgsl: (a, b) => `max(${a}, ${b})` },
  min: { dtypes: NUMERIC, ref: (a, b) => Math.min(a, b), wgsl: (a, b) => `min(${a}, ${b})` },
  and: { dtypes: BITS, ref: (a, b, d) => wrap(a & b, d), wgsl: infix('&') },
  or: { dtypes: BITS, ref: (a, b, d) => wrap(a | b, d), wgsl: infix('|') },
  xor: { dtypes: BITS, ref: (a, b, d) => wrap(a ^ b, d), wgsl: (a, b, d) => (d === 'bool' ? `(${a} != ${b})` : `(${a} ^ ${b})`) },
  // Shift amounts are taken modulo 32, as WGSL does for run-time values.
  shl: { dtypes: INT, ref: (a, b, d) => wrap(a << (b & 31), d), wgsl: (a, b) => `(${a} << (u32(${b}) & 31u))` },
  shr: {
    dtypes: INT,
    ref: (a, b, d) => (d === 'i32' ? a >> (b & 31) : a >>> (b & 31)),
    wgsl: (a, b) => `(${a} >> (u32(${b}) & 31u))`,
  },
  eq: { dtypes: ANY, compare: true, ref: (a, b) => +(a === b), wgsl: infix('==') },
  ne: { dtypes: ANY, compare: true, ref: (a, b) => +(a !== b), wgsl: infix('!=') },
  lt: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a < b), wgsl: infix('<') },
  le: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a <= b), wgsl: infix('<=') },
  gt: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a > b), wgsl: infix('>') },
  ge: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a >= b), wgsl: infix('>=') },
};

export const isComparison = (op: BinaryOp): boolean => BINARY[op].compare === true;

function binaryDef<K extends BinaryOp>(name: K): OpDef<K> {
  const spec = BINARY[name];
  return {
    name,
    arity: 2,
    attrs: {} as OpDef<K>['attrs'],
    infer([a, b]) {
      if (a.dtype !== b.dtype)
        throw new ShapeError(name, `operand dtypes differ (${a.dtype} vs ${b.dtype}); cast one first`, [formatType(a), formatType(b)]);
      if (!spec.dtypes.includes(a.dtype))
        throw new ShapeError(name, `dtype ${a.dtype} not supported (expected ${spec.dtypes.join(' or ')})`, [formatType(a), formatType(b)]);
      return [{ dtype: spec.compare ? 'bool' : a.dtype, shape: broadcastShapes(name, [a, b]) }];
    },
    evalRef([a, b]) {
      const shape = broadcastedShape([a, b]);
      const out = hostTensor(spec.compare ? 'bool' : a.dtype, shape);
      const [ia, ib] = broadcastIndexers(shape, [a.shape, b.shape]);
      for (let i = 0; i < out.data.length; i++) out.data[i] = spec.ref(a.data[ia(i)], b.data[ib(i)], a.dtype);
      return [out];
    },
    kernel: { kind: 'elementwise', wgsl: ([x, y], [d]) => spec.wgsl(x, y, d) },
  };
}

export const binaryOps = Object.fromEntries(
  (Object.keys(BINARY) as BinaryOp[]).map((k) => [k, binaryDef(k)]),
) as { [K in BinaryOp]: OpDef<K> };
