import type { DType, HostTensor } from '../../src/ir/index.ts';

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Values where IEEE semantics are easy to get wrong: signed zeros, infinities, NaN, subnormals,
 * the f32 extremes, and ordinary values around them. Every one is exactly an f32.
 */
export const SPECIAL: { readonly [K in DType]: readonly number[] } = {
  f32: [0, -0, 1, -1, 0.5, -2.5, 3, 100, -100, 1e30, Infinity, -Infinity, NaN, 1e-40, -1e-40, F32_MIN_NORMAL, F32_MAX, -F32_MAX].map(
    Math.fround,
  ),
  i32: [0, 1, -1, 2, -7, 100, 2147483647, -2147483648],
  u32: [0, 1, 2, 7, 100, 2147483648, 4294967295],
  bool: [0, 1],
};

/** Two subnormal steps: the slack of a result that is itself subnormal. */
const SUBNORMAL_SLACK = 2 ** -148;

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/**
 * Whether a WebGPU f32 result stands for the reference's float64 value: the same class (NaN, an
 * infinity of the same sign, a zero of the same sign) exactly, and a finite nonzero value within
 * `rtol` of the reference rounded to f32 (a reference value past the f32 range is an infinity).
 */
export function sameF32(actual: number, reference: number, rtol: number): boolean {
  const r = Math.fround(reference);
  if (Number.isNaN(r)) return Number.isNaN(actual);
  if (!Number.isFinite(r) || r === 0) return Object.is(actual, r);
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - r) <= rtol * Math.abs(r) + SUBNORMAL_SLACK;
}

/**
 * Every element where `actual` disagrees with `expected`, described with its inputs (`label(i)`),
 * at most `limit` of them: an empty list means agreement. Integer and bool results must be equal.
 */
export function disagreements(
  actual: HostTensor,
  expected: HostTensor,
  rtol: number,
  label: (i: number) => string,
  limit = 12,
): string[] {
  const out: string[] = [];
  if (actual.dtype !== expected.dtype) return [`dtype ${actual.dtype}, expected ${expected.dtype}`];
  if (actual.data.length !== expected.data.length) return [`${actual.data.length} elements, expected ${expected.data.length}`];
  for (let i = 0; i < expected.data.length && out.length < limit; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    const ok = expected.dtype === 'f32' ? sameF32(a, e, rtol) : a === e;
    if (!ok) out.push(`${label(i)}: got ${show(a)}, reference ${show(expected.dtype === 'f32' ? Math.fround(e) : e)}`);
  }
  return out;
}
