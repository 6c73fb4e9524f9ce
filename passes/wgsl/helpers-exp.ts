import type { Helper } from './helpers.ts';

/**
 * WGSL helpers for exp, log and their relatives. The builtins are loose where it matters: on
 * lavapipe exp(88.7) is 65 ULP off (its error grows with |x|) and log's error near 1 is absolute
 * (log(1 - 2^-24) 6e6 ULP off), so log1p, expm1 and tanh built on them were wrong near 0. So these
 * are fdlibm's (musl's) single-precision algorithms in plain arithmetic: an exact argument
 * reduction, a short polynomial on the reduced range, and the scale by 2^k built from the bits.
 * Values whose rounding error is recovered later (log1p's 1 + x, expm1's reduced argument) go
 * through ax_opaque_f32: lavapipe would otherwise fold (1 + x) - 1 back to x and the correction
 * to 0. Branches are selects, so that neighbouring lanes need not diverge. Special values are
 * decided on the bits; subnormal arguments are normalised in integers, so a driver that flushes
 * them (in arithmetic) cannot lose them. In the dense sweep of test/passes/accuracy.test.ts and
 * in a walk through every 1021st f32 on lavapipe, no error exceeds 1.3 ULP (logistic, which
 * rounds twice more after exp, 2.4 ULP).
 */

/** ln 2 split so that k * hi is exact for |k| < 512 (15 significant bits) and hi + lo is ln 2 to 2^-44. */
const LN2_HI = '0.693145751953125';
const LN2_LO = '1.42860677e-6';
const INV_LN2 = '1.44269504';

export const EXP_HELPERS: Readonly<Record<string, Helper>> = {
  ax_pow2i: {
    deps: [],
    wgsl: `// 2^k for integral k in [-126, 127], from the bits.
fn ax_pow2i(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }`,
  },
  ax_exp_core: {
    deps: ['ax_opaque_f32', 'ax_pow2i'],
    wgsl: `// e^(a + b) for a in [-104, 89] and |b| < 0.02 (as Cephes' expf): a + b = n ln2 + r with
// |r| < 0.37, e^r = 1 + r + r^2 P(r) (a minimax fit, relative error 5e-9), then 2^n in two
// halves, so that subnormal results are rounded once and 2^128 overflows only in the product.
// b carries the low part of an argument that is not an f32 (erf's -x^2).
fn ax_exp_core(a: f32, b: f32) -> f32 {
  // n = round(a / ln2), read from the bits of a / ln2 + 1.5 * 2^23 (cheaper than round and i32()).
  let k = i32(bitcast<u32>(a * ${INV_LN2} + 12582912.0)) - 0x4b400000;
  let n = f32(k);
  let r = ax_opaque_f32(a - n * ${LN2_HI}) - n * ${LN2_LO} + b;
  let p = ((((1.38044159e-3 * r + 8.37363862e-3) * r + 4.16688994e-2) * r + 1.66664779e-1) * r + 4.99999911e-1) * (r * r) + r + 1.0;
  let k1 = k >> 1u;
  return (p * ax_pow2i(k1)) * ax_pow2i(k - k1);
}`,
  },
  ax_exp: {
    deps: ['ax_exp_core', 'ax_isnan'],
    wgsl: `// Past the clamp e^x is 0 or +inf anyway; NaN passes through.
fn ax_exp(x: f32) -> f32 { return select(ax_exp_core(clamp(x, -104.0, 89.0), 0.0), x, ax_isnan(x)); }`,
  },
  ax_log_reduced: {
    deps: [],
    wgsl: `// log(1 + f) + lo for f in [sqrt(2)/2 - 1, sqrt(2) - 1] and a small lo (fdlibm's logf kernel):
// with s = f / (2 + f), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R to 2^-34.
fn ax_log_reduced(f: f32, lo: f32) -> f32 {
  let s = f / (2.0 + f);
  let z = s * s;
  let w = z * z;
  let r = z * (0.666666627 + w * 0.284987867) + w * (0.400009722 + w * 0.242790788);
  let hfsq = 0.5 * f * f;
  return s * (hfsq + r) + lo - hfsq + f;
}`,
  },
  ax_log: {
    deps: ['ax_log_reduced', 'ax_nan', 'ax_inf'],
    wgsl: `// musl's logf: x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)). A subnormal x is its
// significand m times 2^-149, and f32(m) is exact.
fn ax_log(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  let sub = u < 0x00800000u;
  let iy = bitcast<u32>(select(x, f32(u), sub)) + (0x3f800000u - 0x3f3504f3u);
  let k = f32(i32(iy >> 23u) - select(127, 276, sub));
  let f = bitcast<f32>((iy & 0x7fffffu) + 0x3f3504f3u) - 1.0;
  let v = ax_log_reduced(f, k * ${LN2_LO}) + k * ${LN2_HI};
  // +inf and NaN stay; log(x < 0) is NaN and log(±0) = -inf.
  let big = select(v, x, u >= 0x7f800000u);
  return select(select(big, ax_nan(), u > 0x80000000u), -ax_inf(), (u & 0x7fffffffu) == 0u);
}`,
  },
  ax_log1p: {
    deps: ['ax_log_reduced', 'ax_opaque_f32', 'ax_nan', 'ax_inf'],
    wgsl: `// musl's log1pf: u = 1 + x = 2^k (1 + f), plus c = (1 + x - u) / u, the rounding error of u,
// recovered exactly (x - (u - 1) for k < 2, 1 - (u - x) above, and from k = 25 on it is below
// half an ULP). Where k = 0, f = x itself. u is opaque, or the driver folds c to 0.
fn ax_log1p(x: f32) -> f32 {
  let u = ax_opaque_f32(1.0 + x);
  let iu = bitcast<u32>(u) + (0x3f800000u - 0x3f3504f3u);
  let k = i32(iu >> 23u) - 127;
  let c = select(select(x - (u - 1.0), 1.0 - (u - x), k >= 2) / u, 0.0, k == 0 || k >= 25);
  let f = select(bitcast<f32>((iu & 0x7fffffu) + 0x3f3504f3u) - 1.0, x, k == 0);
  let fk = f32(k);
  let v = ax_log_reduced(f, fk * ${LN2_LO} + c) + fk * ${LN2_HI};
  let b = bitcast<u32>(x);
  // |x| < 2^-24 (±0 and subnormals included), NaN and +inf stay; log1p(-1) = -inf, below NaN.
  let kept = select(v, x, (b & 0x7fffffffu) < 0x33800000u || (b >= 0x7f800000u && b < 0x80000000u));
  return select(select(kept, ax_nan(), b > 0xbf800000u), -ax_inf(), b == 0xbf800000u);
}`,
  },
  ax_expm1: {
    deps: ['ax_opaque_f32', 'ax_pow2i', 'ax_isnan'],
    wgsl: `// musl's expm1f: x = k ln2 + r + c with |r| <= ln2/2 and c the rounding error of r (r opaque,
// or the driver folds c to 0); expm1(r + c) = r - e by a rational approximation, and
// expm1(x) = 2^k (1 + r - e) - 1 = (2^(k-1) (r - e) + (2^(k-1) - 1/2)) * 2, one rounding in the
// sum (2^(k-1) - 1/2 is exact for k >= -23, and 2^k would overflow for k = 128).
fn ax_expm1(x: f32) -> f32 {
  let a = clamp(x, -30.0, 89.0);
  let k = round(a * ${INV_LN2});
  let hi = ax_opaque_f32(a - k * ${LN2_HI});
  let lo = k * ${LN2_LO};
  let r = ax_opaque_f32(hi - lo);
  let c = (hi - r) - lo;
  let hfx = 0.5 * r;
  let hxs = r * hfx;
  let r1 = 1.0 + hxs * (-3.33332121e-2 + hxs * 1.58071704e-3);
  let t = 3.0 - r1 * hfx;
  let e = r * (hxs * ((r1 - t) / (6.0 - r * t)) - c) - c - hxs;
  let s = ax_pow2i(i32(k) - 1);
  let v = ((r - e) * s + (s - 0.5)) * 2.0;
  // |x| < 2^-25 (±0 and subnormals included) and NaN stay.
  return select(v, x, (bitcast<u32>(x) & 0x7fffffffu) < 0x33000000u || ax_isnan(x));
}`,
  },
  ax_tanh: {
    deps: ['ax_exp_core', 'ax_copysign', 'ax_isnan'],
    wgsl: `// Cephes' tanhf: an odd polynomial up to 0.625 (relative error 1.3e-7), 1 - 2 / (e^2a + 1)
// above, where it is at least 0.55 and nothing cancels; both are computed, a select picks one.
fn ax_tanh(x: f32) -> f32 {
  let a = min(abs(x), 10.0);
  let z = a * a;
  let p = ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * a + a;
  let q = 1.0 - 2.0 / (ax_exp_core(2.0 * a, 0.0) + 1.0);
  let t = ax_copysign(select(q, p, a <= 0.625), x);
  // |x| < 2^-12, where tanh x rounds to x (±0 and subnormals included), and NaN stay.
  return select(t, x, (bitcast<u32>(x) & 0x7fffffffu) < 0x39800000u || ax_isnan(x));
}`,
  },
  ax_logistic: {
    deps: ['ax_exp'],
    wgsl: `// e^-|x| never overflows; for x < 0 the result is e^x / (1 + e^x), small and accurate.
fn ax_logistic(x: f32) -> f32 {
  let e = ax_exp(-abs(x));
  return select(1.0, e, x < 0.0) / (1.0 + e);
}`,
  },
  ax_erf: {
    deps: ['ax_exp_core', 'ax_copysign', 'ax_isnan'],
    wgsl: `// Below 1, erf x = x + x P(x^2); above, erf x = 1 - e^(-x^2) Q(2 / (2 + x) - 1/2), Q approximating
// erfcx (both minimax fits, relative errors 1.2e-9 and 3e-10), and past 3.92 erf rounds to 1.
// x^2 = hi^2 + lo (x + hi) with hi the top 12 bits of x, so hi^2 is exact and e^(-x^2) keeps
// its accuracy however large x^2 is. Both are computed, a select picks one.
fn ax_erf(x: f32) -> f32 {
  let a = abs(x);
  let z = a * a;
  let small = a + a * ((((((7.85422089e-5 * z - 8.01031129e-4) * z + 5.18834265e-3) * z - 2.68538203e-2) * z + 1.12835854e-1) * z - 3.76126260e-1) * z + 1.28379166e-1);
  let c = min(a, 3.92);
  let u = 2.0 / (2.0 + c) - 0.5;
  let q = ((((((1.19512320e-1 * u - 5.36064543e-2) * u - 2.23769918e-1) * u + 5.97167425e-2) * u + 6.31827295e-1) * u + 9.66632843e-1) * u + 8.54371727e-1) * u + 2.55395681e-1;
  let hi = bitcast<f32>(bitcast<u32>(c) & 0xfffff000u);
  let big = 1.0 - ax_exp_core(-(hi * hi), -((c - hi) * (c + hi))) * q;
  return select(ax_copysign(select(big, small, a < 1.0), x), x, ax_isnan(x));
}`,
  },
};
