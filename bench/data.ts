/**
 * Deterministic inputs shared by the three libraries (each uploads the same Float32Arrays), and
 * the error measures the checks against float64 report.
 */

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [lo, hi). */
export function uniform(n: number, seed: number, lo = 0, hi = 1): Float32Array<ArrayBuffer> {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** n standard-normal values times `scale` (Box–Muller). */
export function normal(n: number, seed: number, scale = 1): Float32Array<ArrayBuffer> {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const t = 2 * Math.PI * next();
    out[i] = scale * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = scale * r * Math.sin(t);
  }
  return out;
}

/** n integers in [0, classes). */
export function labels(n: number, classes: number, seed: number): Int32Array<ArrayBuffer> {
  const next = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * classes);
  return out;
}

/**
 * Relative error with an absolute floor: |got − ref| / max(|ref|, floor). With floor 1 it is the
 * relative error for values above 1 and the absolute error below, so values near 0 do not blow up.
 */
export const relErr = (got: number, ref: number, floor = 1): number =>
  Number.isFinite(got) ? Math.abs(got - ref) / Math.max(Math.abs(ref), floor) : Infinity;

/** The largest relErr over paired values. */
export function maxRelErr(got: ArrayLike<number>, ref: ArrayLike<number>, floor = 1): number {
  if (got.length !== ref.length) throw new Error(`check: ${got.length} values against ${ref.length} reference values`);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, relErr(got[i], ref[i], floor));
  return worst;
}

/** Evenly spread sample positions in [0, n): always includes 0 and n − 1. */
export function spread(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (n - 1)) / (count - 1)));
}
