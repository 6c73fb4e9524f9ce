import fc from 'fast-check';

/**
 * The one source of randomness of the test generators: an integer in [min, max]. Two backends:
 * a seeded PRNG (reproducible from a number, for tests that replay programs elsewhere) and
 * fast-check's `gen` (so that failing cases shrink).
 */
export interface Chooser {
  int(min: number, max: number): number;
}

/** mulberry32: small, fast and good enough to drive test generators. */
export function seededChooser(seed: number): Chooser {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

export const fastCheckChooser = (g: fc.GeneratorValue): Chooser => ({
  int: (min, max) => g(fc.integer, { min, max }),
});

export const pick = <T>(c: Chooser, xs: readonly T[]): T => {
  if (xs.length === 0) throw new Error('pick from an empty list');
  return xs[c.int(0, xs.length - 1)];
};

/** True with probability percent/100 (an integral choice, so fast-check can shrink it). */
export const chance = (c: Chooser, percent: number): boolean => c.int(1, 100) <= percent;

export function shuffle<T>(c: Chooser, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = c.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `k` distinct indices of [0, n), in increasing order. */
export function sortedSubset(c: Chooser, n: number, k: number): number[] {
  return shuffle(c, [...Array(n).keys()])
    .slice(0, k)
    .sort((a, b) => a - b);
}
