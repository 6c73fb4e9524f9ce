import type { DType } from '../dtype.ts';
import type { Emitter } from '../emit.ts';
import type { Value } from '../graph.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import type { OpDef } from '../op-def.ts';
import type { UnaryOp } from '../op-attrs.ts';
import { formatType } from '../shape.ts';
import { batchAxisKept } from './batching.ts';
import { erf, logistic, roundHalfEven } from './scalar-math.ts';

const FLOAT: readonly DType[] = ['f32'];
const SIGNED: readonly DType[] = ['f32', 'i32'];
const BITS: readonly DType[] = ['bool', 'i32', 'u32'];
const ANY: readonly DType[] = ['f32', 'i32', 'u32', 'bool'];

interface UnarySpec {
  dtypes: readonly DType[];
  ref(x: number, dtype: DType): number;
  /** x̄ from the operand x, the result y and the result's cotangent g; absent: zero gradient. */
  vjp?(e: Emitter, x: Value, y: Value, g: Value): Value;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** 1 - x², as (1 - x)(1 + x): no cancellation as |x| nears 1. */
const oneMinusSquare = (e: Emitter, x: Value): Value => e.mul(e.sub(e.scalar(1), x), e.add(e.scalar(1), x));

const UNARY: { [K in UnaryOp]: UnarySpec } = {
  neg: { dtypes: SIGNED, ref: (x, d) => (d === 'i32' ? -x | 0 : -x), vjp: (e, _x, _y, g) => e.neg(g) },
  abs: { dtypes: SIGNED, ref: (x, d) => (d === 'i32' ? Math.abs(x) | 0 : Math.abs(x)), vjp: (e, x, _y, g) => e.mul(g, e.unary('sign', x)) },
  // sign(±0) = ±0 and sign(NaN) = NaN, as in JAX.
  sign: { dtypes: SIGNED, ref: (x) => Math.sign(x) },
  exp: { dtypes: FLOAT, ref: Math.exp, vjp: (e, _x, y, g) => e.mul(g, y) },
  log: { dtypes: FLOAT, ref: Math.log, vjp: (e, x, _y, g) => e.div(g, x) },
  sqrt: { dtypes: FLOAT, ref: Math.sqrt, vjp: (e, _x, y, g) => e.div(e.scale(g, 0.5), y) },
  rsqrt: { dtypes: FLOAT, ref: (x) => 1 / Math.sqrt(x), vjp: (e, x, y, g) => e.mul(e.scale(g, -0.5), e.div(y, x)) },
  sin: { dtypes: FLOAT, ref: Math.sin, vjp: (e, x, _y, g) => e.mul(g, e.unary('cos', x)) },
  cos: { dtypes: FLOAT, ref: Math.cos, vjp: (e, x, _y, g) => e.neg(e.mul(g, e.unary('sin', x))) },
  tanh: { dtypes: FLOAT, ref: Math.tanh, vjp: (e, _x, y, g) => e.mul(g, e.sub(e.scalar(1), e.mul(y, y))) },
  logistic: { dtypes: FLOAT, ref: logistic, vjp: (e, _x, y, g) => e.mul(g, e.mul(y, e.sub(e.scalar(1), y))) },
  floor: { dtypes: FLOAT, ref: Math.floor },
  ceil: { dtypes: FLOAT, ref: Math.ceil },
  round: { dtypes: FLOAT, ref: roundHalfEven },
  log1p: { dtypes: FLOAT, ref: Math.log1p, vjp: (e, x, _y, g) => e.div(g, e.add(x, e.scalar(1))) },
  expm1: { dtypes: FLOAT, ref: Math.expm1, vjp: (e, _x, y, g) => e.mul(g, e.add(y, e.scalar(1))) },
  erf: { dtypes: FLOAT, ref: erf, vjp: (e, x, _y, g) => e.mul(e.scale(g, TWO_OVER_SQRT_PI), e.unary('exp', e.neg(e.mul(x, x)))) },
  // tan, the inverse trigonometric and the hyperbolic functions: JS's Math.* follow C99 Annex F at
  // NaN, ±0, ±1 and ±inf.
  tan: { dtypes: FLOAT, ref: Math.tan, vjp: (e, _x, y, g) => e.mul(g, e.add(e.scalar(1), e.mul(y, y))) },
  asin: { dtypes: FLOAT, ref: Math.asin, vjp: (e, x, _y, g) => e.mul(g, e.unary('rsqrt', oneMinusSquare(e, x))) },
  acos: { dtypes: FLOAT, ref: Math.acos, vjp: (e, x, _y, g) => e.neg(e.mul(g, e.unary('rsqrt', oneMinusSquare(e, x)))) },
  atan: { dtypes: FLOAT, ref: Math.atan, vjp: (e, x, _y, g) => e.div(g, e.add(e.scalar(1), e.mul(x, x))) },
  sinh: { dtypes: FLOAT, ref: Math.sinh, vjp: (e, x, _y, g) => e.mul(g, e.unary('cosh', x)) },
  cosh: { dtypes: FLOAT, ref: Math.cosh, vjp: (e, x, _y, g) => e.mul(g, e.unary('sinh', x)) },
  asinh: { dtypes: FLOAT, ref: Math.asinh, vjp: (e, x, _y, g) => e.mul(g, e.unary('rsqrt', e.add(e.mul(x, x), e.scalar(1)))) },
  // 1/sqrt((x - 1)(x + 1)), as JAX writes it: x² - 1 would cancel near 1.
  acosh: {
    dtypes: FLOAT,
    ref: Math.acosh,
    vjp: (e, x, _y, g) => e.mul(g, e.unary('rsqrt', e.mul(e.sub(x, e.scalar(1)), e.add(x, e.scalar(1))))),
  },
  atanh: { dtypes: FLOAT, ref: Math.atanh, vjp: (e, x, _y, g) => e.div(g, oneMinusSquare(e, x)) },
  not: {
    dtypes: BITS,
    ref: (x, d) => (d === 'bool' ? (x ? 0 : 1) : d === 'i32' ? ~x : ~x >>> 0),
  },
  // Identity in value; autodiff treats it as a constant.
  stop_gradient: { dtypes: ANY, ref: (x) => x },
};

function unaryDef<K extends UnaryOp>(name: K): OpDef<K> {
  const spec = UNARY[name];
  return {
    name,
    arity: 1,
    attrs: {} as OpDef<K>['attrs'],
    infer([x]) {
      if (!spec.dtypes.includes(x.dtype))
        throw new ShapeError(name, `dtype ${x.dtype} not supported (expected ${spec.dtypes.join(' or ')})`, [formatType(x)]);
      return [x];
    },
    evalRef([x]) {
      const out = hostTensor(x.dtype, x.shape);
      for (let i = 0; i < out.data.length; i++) out.data[i] = spec.ref(x.data[i], x.dtype);
      return [out];
    },
    kernel: { kind: 'elementwise' },
    vjp: spec.vjp ? ({ e }, { inputs: [x], outputs: [y], cts: [g] }) => [g && spec.vjp!(e, x, y, g)] : null,
    batch: batchAxisKept(name),
  };
}

export const unaryOps = Object.fromEntries(
  (Object.keys(UNARY) as UnaryOp[]).map((k) => [k, unaryDef(k)]),
) as { [K in UnaryOp]: OpDef<K> };
