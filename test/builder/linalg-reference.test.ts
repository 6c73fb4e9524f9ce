import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import {
  allNaN, boosted, identity, matmul, matrixOf, maxAbs, maxDiff, perMatrix, permuteRows, randomMatrix, reference, SIZES, spd,
  stackOf, transpose,
} from './linalg-helpers.ts';

/**
 * ax.linalg against identities checked in float64 by the test's own arithmetic: L Lᵀ = A,
 * op(T) X = B, A X = B, A A⁻¹ = I, P A = L U, on sizes 1, 2, 3, 8, 33 and a batch. Every solve here
 * is well conditioned (cond < 10), so float64 residuals sit near 1e-15; the bound 1e-12 leaves
 * room for the size, not for a wrong algorithm.
 */
const TOL = 1e-12;

describe('cholesky', () => {
  test.each(SIZES)('n = %i: L is lower-triangular with a positive diagonal and L Lᵀ = A', (n) => {
    const a = stackOf([], () => spd(10 + n, n));
    const [l] = reference((x) => ax.linalg.cholesky(x), a);
    const L = matrixOf(l);
    L.forEach((row, i) => row.forEach((v, j) => (j > i ? expect(v).toBe(0) : j === i && expect(v).toBeGreaterThan(0))));
    expect(maxDiff(matmul(L, transpose(L)), matrixOf(a))).toBeLessThanOrEqual(TOL);
  });

  test('closed forms: [[4]] -> [[2]]; [[4, 2], [2, 5]] -> [[2, 0], [1, 2]]', () => {
    expect([...reference((x) => ax.linalg.cholesky(x), hostTensor('f32', [1, 1], [4]))[0].data]).toEqual([2]);
    const [l] = reference((x) => ax.linalg.cholesky(x), hostTensor('f32', [2, 2], [4, 2, 2, 5]));
    expect(maxDiff(matrixOf(l), [[2, 0], [1, 2]])).toBeLessThanOrEqual(1e-15);
  });

  test('a batch [2, 3] of 8 x 8 matrices factors each one; upper gives Lᵀ', () => {
    const a = stackOf([2, 3], (k) => spd(40 + k, 8));
    const [l, u] = reference((x) => [ax.linalg.cholesky(x), ax.linalg.cholesky(x, { upper: true })], a);
    expect([...l.shape]).toEqual([2, 3, 8, 8]);
    for (let k = 0; k < 6; k++) {
      const L = matrixOf(l, k);
      expect(maxDiff(matmul(L, transpose(L)), matrixOf(a, k))).toBeLessThanOrEqual(TOL);
      expect(maxDiff(matrixOf(u, k), transpose(L))).toBe(0);
    }
  });

  test('the input is symmetrized first, (a + aᵀ)/2, as JAX does', () => {
    const s = spd(3, 5);
    const skew = randomMatrix(4, 5, 5).map((row, i) => row.map((v, j) => (i < j ? v : 0)));
    const a = s.map((row, i) => row.map((v, j) => v + skew[i][j] - skew[j][i]));
    const [l] = reference((x) => ax.linalg.cholesky(x), stackOf([], () => a));
    expect(maxDiff(matmul(matrixOf(l), transpose(matrixOf(l))), s)).toBeLessThanOrEqual(TOL);
  });

  test('a matrix that is not positive definite comes out all NaN; its batch neighbours do not', () => {
    const indefinite = [[1, 2], [2, 1]];
    const singular = [[1, 1], [1, 1]];
    const a = stackOf([3], (k) => [indefinite, spd(5, 2), singular][k]);
    const [l] = reference((x) => ax.linalg.cholesky(x), a);
    expect(allNaN(hostTensor('f32', [4], [...l.data].slice(0, 4)))).toBe(true);
    expect([...l.data].slice(4, 8).every(Number.isFinite)).toBe(true);
    expect(allNaN(hostTensor('f32', [4], [...l.data].slice(8, 12)))).toBe(true);
  });
});

/** Every combination of triangular_solve's four flags. */
const FLAG_SETS = [false, true].flatMap((leftSide) =>
  [false, true].flatMap((lower) =>
    [false, true].flatMap((transposeA) => [false, true].map((unitDiagonal) => ({ leftSide, lower, transposeA, unitDiagonal }))),
  ),
);

/** The triangle of `a` that the flags read, with ones on the diagonal for unitDiagonal. */
const readTriangle = (a: number[][], lower: boolean, unit: boolean): number[][] =>
  a.map((row, i) => row.map((v, j) => (i === j ? (unit ? 1 : v) : (lower ? j < i : j > i) ? v : 0)));

describe('triangularSolve', () => {
  test.each(FLAG_SETS)('%o: op(T) x = b (or x op(T) = b) for n = 1, 2, 3, 8, 33, the other triangle unread', (flags) => {
    for (const n of SIZES) {
      // The triangle that is not read holds NaN (and so does the diagonal with unitDiagonal).
      const a = boosted(n, n, 2).map((row, i) =>
        row.map((v, j) => ((flags.lower ? j > i : j < i) || (flags.unitDiagonal && i === j) ? NaN : v)),
      );
      const k = 3;
      const b = flags.leftSide ? randomMatrix(100 + n, n, k) : randomMatrix(100 + n, k, n);
      const [x] = reference((p, q) => ax.linalg.triangularSolve(p, q, flags), stackOf([], () => a), stackOf([], () => b));
      const t = readTriangle(a, flags.lower, flags.unitDiagonal);
      const op = flags.transposeA ? transpose(t) : t;
      const X = matrixOf(x);
      const lhs = flags.leftSide ? matmul(op, X) : matmul(X, op);
      expect(maxDiff(lhs, b), `n = ${n}`).toBeLessThanOrEqual(TOL);
    }
  });

  test('defaults are lax\'s: right side, upper triangle (x · a = b)', () => {
    const a = [[2, 1], [0, 4]];
    const b = [[2, 9]];
    const [x] = reference((p, q) => ax.linalg.triangularSolve(p, q), stackOf([], () => a), stackOf([], () => b));
    expect(maxDiff(matrixOf(x), [[1, 2]])).toBeLessThanOrEqual(1e-15);
  });

  test('batch axes broadcast: one a [5, 5] against b [2, 3, 5, 4]', () => {
    const a = boosted(7, 5, 2);
    const b = stackOf([2, 3], (k) => randomMatrix(200 + k, 5, 4));
    const [x] = reference((p, q) => ax.linalg.triangularSolve(p, q, { leftSide: true, lower: true }), stackOf([], () => a), b);
    expect([...x.shape]).toEqual([2, 3, 5, 4]);
    const t = readTriangle(a, true, false);
    for (let k = 0; k < 6; k++) expect(maxDiff(matmul(t, matrixOf(x, k)), matrixOf(b, k))).toBeLessThanOrEqual(TOL);
  });

  test('a zero on the diagonal gives non-finite entries, not an exception (as trsm)', () => {
    const [x] = reference(
      (p, q) => ax.linalg.triangularSolve(p, q, { leftSide: true, lower: true }),
      stackOf([], () => [[1, 0], [1, 0]]),
      stackOf([], () => [[1], [1]]),
    );
    expect([...x.data].some((v) => !Number.isFinite(v))).toBe(true);
  });
});

describe('solve and inv', () => {
  test.each(SIZES)('n = %i: a x = b for a vector b and for b [n, 4]; a a⁻¹ = I', (n) => {
    const a = stackOf([], () => boosted(20 + n, n, 2));
    const bv = hostTensor('f32', [n], randomMatrix(30 + n, 1, n)[0]);
    const bm = stackOf([], () => randomMatrix(40 + n, n, 4));
    const [xv, xm, inverse] = reference((p, q, r) => [ax.linalg.solve(p, q), ax.linalg.solve(p, r), ax.linalg.inv(p)], a, bv, bm);
    const A = matrixOf(a);
    expect([...xv.shape]).toEqual([n]);
    expect(maxDiff(matmul(A, transpose([[...xv.data]])), transpose([[...bv.data]]))).toBeLessThanOrEqual(TOL);
    expect(maxDiff(matmul(A, matrixOf(xm)), matrixOf(bm))).toBeLessThanOrEqual(TOL);
    expect(maxDiff(matmul(A, matrixOf(inverse)), identity(n))).toBeLessThanOrEqual(TOL);
  });

  test('pivoting: a zero leading entry ([[0, 1], [1, 0]]) and a tiny one solve exactly', () => {
    const [x] = reference((p, q) => ax.linalg.solve(p, q), stackOf([], () => [[0, 1], [1, 0]]), hostTensor('f32', [2], [3, 5]));
    expect([...x.data]).toEqual([5, 3]);
    // Without pivoting, 1e-20 as the pivot loses the answer entirely in float64.
    const [y] = reference((p, q) => ax.linalg.solve(p, q), stackOf([], () => [[1e-20, 1], [1, 1]]), hostTensor('f32', [2], [1, 2]));
    expect(maxDiff([[...y.data]], [[1, 1]])).toBeLessThanOrEqual(1e-15);
  });

  test('batches broadcast: a [3, 1, 6, 6] with b [2, 6, 2] -> x [3, 2, 6, 2]; a vector b serves every a (x [3, 1, 6])', () => {
    const a = stackOf([3, 1], (k) => boosted(50 + k, 6, 2));
    const b = stackOf([2], (k) => randomMatrix(60 + k, 6, 2));
    const v = hostTensor('f32', [6], randomMatrix(70, 1, 6)[0]);
    const [x, xv, inverse] = reference((p, q, r) => [ax.linalg.solve(p, q), ax.linalg.solve(p, r), ax.linalg.inv(p)], a, b, v);
    expect([...x.shape]).toEqual([3, 2, 6, 2]);
    expect([...xv.shape]).toEqual([3, 1, 6]);
    expect([...inverse.shape]).toEqual([3, 1, 6, 6]);
    for (let i = 0; i < 3; i++) {
      const A = matrixOf(a, i);
      for (let j = 0; j < 2; j++) expect(maxDiff(matmul(A, matrixOf(x, 2 * i + j)), matrixOf(b, j))).toBeLessThanOrEqual(TOL);
      const xi = [...xv.data].slice(6 * i, 6 * i + 6);
      expect(maxDiff(matmul(A, transpose([xi])), transpose([[...v.data]]))).toBeLessThanOrEqual(TOL);
      expect(maxDiff(matmul(A, matrixOf(inverse, i)), identity(6))).toBeLessThanOrEqual(TOL);
    }
  });

  test('integer inputs are promoted to f32, as jnp.linalg does', () => {
    const a = hostTensor('i32', [2, 2], [2, 1, 1, 3]);
    const [x] = reference((p) => ax.linalg.inv(p), a);
    expect(x.dtype).toBe('f32');
    expect(maxDiff(matrixOf(x), [[0.6, -0.2], [-0.2, 0.4]])).toBeLessThanOrEqual(1e-15);
  });

  test('a singular a gives inf or NaN entries, not an exception (JAX\'s convention)', () => {
    const singular = stackOf([], () => [[1, 2], [2, 4]]);
    const [x, inverse] = reference((p, q) => [ax.linalg.solve(p, q), ax.linalg.inv(p)], singular, hostTensor('f32', [2], [1, 1]));
    expect([...x.data].some((v) => !Number.isFinite(v))).toBe(true);
    expect([...inverse.data].some((v) => !Number.isFinite(v))).toBe(true);
  });
});

describe('lu', () => {
  test.each(SIZES)('n = %i: P a = L U, L unit lower with |multipliers| ≤ 1, U upper', (n) => {
    const a = stackOf([], () => randomMatrix(80 + n, n, n));
    const [packed, perm] = reference((p) => {
      const f = ax.linalg.lu(p);
      return [f.lu, f.permutation];
    }, a);
    expect(perm.dtype).toBe('i32');
    const P = [...perm.data];
    expect([...P].sort((x, y) => x - y)).toEqual([...Array(n).keys()]);
    const LU = matrixOf(packed);
    const L = LU.map((row, i) => row.map((v, j) => (j < i ? v : j === i ? 1 : 0)));
    const U = LU.map((row, i) => row.map((v, j) => (j >= i ? v : 0)));
    expect(maxAbs(L)).toBeLessThanOrEqual(1);
    expect(maxDiff(matmul(L, U), permuteRows(matrixOf(a), P))).toBeLessThanOrEqual(TOL);
  });

  test('a batch [2, 2] of 5 x 5 matrices, each factored on its own', () => {
    const a = stackOf([2, 2], (k) => randomMatrix(90 + k, 5, 5));
    const [packed, perm] = reference((p) => {
      const f = ax.linalg.lu(p);
      return [f.lu, f.permutation];
    }, a);
    expect([...perm.shape]).toEqual([2, 2, 5]);
    const rebuilt = perMatrix([packed], (LU) =>
      matmul(LU.map((row, i) => row.map((v, j) => (j < i ? v : j === i ? 1 : 0))), LU.map((row, i) => row.map((v, j) => (j >= i ? v : 0)))),
    );
    for (let k = 0; k < 4; k++) {
      const P = [...perm.data].slice(5 * k, 5 * k + 5);
      expect(maxDiff(matrixOf(rebuilt, k), permuteRows(matrixOf(a, k), P))).toBeLessThanOrEqual(TOL);
    }
  });
});
