import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { randomValues } from './helpers.ts';

/**
 * Float64 matrix arithmetic written plainly in the tests (the oracles the linalg suites compare
 * against): products, transposes, identities and well-conditioned random matrices, on stacks
 * [..., m, n] stored row-major in HostTensors.
 */

/** The sizes every function is checked at: 1, the 2 x 2 and 3 x 3 closed forms, and odd sizes. */
export const SIZES = [1, 2, 3, 8, 33] as const;

type Fn = (...xs: ax.Tensor[]) => ax.Tree<ax.Tensor>;

/** Traces `fn` on the inputs' types and evaluates it with the float64 reference interpreter. */
export const reference = (fn: Fn, ...inputs: HostTensor[]): HostTensor[] => evaluate(ax.trace(fn, ...inputs), inputs);

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The number of matrices in a stack and their rows and columns. */
export function layout(t: HostTensor): { count: number; rows: number; cols: number } {
  const rows = t.shape[t.shape.length - 2];
  const cols = t.shape[t.shape.length - 1];
  return { count: product(t.shape.slice(0, -2)), rows, cols };
}

/** Matrix k of a stack as an array of rows. */
export function matrixOf(t: HostTensor, k = 0): number[][] {
  const { rows, cols } = layout(t);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => t.data[k * rows * cols + i * cols + j]));
}

/** A stack (batch shape `batch`) from a function of the matrix index. */
export function stackOf(batch: readonly number[], make: (k: number) => number[][]): HostTensor {
  const mats = Array.from({ length: product(batch) }, (_, k) => make(k));
  const rows = mats[0].length;
  const cols = rows ? mats[0][0].length : 0;
  return hostTensor('f32', [...batch, rows, cols], mats.flatMap((m) => m.flat()));
}

/** Applies `f` to each matrix of the stacks (same batch shape), stacking its results. */
export function perMatrix(ts: readonly HostTensor[], f: (...ms: number[][][]) => number[][]): HostTensor {
  return stackOf(ts[0].shape.slice(0, -2), (k) => f(...ts.map((t) => matrixOf(t, k))));
}

export const matmul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
export const transpose = (a: number[][]): number[][] => (a.length ? a[0].map((_, j) => a.map((row) => row[j])) : []);
export const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** Rows of uniform values in [-1, 1), reproducible from the seed. */
export function randomMatrix(seed: number, rows: number, cols: number): number[][] {
  const v = randomValues(seed, rows * cols);
  return Array.from({ length: rows }, (_, i) => v.slice(i * cols, (i + 1) * cols));
}

/** Random entries plus `boost` on the diagonal: far from singular (diagonally dominant for boost ≥ n). */
export const boosted = (seed: number, n: number, boost: number): number[][] =>
  randomMatrix(seed, n, n).map((row, i) => row.map((v, j) => (i === j ? v + boost : v)));

/** A symmetric positive definite matrix M Mᵀ / n + I, eigenvalues in [1, ~2]. */
export function spd(seed: number, n: number): number[][] {
  const m = randomMatrix(seed, n, n);
  return matmul(m, transpose(m)).map((row, i) => row.map((v, j) => v / n + (i === j ? 1 : 0)));
}

/** A unit lower-triangular matrix with random entries below the diagonal. */
export const unitLower = (seed: number, n: number): number[][] =>
  randomMatrix(seed, n, n).map((row, i) => row.map((v, j) => (j < i ? v : j === i ? 1 : 0)));

/** An upper-triangular matrix with the given diagonal and random entries above it. */
export const upperWith = (seed: number, diag: readonly number[]): number[][] =>
  randomMatrix(seed, diag.length, diag.length).map((row, i) => row.map((v, j) => (j > i ? v : j === i ? diag[i] : 0)));

/** The matrix whose row i is row perm[i] of a (P a with P = eye[perm]). */
export const permuteRows = (a: number[][], perm: readonly number[]): number[][] => perm.map((r) => a[r]);

/** The sign of a permutation, by counting inversions. */
export function permutationSign(perm: readonly number[]): number {
  let inversions = 0;
  for (let i = 0; i < perm.length; i++) for (let k = i + 1; k < perm.length; k++) if (perm[i] > perm[k]) inversions++;
  return inversions % 2 ? -1 : 1;
}

/** A reproducible permutation of 0..n-1 (Fisher-Yates on the seed's values). */
export function randomPermutation(seed: number, n: number): number[] {
  const perm = [...Array(n).keys()];
  const v = randomValues(seed, n, 0, 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(v[i] * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

/** max |a − b| over two equally shaped lists of rows. */
export function maxDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}

/** max |x| over the entries. */
export const maxAbs = (a: number[][]): number => Math.max(0, ...a.flat().map(Math.abs));

/** Every entry of the tensor is NaN. */
export const allNaN = (t: HostTensor): boolean => [...t.data].every(Number.isNaN);
