/**
 * WGSL helper functions that operator spellings call. WGSL lets an implementation assume that no
 * infinity or NaN occurs, and drivers act on it (lavapipe drops NaN in max/min, folds x != x to
 * false, returns INT_MIN for i32(NaN)); so every test for NaN or infinity here reads the bits,
 * and values that must not be folded at compile time go through `sizes.ax_zero`, a uniform word
 * the runtime always sets to 0.
 *
 * Each helper names the helpers it calls; `helperSources` returns them in dependency order.
 */
import { EXP_HELPERS } from './helpers-exp.ts';
import { TRIG_HELPERS } from './helpers-trig.ts';

export interface Helper {
  readonly deps: readonly string[];
  readonly wgsl: string;
}

const HELPERS: Readonly<Record<string, Helper>> = {
  ax_isnan: { deps: [], wgsl: 'fn ax_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }' },
  ax_isinf: { deps: [], wgsl: 'fn ax_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }' },
  ax_nan: { deps: [], wgsl: 'fn ax_nan() -> f32 { return bitcast<f32>(0x7fc00000u | sizes.ax_zero); }' },
  ax_inf: { deps: [], wgsl: 'fn ax_inf() -> f32 { return bitcast<f32>(0x7f800000u | sizes.ax_zero); }' },
  ax_nonfinite: { deps: [], wgsl: 'fn ax_nonfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) >= 0x7f800000u; }' },
  ax_opaque_f32: {
    deps: [],
    wgsl: '// The same value, unknown to the compiler (so x - x is not folded to 0).\nfn ax_opaque_f32(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) | sizes.ax_zero); }',
  },
  ax_unordered: {
    deps: ['ax_isnan'],
    wgsl: 'fn ax_unordered(a: f32, b: f32) -> bool { return ax_isnan(a) || ax_isnan(b); }',
  },
  // max/min propagate NaN and order -0 below +0 (a == b covers ±0: AND/OR of the bits picks the sign).
  ax_max_f32: {
    deps: ['ax_unordered', 'ax_nan'],
    wgsl: `fn ax_max_f32(a: f32, b: f32) -> f32 {
  let m = select(select(b, a, a > b), bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)), a == b);
  return select(m, ax_nan(), ax_unordered(a, b));
}`,
  },
  ax_min_f32: {
    deps: ['ax_unordered', 'ax_nan'],
    wgsl: `fn ax_min_f32(a: f32, b: f32) -> f32 {
  let m = select(select(b, a, a < b), bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)), a == b);
  return select(m, ax_nan(), ax_unordered(a, b));
}`,
  },
  ax_sign_f32: {
    deps: ['ax_isnan'],
    wgsl: '// sign(±0) = ±0 and sign(NaN) = NaN, as in JAX.\nfn ax_sign_f32(x: f32) -> f32 { return select(sign(x), x, x == 0.0 || ax_isnan(x)); }',
  },
  // sin/cos: arguments past pi/4 are reduced exactly (Payne-Hanek, with 2/pi to 192 bits), so
  // even 1e30 gives the correctly reduced value; the driver's sin/cos then run on [-pi/4, pi/4].
  ax_mul_24x32: {
    deps: [],
    wgsl: `// The 56-bit product of m < 2^24 and w as (low word, high word), in 12x16-bit pieces.
fn ax_mul_24x32(m: u32, w: u32) -> vec2<u32> {
  let ml = m & 0xfffu;
  let mh = m >> 12u;
  let wl = w & 0xffffu;
  let wh = w >> 16u;
  let p0 = ml * wl;
  let p1 = ml * wh;
  let p2 = mh * wl;
  let p3 = mh * wh;
  var lo = p0;
  var hi = 0u;
  let t1 = p1 << 16u; lo = lo + t1; hi = hi + (p1 >> 16u) + select(0u, 1u, lo < t1);
  let t2 = p2 << 12u; lo = lo + t2; hi = hi + (p2 >> 20u) + select(0u, 1u, lo < t2);
  let t3 = p3 << 28u; lo = lo + t3; hi = hi + (p3 >> 4u) + select(0u, 1u, lo < t3);
  return vec2<u32>(lo, hi);
}`,
  },
  ax_reduce_pio2: {
    deps: ['ax_mul_24x32'],
    wgsl: `// |x| = q * pi/2 + r with r in [-pi/4, pi/4]: returns (r, q mod 4 as f32), for finite x.
fn ax_reduce_pio2(x: f32) -> vec2<f32> {
  var w = array<u32, 8>(0u, 0xA2F9836Eu, 0x4E441529u, 0xFC2757D1u, 0xF534DDC0u, 0xDB629599u, 0x3C439041u, 0xFE5163ABu);
  let bits = bitcast<u32>(abs(x));
  let e = i32(bits >> 23u) - 127;
  let m = (bits & 0x7fffffu) | 0x800000u;
  // |x| = m * 2^(e - 23); bits of 2/pi before fraction bit e - 25 add multiples of 8 to |x| * 2/pi.
  // Take the 96 bits from there on (bit 1 is the first after the point; w[0] pads with zeros).
  let t = u32(e - 25 + 31);
  let k = t / 32u;
  let s = t % 32u;
  var w2 = w[k];
  var w1 = w[k + 1u];
  var w0 = w[k + 2u];
  if (s != 0u) {
    w2 = (w2 << s) | (w[k + 1u] >> (32u - s));
    w1 = (w1 << s) | (w[k + 2u] >> (32u - s));
    w0 = (w0 << s) | (w[k + 3u] >> (32u - s));
  }
  // P = m * (w2, w1, w0) mod 2^95; |x| * 2/pi mod 4 = P / 2^93: bits 93 and 94 are the quadrant.
  let a = ax_mul_24x32(m, w0);
  let b = ax_mul_24x32(m, w1);
  let c = ax_mul_24x32(m, w2);
  let p0 = a.x;
  let p1 = b.x + a.y;
  let p2 = c.x + b.y + select(0u, 1u, p1 < b.x);
  var q = (p2 >> 29u) & 3u;
  var f0 = p0;
  var f1 = p1;
  var f2 = p2 & 0x1fffffffu;
  var sign = 1.0;
  if ((f2 & 0x10000000u) != 0u) {
    // A fraction of a half or more: r = -(1 - fraction), negated exactly in integers.
    f0 = ~f0 + 1u;
    let c0 = select(0u, 1u, f0 == 0u);
    f1 = ~f1 + c0;
    let c1 = select(0u, 1u, c0 == 1u && f1 == 0u);
    f2 = (~f2 + c1) & 0x1fffffffu;
    q = (q + 1u) & 3u;
    sign = -1.0;
  }
  let f = f32(f2) * 1.86264515e-9 + f32(f1) * 4.33680869e-19 + f32(f0) * 1.00974196e-28;
  return vec2<f32>(sign * f * 1.57079633, f32(q));
}`,
  },
  ax_sin: {
    deps: ['ax_reduce_pio2', 'ax_nonfinite', 'ax_nan'],
    wgsl: `fn ax_sin(x: f32) -> f32 {
  if (abs(x) <= 0.785398163) { return sin(x); }
  if (ax_nonfinite(x)) { return ax_nan(); }
  let rq = ax_reduce_pio2(x);
  let q = u32(rq.y);
  var v = select(sin(rq.x), cos(rq.x), (q & 1u) == 1u);
  if (q >= 2u) { v = -v; }
  return select(v, -v, x < 0.0);
}`,
  },
  ax_cos: {
    deps: ['ax_reduce_pio2', 'ax_nonfinite', 'ax_nan'],
    wgsl: `fn ax_cos(x: f32) -> f32 {
  if (abs(x) <= 0.785398163) { return cos(x); }
  if (ax_nonfinite(x)) { return ax_nan(); }
  let rq = ax_reduce_pio2(x);
  let q = u32(rq.y);
  var v = select(cos(rq.x), -sin(rq.x), (q & 1u) == 1u);
  if (q >= 2u) { v = -v; }
  return v;
}`,
  },
  ax_fmod: {
    deps: ['ax_nan'],
    wgsl: `// C's fmod, exactly (musl's fmodf: long division on the significands).
fn ax_fmod(x: f32, y: f32) -> f32 {
  let sx = bitcast<u32>(x) & 0x80000000u;
  var ux = bitcast<u32>(x) & 0x7fffffffu;
  var uy = bitcast<u32>(y) & 0x7fffffffu;
  if (uy == 0u || uy > 0x7f800000u || ux >= 0x7f800000u) { return ax_nan(); }
  if (ux < uy) { return x; }
  if (ux == uy) { return bitcast<f32>(sx); }
  var ex = i32(ux >> 23u);
  var ey = i32(uy >> 23u);
  if (ex == 0) {
    var i = ux << 9u;
    while ((i >> 31u) == 0u) { ex = ex - 1; i = i << 1u; }
    ux = ux << u32(1 - ex);
  } else {
    ux = (ux & 0x7fffffu) | 0x800000u;
  }
  if (ey == 0) {
    var i = uy << 9u;
    while ((i >> 31u) == 0u) { ey = ey - 1; i = i << 1u; }
    uy = uy << u32(1 - ey);
  } else {
    uy = (uy & 0x7fffffu) | 0x800000u;
  }
  for (; ex > ey; ex = ex - 1) {
    let i = ux - uy;
    if ((i >> 31u) == 0u) {
      if (i == 0u) { return bitcast<f32>(sx); }
      ux = i;
    }
    ux = ux << 1u;
  }
  let i = ux - uy;
  if ((i >> 31u) == 0u) {
    if (i == 0u) { return bitcast<f32>(sx); }
    ux = i;
  }
  while ((ux >> 23u) == 0u) { ux = ux << 1u; ex = ex - 1; }
  if (ex > 0) { ux = (ux - 0x800000u) | (u32(ex) << 23u); } else { ux = ux >> u32(1 - ex); }
  return bitcast<f32>(ux | sx);
}`,
  },
  ax_exp2_scaled: {
    deps: ['ax_inf', 'ax_ldexp'],
    wgsl: `// 2^t as exp2(fraction) * 2^n, with subnormal results scaled through the normal range.
fn ax_exp2_scaled(t: f32) -> f32 {
  if (t > 200.0) { return ax_inf(); }
  if (t < -200.0) { return 0.0; }
  let n = floor(t);
  return ax_ldexp(exp2(t - n), n);
}`,
  },
  ax_ldexp: {
    deps: [],
    wgsl: `// v * 2^n for v in [1, 2) and integral n in [-400, 400], subnormal results included.
fn ax_ldexp(v: f32, n: f32) -> f32 {
  if (n < -126.0) { return ldexp(v, i32(n) + 64) * 5.42101086e-20; }
  return ldexp(v, i32(n));
}`,
  },
  ax_pow_magnitude: {
    deps: ['ax_log1p', 'ax_exp2_scaled', 'ax_ldexp', 'ax_inf'],
    wgsl: `// a^y for finite a > 0 and finite y != 0. Near a = 1, log2 a = log1p(a - 1) / ln 2 (a - 1 is
// exact). Elsewhere a = m * 2^k (m in [1, 2)) and y log2 a = y k + y log2 m is split into an
// integer and a fraction before exp2, so that precision holds up to the overflow threshold.
fn ax_pow_magnitude(a: f32, y: f32) -> f32 {
  if (a > 0.5 && a < 2.0) { return ax_exp2_scaled(y * (ax_log1p(a - 1.0) * 1.44269504)); }
  var bits = bitcast<u32>(a);
  var k = i32(bits >> 23u) - 127;
  if (k == -127) {
    bits = bitcast<u32>(a * 16777216.0);
    k = i32(bits >> 23u) - 151;
  }
  let lm = log2(bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u));
  let t = y * (f32(k) + lm);
  if (t > 200.0) { return ax_inf(); }
  if (t < -200.0) { return 0.0; }
  let yk = y * f32(k);
  let n1 = floor(yk);
  let g = (yk - n1) + y * lm;
  let n2 = floor(g);
  return ax_ldexp(exp2(g - n2), n1 + n2);
}`,
  },
  ax_pow: {
    deps: ['ax_isnan', 'ax_isinf', 'ax_nan', 'ax_inf', 'ax_pow_magnitude'],
    wgsl: `// C99's pow (JAX's): the special cases, then the magnitude, negated for a negative base and an
// odd integer exponent.
fn ax_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (ax_isnan(x) || ax_isnan(y)) { return ax_nan(); }
  let a = abs(x);
  if (ax_isinf(y)) {
    if (a == 1.0) { return 1.0; }
    return select(0.0, ax_inf(), (a > 1.0) == (y > 0.0));
  }
  var mag: f32;
  if (a == 0.0) { mag = select(ax_inf(), 0.0, y > 0.0); }
  else if (ax_isinf(a)) { mag = select(0.0, ax_inf(), y > 0.0); }
  else { mag = ax_pow_magnitude(a, y); }
  let negative = (bitcast<u32>(x) & 0x80000000u) != 0u;
  let integral = floor(y) == y;
  let odd = integral && abs(y) < 16777216.0 && fract(y * 0.5) != 0.0;
  if (negative && !integral && a != 0.0 && !ax_isinf(a)) { return ax_nan(); }
  return select(mag, -mag, negative && odd);
}`,
  },
  ...EXP_HELPERS,
  ...TRIG_HELPERS,
};

/** The WGSL of the named helpers and of everything they call, callees first, each once. */
export function helperSources(names: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const h = HELPERS[name];
    if (!h) throw new Error(`wgsl: unknown helper ${name}`);
    h.deps.forEach(visit);
    out.push(h.wgsl);
  };
  for (const n of names) visit(n);
  return out;
}

export const isHelper = (name: string): boolean => Object.prototype.hasOwnProperty.call(HELPERS, name);

/** Every helper's name (for tests). */
export const helperNames = (): string[] => Object.keys(HELPERS);
