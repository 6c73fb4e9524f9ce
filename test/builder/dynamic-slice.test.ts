import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { tabulate } from '../reference/ref-case.ts';
import { checkDerivatives, checkVmap } from './composite.ts';
import { at, eval1, expectTensor, ht, randomTensor } from './helpers.ts';

/** ax.dynamicSlice / ax.dynamicUpdateSlice: JAX's semantics (negative starts wrap once, then clamp). */

const X = tabulate('f32', [4, 5], (r, c) => 10 * r + c);
/** Where a window of `size` starts on an axis of `dim`, as JAX computes it. */
const startOf = (s: number, dim: number, size: number) => Math.min(Math.max(s < 0 ? s + dim : s, 0), dim - size);
const i32 = (v: number) => ht([], [v], 'i32');

describe('ax.dynamicSlice', () => {
  for (const [r, c] of [[1, 2], [3, 4], [-1, -2], [-9, 40]])
    it(`a [2,3] window at (${r}, ${c}): static, traced scalars and a traced vector agree with JAX's start`, () => {
      const want = tabulate('f32', [2, 3], (i, j) => at(X, [startOf(r, 4, 2) + i, startOf(c, 5, 3) + j]));
      expectTensor(eval1((x) => ax.dynamicSlice(x, [r, c], [2, 3]), X), 'f32', [2, 3], [...want.data]);
      expectTensor(eval1((x, p, q) => ax.dynamicSlice(x, [p, q], [2, 3]), X, i32(r), i32(c)), 'f32', [2, 3], [...want.data]);
      expectTensor(eval1((x, s) => ax.dynamicSlice(x, s, [2, 3]), X, ht([2], [r, c], 'i32')), 'f32', [2, 3], [...want.data]);
    });
  it('mixes JS numbers and traced scalars, and keeps a symbolic axis whole', () => {
    expectTensor(eval1((x, p) => ax.dynamicSlice(x, [p, 1], [1, 4]), X, i32(2)), 'f32', [1, 4], [21, 22, 23, 24]);
    const g = ax.trace((x: ax.Tensor, p: ax.Tensor) => ax.dynamicSlice(x, [0, p], ['N', 2]), ax.spec('f32', ['N', 5]), ax.spec('i32', []));
    expect(g.outputs[0].type.shape).toEqual(['N', 2]);
    expectTensor(ax.evaluate(g, [X, i32(4)])[0], 'f32', [4, 2], [3, 4, 13, 14, 23, 24, 33, 34]);
  });
  it('names dynamicSlice, the shapes and the call site for bad input', () => {
    const where = /\(operands: f32\[4,5\]\) at test\/builder\/dynamic-slice\.test\.ts:\d+:\d+$/;
    expect(() => ax.trace((x: ax.Tensor) => ax.dynamicSlice(x, [1], [2, 2]), X)).toThrow(/^dynamicSlice: needs one start index per axis \(2\), got 1/);
    expect(() => ax.trace((x: ax.Tensor) => ax.dynamicSlice(x, [0, 0], [5, 2]), X)).toThrow(/dynamicSlice: axis 0: a window of 5 does not fit the axis of 4/);
    expect(() => ax.trace((x: ax.Tensor) => ax.dynamicSlice(x, [0, 0.5], [1, 1]), X)).toThrow(where);
    expect(() => ax.trace((x: ax.Tensor, p: ax.Tensor) => ax.dynamicSlice(x, [p, 0], [1, 1]), X, ht([], [1]))).toThrow(/start index 0 must be an integer scalar, got f32\[\]/);
  });
  it('differentiates (the cotangent lands in the window) and batches over starts and arrays', () => {
    checkDerivatives((x, p) => ax.dynamicSlice(x, [p, 1], [2, 3]), randomTensor(51, [4, 5]), i32(3));
    const f = (x: ax.Tensor, p: ax.Tensor) => ax.dynamicSlice(x, [p, -2], [2, 2]);
    checkVmap(f, [X, ht([3], [0, 2, 9], 'i32')], [null, 0]);
    checkVmap(f, [randomTensor(52, [4, 5, 3]), ht([3], [-1, 1, 2], 'i32')], [2, 0]);
    checkVmap(f, [randomTensor(53, [2, 4, 5]), i32(1)], [0, null]);
  });
});

describe('ax.dynamicUpdateSlice', () => {
  const U = ht([2, 2], [-1, -2, -3, -4]);
  for (const [r, c] of [[1, 2], [-1, 0], [7, -8]])
    it(`writes a [2,2] block at (${r}, ${c}) as JAX places it`, () => {
      const [r0, c0] = [startOf(r, 4, 2), startOf(c, 5, 2)];
      const want = tabulate('f32', [4, 5], (i, j) => (i >= r0 && i < r0 + 2 && j >= c0 && j < c0 + 2 ? at(U, [i - r0, j - c0]) : at(X, [i, j])));
      expectTensor(eval1((x, u) => ax.dynamicUpdateSlice(x, u, [r, c]), X, U), 'f32', [4, 5], [...want.data]);
      expectTensor(eval1((x, u, p) => ax.dynamicUpdateSlice(x, u, [p, c]), X, U, i32(r)), 'f32', [4, 5], [...want.data]);
    });
  it('names dynamicUpdateSlice and the shapes for a dtype or rank mismatch', () => {
    expect(() => ax.trace((x: ax.Tensor, u: ax.Tensor) => ax.dynamicUpdateSlice(x, u, [0, 0]), X, ht([1, 1], [1], 'i32'))).toThrow(
      /^dynamicUpdateSlice: the update's dtype i32 differs from x's f32; cast it with astype \(operands: f32\[4,5\], i32\[1,1\]\) at test\//,
    );
    expect(() => ax.trace((x: ax.Tensor, u: ax.Tensor) => ax.dynamicUpdateSlice(x, u, [0, 0]), X, ht([2], [1, 2]))).toThrow(/the update must have x's rank 2, got 1/);
  });
  it('differentiates for x and the update, and batches', () => {
    checkDerivatives((x, u, p) => ax.dynamicUpdateSlice(x, u, [p, 2]), randomTensor(61, [4, 5]), randomTensor(62, [3, 2]), i32(-1));
    const f = (x: ax.Tensor, u: ax.Tensor, p: ax.Tensor) => ax.dynamicUpdateSlice(x, u, [p, 1]);
    checkVmap(f, [randomTensor(63, [3, 4, 5]), randomTensor(64, [3, 2, 2]), ht([3], [0, 3, -1], 'i32')], [0, 0, 0]);
    checkVmap(f, [X, U, ht([2], [2, -4], 'i32')], [null, null, 0]);
  });
});
