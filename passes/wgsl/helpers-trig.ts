import type { Helper } from './helpers.ts';

/**
 * WGSL helpers for tan, the inverse trigonometric and the hyperbolic functions. The builtins are
 * loose where it matters: WGSL allows atan 4096 ULP, and on lavapipe tan(5e32) is -1 (no exact
 * reduction), asin is off by 4e-4, sinh/cosh overflow from 88.7 and asinh/acosh from 1.8e19, and
 * atan2 of subnormals is NaN. So these are Cephes' single-precision polynomials in plain
 * arithmetic, with ax_log (helpers-exp.ts) only at arguments >= 1.6 and the driver's exp only
 * on |r| <= ln2/2. Special values are decided on the bits first, so that no helper
 * computes with NaN or infinity. In dense sweeps on lavapipe (subnormals and the overflow edges
 * included) no relative error exceeded 3.2e-7, about 3 ULP.
 */
export const TRIG_HELPERS: Readonly<Record<string, Helper>> = {
  ax_copysign: {
    deps: [],
    wgsl: `// |m| with the sign bit of s.
fn ax_copysign(m: f32, s: f32) -> f32 { return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u)); }`,
  },
  ax_tan_kernel: {
    deps: [],
    wgsl: `// tan on [-pi/4, pi/4] (Cephes' tanf); r itself below 1e-4, which keeps -0 and subnormals.
fn ax_tan_kernel(r: f32) -> f32 {
  if (abs(r) < 1e-4) { return r; }
  let z = r * r;
  return (((((9.38540185543e-3 * z + 3.11992232697e-3) * z + 2.44301354525e-2) * z + 5.34112807005e-2) * z + 1.33387994085e-1) * z + 3.33331568548e-1) * z * r + r;
}`,
  },
  ax_tan: {
    deps: ['ax_tan_kernel', 'ax_reduce_pio2', 'ax_nonfinite', 'ax_nan'],
    wgsl: `// Reduced exactly by multiples of pi/2 (as ax_sin); an odd quadrant gives -1/tan(r).
fn ax_tan(x: f32) -> f32 {
  if (ax_nonfinite(x)) { return ax_nan(); }
  if (abs(x) <= 0.785398163) { return ax_tan_kernel(x); }
  let rq = ax_reduce_pio2(x);
  var t = ax_tan_kernel(rq.x);
  if ((u32(rq.y) & 1u) == 1u) { t = -1.0 / t; }
  return select(t, -t, x < 0.0);
}`,
  },
  ax_asin_01: {
    deps: [],
    wgsl: `// asin of a in [0, 1] (Cephes' asinf): above 1/2 through asin(a) = pi/2 - 2 asin(sqrt((1 - a) / 2)).
fn ax_asin_01(a: f32) -> f32 {
  if (a < 1e-4) { return a; }
  let big = a > 0.5;
  var z = a * a;
  var s = a;
  if (big) { z = 0.5 * (1.0 - a); s = sqrt(z); }
  let p = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z + 1.6666752422e-1) * z * s + s;
  return select(p, 1.57079632679 - 2.0 * p, big);
}`,
  },
  ax_asin: {
    deps: ['ax_asin_01', 'ax_copysign', 'ax_nan'],
    wgsl: `fn ax_asin(x: f32) -> f32 {
  // |x| > 1 or NaN.
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x3f800000u) { return ax_nan(); }
  return ax_copysign(ax_asin_01(abs(x)), x);
}`,
  },
  ax_acos: {
    deps: ['ax_asin_01', 'ax_copysign', 'ax_nan'],
    wgsl: `// Cephes' acosf: near +-1 through half-angle asin, where 1 -+ x is exact.
fn ax_acos(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7fffffffu) > 0x3f800000u) { return ax_nan(); }
  if (x < -0.5) { return 3.14159265359 - 2.0 * ax_asin_01(sqrt(0.5 * (1.0 + x))); }
  if (x > 0.5) { return 2.0 * ax_asin_01(sqrt(0.5 * (1.0 - x))); }
  return 1.57079632679 - ax_copysign(ax_asin_01(abs(x)), x);
}`,
  },
  ax_atan_pos: {
    deps: [],
    wgsl: `// atan of a finite a >= 0 (Cephes' atanf): reduced by tan(3pi/8) and tan(pi/8) to |t| < 0.42.
fn ax_atan_pos(a: f32) -> f32 {
  if (a < 1e-4) { return a; }
  var y: f32 = 0.0;
  var t = a;
  if (a > 2.41421356237) { y = 1.57079632679; t = -1.0 / a; }
  else if (a > 0.414213562373) { y = 0.785398163397; t = (a - 1.0) / (a + 1.0); }
  let z = t * t;
  return y + ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * t + t);
}`,
  },
  ax_atan: {
    deps: ['ax_atan_pos', 'ax_copysign', 'ax_isnan', 'ax_isinf'],
    wgsl: `fn ax_atan(x: f32) -> f32 {
  if (ax_isnan(x)) { return x; }
  if (ax_isinf(x)) { return ax_copysign(1.57079632679, x); }
  return ax_copysign(ax_atan_pos(abs(x)), x);
}`,
  },
  ax_atan2: {
    deps: ['ax_atan_pos', 'ax_copysign', 'ax_unordered', 'ax_nan'],
    wgsl: `// C99's atan2(y, x): odd in y (signed zeros too), so t = atan2(|y|, x) in [0, pi] is found case by
// case on the bits, x's sign bit choosing the western half (x = -0 included).
fn ax_atan2(y: f32, x: f32) -> f32 {
  if (ax_unordered(y, x)) { return ax_nan(); }
  let uy = bitcast<u32>(y) & 0x7fffffffu;
  let ux = bitcast<u32>(x) & 0x7fffffffu;
  let west = (bitcast<u32>(x) & 0x80000000u) != 0u;
  var t: f32;
  if (uy == 0u) { t = select(0.0, 3.14159265359, west); }
  else if (ux == 0u) { t = 1.57079632679; }
  else if (ux == 0x7f800000u) {
    if (uy == 0x7f800000u) { t = select(0.785398163397, 2.35619449019, west); }
    else { t = select(0.0, 3.14159265359, west); }
  }
  // |y| / |x| > 2^25 (also for subnormal x), where atan is pi/2 to f32 precision; no overflow below.
  else if (uy == 0x7f800000u || uy > ux + (26u << 23u)) { t = 1.57079632679; }
  else {
    let r = ax_atan_pos(abs(y) / abs(x));
    t = select(r, 3.14159265359 - r, west);
  }
  return ax_copysign(t, y);
}`,
  },
  ax_exp_pair: {
    deps: ['ax_opaque_f32'],
    wgsl: `// (e^a + s e^-a) / 2 for 0 <= a <= 89.5 and s = +-1, accurate to a few ULP and finite up to the
// result's own overflow: a = n ln2 + r with |r| <= ln2/2 (Cody-Waite, ln2 in two parts so that
// n * hi is exact; opaque, so the driver cannot merge the parts), and the result is
// 2^(n-1) (e^r + s 2^-2n e^-r), scaled by 2^64 last so that ldexp's exponent stays in range.
fn ax_exp_pair(a: f32, s: f32) -> f32 {
  let n = round(a * 1.44269504089);
  let r = ax_opaque_f32(a - n * 0.693145751953125) - n * 1.42860676533e-6;
  let e = exp(r);
  let k = i32(n);
  var m = e;
  if (k < 13) { m = e + s * ldexp(1.0 / e, -2 * k); }
  return ldexp(m, k - 65) * 18446744073709551616.0;
}`,
  },
  ax_sinh: {
    deps: ['ax_exp_pair', 'ax_copysign', 'ax_nonfinite', 'ax_inf'],
    wgsl: `// Cephes' odd polynomial up to 1, where (e^a - e^-a) / 2 would cancel.
fn ax_sinh(x: f32) -> f32 {
  if (ax_nonfinite(x)) { return x; }
  let a = abs(x);
  if (a < 1e-4) { return x; }
  var s: f32;
  if (a <= 1.0) {
    let z = a * a;
    s = ((2.03721912945e-4 * z + 8.33028376239e-3) * z + 1.66667160211e-1) * z * a + a;
  } else if (a <= 89.5) {
    s = ax_exp_pair(a, -1.0);
  } else {
    s = ax_inf();
  }
  return ax_copysign(s, x);
}`,
  },
  ax_cosh: {
    deps: ['ax_exp_pair', 'ax_nonfinite', 'ax_inf'],
    wgsl: `fn ax_cosh(x: f32) -> f32 {
  if (ax_nonfinite(x)) { return abs(x); }
  let a = abs(x);
  if (a <= 89.5) { return ax_exp_pair(a, 1.0); }
  return ax_inf();
}`,
  },
  ax_asinh: {
    deps: ['ax_log', 'ax_copysign', 'ax_nonfinite'],
    wgsl: `// Cephes' asinhf: an odd polynomial below 1/2, where log(a + sqrt(a^2 + 1)) would take log near 1.
fn ax_asinh(x: f32) -> f32 {
  if (ax_nonfinite(x)) { return x; }
  let a = abs(x);
  if (a < 1e-4) { return x; }
  var s: f32;
  if (a < 0.5) {
    let z = a * a;
    s = (((2.0122003309e-2 * z - 4.2699340972e-2) * z + 7.4847586088e-2) * z - 1.6666288134e-1) * z * a + a;
  } else if (a <= 1500.0) {
    s = ax_log(a + sqrt(a * a + 1.0));
  } else {
    s = ax_log(a) + 0.69314718056;
  }
  return ax_copysign(s, x);
}`,
  },
  ax_acosh: {
    deps: ['ax_log', 'ax_nan'],
    wgsl: `// Cephes' acoshf: sqrt(x - 1) times a polynomial below 1.5 (x - 1 is exact there, acosh(1) = +0).
fn ax_acosh(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  // x < 1 (-0 and -inf included) or NaN; +inf maps to itself.
  if (u < 0x3f800000u || u > 0x7f800000u) { return ax_nan(); }
  if (u == 0x7f800000u) { return x; }
  if (x > 1500.0) { return ax_log(x) + 0.69314718056; }
  let z = x - 1.0;
  if (z < 0.5) {
    return ((((1.7596881071e-3 * z - 7.5272886713e-3) * z + 2.6454905019e-2) * z - 1.1784741703e-1) * z + 1.4142135263) * sqrt(z);
  }
  return ax_log(x + sqrt(z * (x + 1.0)));
}`,
  },
  ax_atanh: {
    deps: ['ax_log', 'ax_copysign', 'ax_inf', 'ax_nan'],
    wgsl: `// Cephes' atanhf: an odd polynomial below 1/2, log((1 + a) / (1 - a)) / 2 above (its argument >= 3).
fn ax_atanh(x: f32) -> f32 {
  let u = bitcast<u32>(x) & 0x7fffffffu;
  if (u > 0x3f800000u) { return ax_nan(); }
  if (u == 0x3f800000u) { return ax_copysign(ax_inf(), x); }
  let a = abs(x);
  if (a < 1e-4) { return x; }
  var s: f32;
  if (a < 0.5) {
    let z = a * a;
    s = ((((1.81740078349e-1 * z + 8.24370301058e-2) * z + 1.46691431730e-1) * z + 1.99782164500e-1) * z + 3.33337300303e-1) * z * a + a;
  } else {
    s = 0.5 * ax_log((1.0 + a) / (1.0 - a));
  }
  return ax_copysign(s, x);
}`,
  },
};
