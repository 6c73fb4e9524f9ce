import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { tabulate } from '../reference/ref-case.ts';
import { checkDerivatives, checkVmap } from './composite.ts';
import { at, eval1, expectTensor, randomTensor } from './helpers.ts';

/** tril, triu and diag against NumPy's definitions, written here as index formulas. */

const M = tabulate('f32', [3, 4], (r, c) => 1 + 10 * r + c);

describe('ax.tril and ax.triu', () => {
  for (const k of [0, 1, -1, 5, -5])
    it(`keep j <= i + k (tril) and j >= i + k (triu), zeros elsewhere, k = ${k}`, () => {
      expectTensor(eval1((x) => ax.tril(x, k), M), 'f32', [3, 4], [...tabulate('f32', [3, 4], (i, j) => (j <= i + k ? at(M, [i, j]) : 0)).data]);
      expectTensor(eval1((x) => ax.triu(x, k), M), 'f32', [3, 4], [...tabulate('f32', [3, 4], (i, j) => (j >= i + k ? at(M, [i, j]) : 0)).data]);
    });
  it('mask the last two axes of a stack, of any dtype and a symbolic batch', () => {
    const S = tabulate('i32', [2, 2, 2], (b, i, j) => 1 + 4 * b + 2 * i + j);
    expectTensor(eval1((x) => ax.tril(x), S), 'i32', [2, 2, 2], [1, 0, 3, 4, 5, 0, 7, 8]);
    const g = ax.trace((x: ax.Tensor) => ax.triu(x), ax.spec('f32', ['N', 3, 3]));
    expect(g.outputs[0].type.shape).toEqual(['N', 3, 3]);
  });
  it('name the function and the shape for a vector', () => {
    expect(() => ax.trace((x: ax.Tensor) => ax.tril(x), ax.hostTensor('f32', [3], [1, 2, 3]))).toThrow(/tril: needs an array of rank 2 or more .* \(operands: f32\[3\]\) at test\/builder\/triangle\.test\.ts/);
  });
  it('differentiate and batch', () => {
    checkDerivatives((x) => ax.tril(x, -1).add(ax.triu(x, 2).mul(3)), randomTensor(11, [3, 4]));
    checkVmap((x) => ax.triu(x, 1), [randomTensor(12, [3, 3, 2])], [2]);
  });
});

describe('ax.diag', () => {
  const v = ax.hostTensor('f32', [3], [5, 6, 7]);
  for (const k of [0, 2, -1])
    it(`builds the matrix with v on diagonal k = ${k} (size 3 + |k|)`, () => {
      const n = 3 + Math.abs(k);
      const want = tabulate('f32', [n, n], (i, j) => (j - i === k ? v.data[k >= 0 ? i : j] : 0));
      expectTensor(eval1((x) => ax.diag(x, k), v), 'f32', [n, n], [...want.data]);
    });
  for (const k of [0, 1, 3, -2, 4, -3])
    it(`reads diagonal k = ${k} of a 3×4 matrix: x[t + max(-k, 0)][t + max(k, 0)]`, () => {
      const length = Math.max(0, Math.min(3 - Math.max(-k, 0), 4 - Math.max(k, 0)));
      const want = Array.from({ length }, (_, t) => at(M, [t + Math.max(-k, 0), t + Math.max(k, 0)]));
      expectTensor(eval1((x) => ax.diag(x, k), M), 'f32', [length], want);
    });
  it('names diag and the shape for other ranks and fractional offsets', () => {
    expect(() => ax.trace((x: ax.Tensor) => ax.diag(x), ax.spec('f32', [2, 2, 2]))).toThrow(/diag: needs a 1-D array .* \(operands: f32\[2,2,2\]\)/);
    expect(() => ax.trace((x: ax.Tensor) => ax.diag(x, 0.5), v)).toThrow(/diag: the diagonal offset k must be an integer, got 0\.5/);
  });
  it('differentiates both ways and batches', () => {
    checkDerivatives((x) => ax.diag(x, -1).mul(2), randomTensor(13, [3]));
    checkDerivatives((x) => ax.diag(x, 1), randomTensor(14, [3, 4]));
    checkVmap((x) => ax.diag(x, 1), [randomTensor(15, [2, 3])], [0]);
    checkVmap((x) => ax.diag(x, -1), [randomTensor(16, [3, 4, 2])], [2]);
  });
});
