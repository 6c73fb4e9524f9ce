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
  wgsl(x: string, dtype: DType): string;
  prelude?: string;
  /** x̄ from the operand x, the result y and the result's cotangent g; absent: zero gradient. */
  vjp?(e: Emitter, x: Value, y: Value, g: Value): Value;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** WGSL has no log1p/expm1/erf; these are accurate in f32 (the classic u-1 correction tricks). */
const LOG1P = `fn ax_log1p(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } return log(u) * x / (u - 1.0); }`;
const EXPM1 = `fn ax_expm1(x: f32) -> f32 { if (abs(x) < 1e-5) { return x + 0.5 * x * x; } let u = exp(x); if (u == 1.0) { return x; } let um1 = u - 1.0; if (um1 == -1.0) { return -1.0; } return um1 * x / log(u); }`;
const ERF = `fn ax_erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let x2 = x * x;
    return x * (1.1283791671 + x2 * (-0.3761263890 + x2 * (0.1128379167 + x2 * (-0.0268661706 + x2 * (0.0052239776 + x2 * -0.0008548327)))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return sign(x) * y;
}`;

const UNARY: { [K in UnaryOp]: UnarySpec } = {
  neg: { dtypes: SIGNED, ref: (x, d) => (d === 'i32' ? -x | 0 : -x), wgsl: (x) => `(-${x})`, vjp: (e, _x, _y, g) => e.neg(g) },
  abs: { dtypes: SIGNED, ref: (x, d) => (d === 'i32' ? Math.abs(x) | 0 : Math.abs(x)), wgsl: (x) => `abs(${x})`, vjp: (e, x, _y, g) => e.mul(g, e.unary('sign', x)) },
  sign: { dtypes: SIGNED, ref: (x) => (Number.isNaN(x) ? NaN : Math.sign(x) + 0), wgsl: (x) => `sign(${x})` },
  exp: { dtypes: FLOAT, ref: Math.exp, wgsl: (x) => `exp(${x})`, vjp: (e, _x, y, g) => e.mul(g, y) },
  log: { dtypes: FLOAT, ref: Math.log, wgsl: (x) => `log(${x})`, vjp: (e, x, _y, g) => e.div(g, x) },
  sqrt: { dtypes: FLOAT, ref: Math.sqrt, wgsl: (x) => `sqrt(${x})`, vjp: (e, _x, y, g) => e.div(e.scale(g, 0.5), y) },
  rsqrt: { dtypes: FLOAT, ref: (x) => 1 / Math.sqrt(x), wgsl: (x) => `inverseSqrt(${x})`, vjp: (e, x, y, g) => e.mul(e.scale(g, -0.5), e.div(y, x)) },
  sin: { dtypes: FLOAT, ref: Math.sin, wgsl: (x) => `sin(${x})`, vjp: (e, x, _y, g) => e.mul(g, e.unary('cos', x)) },
  cos: { dtypes: FLOAT, ref: Math.cos, wgsl: (x) => `cos(${x})`, vjp: (e, x, _y, g) => e.neg(e.mul(g, e.unary('sin', x))) },
  // Clamped: some drivers compute tanh through exp and return NaN for large |x|.
  tanh: { dtypes: FLOAT, ref: Math.tanh, wgsl: (x) => `tanh(clamp(${x}, -15.0, 15.0))`, vjp: (e, _x, y, g) => e.mul(g, e.sub(e.scalar(1), e.mul(y, y))) },
  logistic: { dtypes: FLOAT, ref: logistic, wgsl: (x) => `(1.0 / (1.0 + exp(-${x})))`, vjp: (e, _x, y, g) => e.mul(g, e.mul(y, e.sub(e.scalar(1), y))) },
  floor: { dtypes: FLOAT, ref: Math.floor, wgsl: (x) => `floor(${x})` },
  ceil: { dtypes: FLOAT, ref: Math.ceil, wgsl: (x) => `ceil(${x})` },
  round: { dtypes: FLOAT, ref: roundHalfEven, wgsl: (x) => `round(${x})` },
  log1p: { dtypes: FLOAT, ref: Math.log1p, wgsl: (x) => `ax_log1p(${x})`, prelude: LOG1P, vjp: (e, x, _y, g) => e.div(g, e.add(x, e.scalar(1))) },
  expm1: { dtypes: FLOAT, ref: Math.expm1, wgsl: (x) => `ax_expm1(${x})`, prelude: EXPM1, vjp: (e, _x, y, g) => e.mul(g, e.add(y, e.scalar(1))) },
  erf: { dtypes: FLOAT, ref: erf, wgsl: (x) => `ax_erf(${x})`, prelude: ERF, vjp: (e, x, _y, g) => e.mul(e.scale(g, TWO_OVER_SQRT_PI), e.unary('exp', e.neg(e.mul(x, x)))) },
  not: {
    dtypes: BITS,
    ref: (x, d) => (d === 'bool' ? (x ? 0 : 1) : d === 'i32' ? ~x : ~x >>> 0),
    wgsl: (x, d) => (d === 'bool' ? `(!${x})` : `(~${x})`),
  },
  // Identity in value; autodiff treats it as a constant.
  stop_gradient: { dtypes: ANY, ref: (x) => x, wgsl: (x) => x },
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
    kernel: { kind: 'elementwise', wgsl: ([a], [d]) => spec.wgsl(a, d), prelude: spec.prelude },
    vjp: spec.vjp ? ({ e }, { inputs: [x], outputs: [y], cts: [g] }) => [g && spec.vjp!(e, x, y, g)] : null,
    batch: batchAxisKept(name),
  };
}

export const unaryOps = Object.fromEntries(
  (Object.keys(UNARY) as UnaryOp[]).map((k) => [k, unaryDef(k)]),
) as { [K in UnaryOp]: OpDef<K> };
