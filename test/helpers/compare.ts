import { expect } from 'vitest';
import type { HostTensor } from '../../src/ir/index.ts';

/**
 * Maximum relative error of `actual` against `expected`: each element's error is divided by
 * max(|expected_i|, floor), where floor = 1e-2 · rms(expected) keeps elements that are tiny
 * compared with the rest of the tensor from dominating. NaN/Inf must match exactly.
 */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let sq = 0;
  let finite = 0;
  for (let i = 0; i < expected.length; i++)
    if (Number.isFinite(expected[i])) {
      sq += expected[i] * expected[i];
      finite++;
    }
  const floor = Math.max(1e-2 * Math.sqrt(sq / Math.max(finite, 1)), 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), floor));
  }
  return worst;
}

/**
 * max |actual − expected| / max |expected|: the yardstick where entries are sums of terms of both
 * signs, whose float32 rounding is relative to the terms, not to their cancelling sum.
 */
export function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return actual.length === expected.length ? err / scale : Infinity;
}

/** Asserts same dtype, shape, and max relative error <= rtol (exact equality when rtol is 0). */
export function expectClose(actual: HostTensor, expected: HostTensor, rtol: number, what = 'result'): void {
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  expect([...actual.shape], `${what} shape`).toEqual([...expected.shape]);
  const err = maxRelError(actual.data, expected.data);
  expect(err, `${what}: max relative error ${err} > ${rtol}`).toBeLessThanOrEqual(rtol);
}
