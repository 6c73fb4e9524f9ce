/** Float64 scalar functions the reference needs and JavaScript lacks. */

/** erf to ~1e-15 relative: Taylor series near 0, continued fraction for erfc in the tails. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * sum * (2 / Math.sqrt(Math.PI));
  }
  return Math.sign(x) * (1 - erfcLarge(ax));
}

/** erfc(x) for x >= 2.5 by Lentz's continued fraction. */
function erfcLarge(x: number): number {
  if (x > 27) return 0;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Round half to even, as WGSL's round(). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const logistic = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

// The final `| 0` / `>>> 0` (exact once in range) turn the -0 that Math.trunc gives for (-1, 0] into 0.
/**
 * f32 -> integer conversion as WGSL defines it: truncate, then saturate to the largest f32 value
 * inside the integer range (2^31 - 128 for i32, 2^32 - 256 for u32), since the bound itself is
 * not an f32.
 */
export const clampI32 = (v: number): number => (Number.isNaN(v) ? 0 : Math.max(-2147483648, Math.min(2147483520, Math.trunc(v))) | 0);
export const clampU32 = (v: number): number => (Number.isNaN(v) ? 0 : Math.max(0, Math.min(4294967040, Math.trunc(v))) >>> 0);

/** Threefry-2x32 with 20 rounds (Salmon et al. 2011), the keyed counter-based generator. */
export function threefry2x32(k0: number, k1: number, x0: number, x1: number): [number, number] {
  const rot = [13, 15, 26, 6, 17, 29, 16, 24];
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let a = (x0 + ks[0]) >>> 0;
  let b = (x1 + ks[1]) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 4; j++) {
      const r = rot[(i % 2) * 4 + j];
      a = (a + b) >>> 0;
      b = ((b << r) | (b >>> (32 - r))) >>> 0;
      b = (b ^ a) >>> 0;
    }
    a = (a + ks[(i + 1) % 3]) >>> 0;
    b = (b + ks[(i + 2) % 3] + i + 1) >>> 0;
  }
  return [a, b];
}
