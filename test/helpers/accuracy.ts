/**
 * Dense f32 sweeps and ULP errors for accuracy tests of the elementwise functions. The sweep
 * reaches where samples at "ordinary" points never land: every binade of both signs (subnormals
 * included), the neighbourhoods of 0, of ±1 from either side, and of the places where functions
 * switch formula, overflow or underflow.
 */

const f32 = Math.fround;
const F32_MAX = 3.4028234663852886e38;

/** The f32 `k` steps away from the f32 `x` (k > 0 towards +infinity), through the bits. */
export function stepF32(x: number, k: number): number {
  const buf = new Float32Array([x]);
  const bits = new Int32Array(buf.buffer);
  // Bits order the magnitudes; negative numbers count down from their sign-magnitude form.
  const ordered = bits[0] < 0 ? -(bits[0] & 0x7fffffff) : bits[0];
  const next = ordered + k;
  bits[0] = next < 0 ? -next | 0x80000000 : next;
  return buf[0];
}

/**
 * Points where the WebGPU spellings switch branch, lose accuracy, overflow or underflow: exp and
 * expm1 overflow (88.72), exp's smallest normal and subnormal results (-87.34, -103.28), tanh's
 * saturation (9.01), the formula switches of tanh (0.255, 0.549), erf (0.5, 0.84, 1.25, 2.86, 6),
 * expm1 and log1p reduction (±ln2/2, ±1.5 ln2, sqrt2 - 1), sinh/cosh (1, 89.4), acosh/asinh (1500).
 */
const EDGES = [
  0.25541282, 0.34657359, 0.41421356, 0.5, 0.54930614, 0.84375, 1.03972077, 1.25, 2.857, 3.9, 6, 9.01, 10,
  16.6355323, 88.7228391, 89.4159, 1500, -87.3365448, -88.7228391, -103.278929, -103.972077, -104,
];

/**
 * A sweep of about 12,000 distinct f32 values: 40 magnitudes per decade from 1e-38 to 3e38 and
 * 2 per binade through the subnormals, both signs; every 1/128 in [-20, 20] (offset by an odd
 * fraction so that not every point is a short binary number); 1 ± 2^-k, -1 ± 2^-k and 0.5 ± 2^-k;
 * and a few steps either side of each EDGE (of either sign) and of the f32 extremes.
 */
export function accuracySweep(): number[] {
  const pts: number[] = [0, -0, 2 ** -149, -(2 ** -149), F32_MAX, -F32_MAX];
  for (let k = -38 * 40; k <= 38.5 * 40; k++) pts.push(f32(10 ** (k / 40)));
  for (let e = -149; e < -126; e += 0.5) pts.push(f32(2 ** e));
  const positive = pts.slice();
  for (const x of positive) pts.push(-x);
  for (let i = -20 * 128; i <= 20 * 128; i++) pts.push(f32(i / 128 + 0.00390625 * 0.3183));
  for (let k = 1; k <= 26; k++)
    for (const c of [1, -1, 0.5]) pts.push(f32(c + 2 ** -k), f32(c - 2 ** -k));
  for (const e of EDGES)
    for (const c of [f32(e), f32(-e)]) {
      for (let k = -3; k <= 3; k++) pts.push(stepF32(c, k));
      for (let k = -4; k <= 4; k++) pts.push(f32(c * (1 + k * 2 ** -12)));
    }
  for (let k = 0; k < 4; k++) pts.push(stepF32(F32_MAX, -k), stepF32(-F32_MAX, k), stepF32(1, -k), stepF32(-1, k));
  const seen = new Set<string>();
  return pts.filter((x) => {
    const key = Object.is(x, -0) ? '-0' : String(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The spacing of f32 values at |r| (r an f32; subnormals 2^-149; the top binade's 2^104 for ±inf). */
function ulpOf(r: number): number {
  const a = Math.abs(r);
  if (a === Infinity) return 2 ** 104;
  if (a < 2 ** -126) return 2 ** -149;
  const e = new Int32Array(new Float32Array([a]).buffer)[0] >>> 23;
  return 2 ** (e - 150);
}

/**
 * The error of the f32 `actual` against the float64 `reference`, in units of the last place of
 * the reference rounded to f32 (0.5 at most when correctly rounded). Infinities (and references
 * past them) count as ±2^128, the next power of two past the f32 range, so that overflowing a step
 * early or late is a finite error. NaN must meet NaN, and a zero reference its own signed zero; otherwise the error is
 * infinite.
 */
export function ulpError(actual: number, reference: number): number {
  if (Number.isNaN(reference) || Number.isNaN(actual)) return Number.isNaN(reference) && Number.isNaN(actual) ? 0 : Infinity;
  if (reference === 0) return Object.is(actual, reference) ? 0 : Infinity;
  const r = f32(reference);
  const clamp = (v: number) => Math.sign(v) * Math.min(Math.abs(v), 2 ** 128);
  return Math.abs(clamp(actual) - clamp(reference)) / ulpOf(r);
}

export interface Worst {
  readonly ulp: number;
  /** The worst arguments, worst first, with what they gave. */
  readonly cases: readonly string[];
}

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** The largest ULP errors of `actual` against `reference` over the sweep `xs`. */
export function worstUlp(xs: readonly number[], actual: ArrayLike<number>, reference: ArrayLike<number>, keep = 6): Worst {
  const errs = xs.map((x, i) => ({ x, a: actual[i], r: reference[i], e: ulpError(actual[i], reference[i]) }));
  errs.sort((p, q) => q.e - p.e);
  return {
    ulp: errs.length ? errs[0].e : 0,
    cases: errs.slice(0, keep).map((p) => `f(${show(p.x)}) = ${show(p.a)}, reference ${show(p.r)}: ${p.e.toPrecision(3)} ULP`),
  };
}
