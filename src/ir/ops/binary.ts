import type { DType } from '../dtype.ts';
import type { Emitter } from '../emit.ts';
import type { Value } from '../graph.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import type { OpDef } from '../op-def.ts';
import type { BinaryOp } from '../op-attrs.ts';
import { formatType } from '../shape.ts';
import { batchElementwise } from './batching.ts';
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
  /** (ā, b̄) before un-broadcasting, from the operands, the result and its cotangent g. */
  vjp?(e: Emitter, a: Value, b: Value, y: Value, g: Value): [Value | undefined, Value | undefined];
}

/** trunc(z) in primitives: floor for z >= 0, ceil below. */
const trunc = (e: Emitter, z: Value): Value => e.select(e.binary('lt', z, e.scalar(0)), e.unary('ceil', z), e.unary('floor', z));

/** The share of the cotangent that max/min sends to `a`: 1 where a wins, 1/2 on ties (as JAX). */
function winnerShare(e: Emitter, a: Value, b: Value, wins: 'gt' | 'lt'): Value {
  const half = e.scalar(0.5);
  return e.select(e.binary(wins, a, b), e.scalar(1), e.select(e.binary('eq', a, b), half, e.scalar(0)));
}

/** Wraps an exact float64 integer result to the dtype's 32-bit range, as the GPU does. */
const wrap = (v: number, d: DType): number => (d === 'i32' ? v | 0 : d === 'u32' ? v >>> 0 : v);

/** C99's pow, as JAX computes it: JS differs only in pow(1, NaN) and pow(-1, ±Infinity), both 1 in C. */
const powC = (a: number, b: number): number => (a === 1 || (Math.abs(a) === 1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b));

const BINARY: { [K in BinaryOp]: BinarySpec } = {
  add: { dtypes: NUMERIC, ref: (a, b, d) => wrap(a + b, d), vjp: (_e, _a, _b, _y, g) => [g, g] },
  sub: { dtypes: NUMERIC, ref: (a, b, d) => wrap(a - b, d), vjp: (e, _a, _b, _y, g) => [g, e.neg(g)] },
  mul: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a * b : wrap(Math.imul(a, b), d)), vjp: (e, a, b, _y, g) => [e.mul(g, b), e.mul(g, a)] },
  // Integers, as XLA defines them: x / 0 = -1 (all bits set), x % 0 = x, INT_MIN / -1 = INT_MIN.
  div: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a / b : b === 0 ? wrap(-1, d) : wrap(Math.trunc(a / b), d)), vjp: (e, _a, b, y, g) => [e.div(g, b), e.neg(e.div(e.mul(g, y), b))] },
  rem: { dtypes: NUMERIC, ref: (a, b, d) => (d === 'f32' ? a % b : b === 0 ? a : wrap(a % b, d)), vjp: (e, a, b, _y, g) => [g, e.neg(e.mul(g, trunc(e, e.div(a, b))))] },
  pow: { dtypes: FLOAT, ref: powC, vjp: (e, a, b, y, g) => [
      e.mul(g, e.mul(b, e.binary('pow', a, e.sub(b, e.scalar(1))))),
      // d/db a^b = a^b log a, taken as 0 where a == 0 (the limit from a > 0).
      e.select(e.binary('eq', a, e.scalar(0)), e.zerosLike(y), e.mul(g, e.mul(y, e.unary('log', a)))),
    ] },
  // atan2(a, b) is the angle of the point (b, a); JS's Math.atan2 has C99's signed zeros and infinities.
  atan2: { dtypes: FLOAT, ref: Math.atan2, vjp: (e, a, b, _y, g) => {
      const r2 = e.add(e.mul(a, a), e.mul(b, b));
      return [e.div(e.mul(g, b), r2), e.neg(e.div(e.mul(g, a), r2))];
    } },
  max: { dtypes: NUMERIC, ref: (a, b) => Math.max(a, b), vjp: (e, a, b, _y, g) => [e.mul(g, winnerShare(e, a, b, 'gt')), e.mul(g, winnerShare(e, b, a, 'gt'))] },
  min: { dtypes: NUMERIC, ref: (a, b) => Math.min(a, b), vjp: (e, a, b, _y, g) => [e.mul(g, winnerShare(e, a, b, 'lt')), e.mul(g, winnerShare(e, b, a, 'lt'))] },
  and: { dtypes: BITS, ref: (a, b, d) => wrap(a & b, d) },
  or: { dtypes: BITS, ref: (a, b, d) => wrap(a | b, d) },
  xor: { dtypes: BITS, ref: (a, b, d) => wrap(a ^ b, d) },
  // Shift amounts are taken modulo 32, as WGSL does for run-time values.
  shl: { dtypes: INT, ref: (a, b, d) => wrap(a << (b & 31), d) },
  shr: { dtypes: INT, ref: (a, b, d) => (d === 'i32' ? a >> (b & 31) : a >>> (b & 31)) },
  eq: { dtypes: ANY, compare: true, ref: (a, b) => +(a === b) },
  ne: { dtypes: ANY, compare: true, ref: (a, b) => +(a !== b) },
  lt: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a < b) },
  le: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a <= b) },
  gt: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a > b) },
  ge: { dtypes: NUMERIC, compare: true, ref: (a, b) => +(a >= b) },
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
    kernel: { kind: 'elementwise' },
    vjp: spec.vjp
      ? ({ e }, { inputs: [a, b], outputs: [y], cts: [g] }) => {
          if (!g) return [undefined, undefined];
          const [ga, gb] = spec.vjp!(e, a, b, y, g);
          return [ga && e.sumTo(ga, a.type.shape), gb && e.sumTo(gb, b.type.shape)];
        }
      : null,
    batch: (ctx, { inputs, attrs }) => batchElementwise(ctx, name, inputs, attrs),
  };
}

export const binaryOps = Object.fromEntries(
  (Object.keys(BINARY) as BinaryOp[]).map((k) => [k, binaryDef(k)]),
) as { [K in BinaryOp]: OpDef<K> };
