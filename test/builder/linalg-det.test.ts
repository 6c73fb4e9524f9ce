import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import {
  matmul, permutationSign, permuteRows, randomMatrix, randomPermutation, reference, SIZES, stackOf, unitLower, upperWith,
} from './linalg-helpers.ts';

/**
 * det and slogdet against closed forms computed here in float64: 1 x 1, 2 x 2 and 3 x 3 formulas,
 * triangular and permutation matrices, Vandermonde's product, and matrices built as Q L U from
 * chosen factors (det = sign(Q) Π u_ii), which covers the odd sizes 8 and 33 exactly.
 */
type Tensor = ax.Tensor;

const detAndSlogdet = (a: Tensor) => {
  const s = ax.linalg.slogdet(a);
  return [ax.linalg.det(a), s.sign, s.logabsdet];
};

/** A matrix with a known determinant: rows of L U permuted by a random permutation. */
function withKnownDet(seed: number, diag: readonly number[]): { a: number[][]; det: number; sign: number; logabsdet: number } {
  const n = diag.length;
  const perm = randomPermutation(seed, n);
  const a = permuteRows(matmul(unitLower(seed + 1, n), upperWith(seed + 2, diag)), perm);
  const sign = permutationSign(perm) * diag.reduce((s, d) => s * Math.sign(d), 1);
  const logabsdet = diag.reduce((s, d) => s + Math.log(Math.abs(d)), 0);
  return { a, det: permutationSign(perm) * diag.reduce((p, d) => p * d, 1), sign, logabsdet };
}

/** Diagonal entries of magnitude in [0.5, 2) with mixed signs. */
const mixedDiagonal = (seed: number, n: number): number[] =>
  randomMatrix(seed, 1, n)[0].map((v, i) => (i % 3 === 1 ? -1 : 1) * (1.25 + 0.75 * v));

const close = (got: number, want: number, rtol = 1e-12) =>
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(want)));

describe('det and slogdet', () => {
  test('1 x 1, 2 x 2 and 3 x 3 closed forms', () => {
    const m3 = randomMatrix(3, 3, 3);
    const [a, b, c] = m3;
    const sarrus = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    const cases: [number[][], number][] = [
      [[[-3.5]], -3.5],
      [[[1, 2], [3, 4]], -2],
      [[[0, 1], [1, 0]], -1],
      [m3, sarrus],
    ];
    for (const [m, want] of cases) {
      const [d, sign, logabsdet] = reference(detAndSlogdet, stackOf([], () => m));
      expect(d.shape).toEqual([]);
      close(d.data[0], want);
      expect(sign.data[0]).toBe(Math.sign(want));
      close(logabsdet.data[0], Math.log(Math.abs(want)));
    }
  });

  test.each(SIZES)('n = %i: Q L U with chosen factors: det = sign(Q) Π u_ii, slogdet = (sign, Σ log |u_ii|)', (n) => {
    const k = withKnownDet(n, mixedDiagonal(100 + n, n));
    const [d, sign, logabsdet] = reference(detAndSlogdet, stackOf([], () => k.a));
    close(d.data[0], k.det, 1e-11);
    expect(sign.data[0]).toBe(k.sign);
    close(logabsdet.data[0], k.logabsdet, 1e-11);
  });

  test('triangular matrices: the product of the diagonal; permutation matrices: their sign', () => {
    const diag = [2, -0.5, 3, 1.5, -1];
    const upper = upperWith(7, diag);
    const lower = upperWith(8, diag).map((_, i, u) => u.map((row) => row[i]));
    const perm = randomPermutation(9, 7);
    const permutation = perm.map((r) => perm.map((_, c) => (c === r ? 1 : 0)));
    const [du] = reference((a) => ax.linalg.det(a), stackOf([], () => upper));
    const [dl] = reference((a) => ax.linalg.det(a), stackOf([], () => lower));
    const [dp] = reference((a) => ax.linalg.det(a), stackOf([], () => permutation));
    close(du.data[0], 4.5);
    close(dl.data[0], 4.5);
    expect(dp.data[0]).toBe(permutationSign(perm));
  });

  test('Vandermonde: det = Π_{i<j} (x_j − x_i)', () => {
    const x = [0.5, -1, 2, 1.5, -0.25, 3];
    const v = x.map((xi) => x.map((_, j) => xi ** j));
    let want = 1;
    for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) want *= x[j] - x[i];
    close(reference((a) => ax.linalg.det(a), stackOf([], () => v))[0].data[0], want);
  });

  test('a batch [2, 3]: one determinant per matrix', () => {
    const cases = Array.from({ length: 6 }, (_, k) => withKnownDet(20 + 5 * k, mixedDiagonal(30 + k, 4)));
    const [d, sign, logabsdet] = reference(detAndSlogdet, stackOf([2, 3], (k) => cases[k].a));
    expect([...d.shape]).toEqual([2, 3]);
    cases.forEach((c, k) => {
      close(d.data[k], c.det);
      expect(sign.data[k]).toBe(c.sign);
      close(logabsdet.data[k], c.logabsdet);
    });
  });

  test('slogdet stays finite where det overflows (33 pivots of 1e10: det = ±inf in float64)', () => {
    const k = withKnownDet(5, Array.from({ length: 33 }, (_, i) => (i === 4 ? -1e10 : 1e10)));
    const [d, sign, logabsdet] = reference(detAndSlogdet, stackOf([], () => k.a));
    expect(Math.abs(d.data[0])).toBe(Infinity);
    expect(sign.data[0]).toBe(k.sign);
    close(logabsdet.data[0], 33 * Math.log(1e10), 1e-12);
  });

  test('singular matrices: det exactly 0, slogdet (0, -inf), as JAX (a zero pivot is skipped, not divided by)', () => {
    const singular = [
      [[1, 2], [2, 4]],
      [[0, 0, 0], [1, 2, 3], [4, 5, 6]],
      [[1, 0, 2], [3, 0, 4], [5, 0, 6]],
      [[0, 0], [0, 0]],
    ];
    for (const m of singular) {
      const [d, sign, logabsdet] = reference(detAndSlogdet, stackOf([], () => m));
      expect(Math.abs(d.data[0]), JSON.stringify(m)).toBe(0);
      expect(sign.data[0]).toBe(0);
      expect(logabsdet.data[0]).toBe(-Infinity);
    }
  });

  test('a NaN entry gives a NaN determinant', () => {
    const [d, , logabsdet] = reference(detAndSlogdet, hostTensor('f32', [2, 2], [1, NaN, 3, 4]));
    expect(d.data[0]).toBeNaN();
    expect(logabsdet.data[0]).toBeNaN();
  });

  test('the empty matrix has det 1, slogdet (1, 0), as NumPy', () => {
    const [d, sign, logabsdet] = reference(detAndSlogdet, hostTensor('f32', [0, 0], []));
    expect([d.data[0], sign.data[0], logabsdet.data[0]]).toEqual([1, 1, 0]);
  });
});
