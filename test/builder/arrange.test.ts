import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { ShapeError, type HostTensor } from '../../src/ir/index.ts';
import { tabulate } from '../reference/ref-case.ts';
import { checkDerivatives, checkVmap } from './composite.ts';
import { at, eval1, expectTensor, randomTensor } from './helpers.ts';

/** tile, repeat, flip, roll against NumPy's definitions, written here as index formulas. */

const X = tabulate('f32', [2, 3], (r, c) => 10 * r + c);
const mod = (a: number, n: number) => ((a % n) + n) % n;
const values = (t: HostTensor) => [...t.data];

describe('ax.tile', () => {
  it('tiles each axis: out[i][j] = x[i mod 2][j mod 3]', () => {
    const out = eval1((x) => ax.tile(x, [2, 3]), X);
    expectTensor(out, 'f32', [4, 9], values(tabulate('f32', [4, 9], (i, j) => at(X, [i % 2, j % 3]))));
  });
  it('shorter reps count from the last axis, longer ones add leading axes (NumPy)', () => {
    expectTensor(eval1((x) => ax.tile(x, 2), X), 'f32', [2, 6], values(tabulate('f32', [2, 6], (i, j) => at(X, [i, j % 3]))));
    expectTensor(eval1((x) => ax.tile(x, [2, 1, 1]), X), 'f32', [2, 2, 3], [...values(X), ...values(X)]);
    expectTensor(eval1((x) => ax.tile(x, [0, 1]), X), 'f32', [0, 3], []);
  });
  it('keeps a symbolic axis tiled once and refuses to repeat it', () => {
    const g = ax.trace((x: ax.Tensor) => ax.tile(x, [1, 2]), ax.spec('f32', ['N', 3]));
    expect(g.outputs[0].type.shape).toEqual(['N', 6]);
    expect(() => ax.trace((x: ax.Tensor) => ax.tile(x, [2, 1]), ax.spec('f32', ['N', 3]))).toThrow(/tile: cannot repeat symbolic axis 0 \(N\) 2 times \(operands: f32\[N,3\]\) at test\/builder\/arrange\.test\.ts:\d+:\d+/);
  });
  it('differentiates (each copy sends its cotangent back) and batches', () => {
    checkDerivatives((x) => ax.tile(x, [2, 2]), randomTensor(1, [2, 3]));
    checkVmap((x) => ax.tile(x, [3, 1]), [randomTensor(2, [4, 2, 3])], [0]);
  });
});

describe('ax.repeat', () => {
  it('repeats each element along an axis: out[i][j] = x[i][floor(j / 2)]', () => {
    expectTensor(eval1((x) => ax.repeat(x, 2, 1), X), 'f32', [2, 6], values(tabulate('f32', [2, 6], (i, j) => at(X, [i, Math.floor(j / 2)]))));
    expectTensor(eval1((x) => x.repeat(2, -2), X), 'f32', [4, 3], values(tabulate('f32', [4, 3], (i, j) => at(X, [Math.floor(i / 2), j]))));
  });
  it('flattens without an axis, and takes one count per element', () => {
    expectTensor(eval1((x) => ax.repeat(x, 2), X), 'f32', [12], values(X).flatMap((v) => [v, v]));
    expectTensor(eval1((x) => ax.repeat(x, [0, 2, 1], 1), X), 'f32', [2, 3], [1, 1, 2, 11, 11, 12]);
  });
  it('refuses a count list of the wrong length and negative counts, naming repeat and the shape', () => {
    expect(() => ax.trace((x: ax.Tensor) => ax.repeat(x, [1, 2], 1), X)).toThrow(/repeat: 2 repeat counts for axis 1 of size 3 \(operands: f32\[2,3\]\)/);
    expect(() => ax.trace((x: ax.Tensor) => ax.repeat(x, -1), X)).toThrow(ShapeError);
  });
  it('differentiates and batches', () => {
    checkDerivatives((x) => ax.repeat(x, [2, 0, 3], 1), randomTensor(3, [2, 3]));
    checkVmap((x) => ax.repeat(x, 2, 0), [randomTensor(4, [3, 2, 2])], [1]);
  });
});

describe('ax.flip', () => {
  it('reverses the given axes, or all of them', () => {
    expectTensor(eval1((x) => ax.flip(x, 1), X), 'f32', [2, 3], [2, 1, 0, 12, 11, 10]);
    expectTensor(eval1((x) => ax.flip(x), X), 'f32', [2, 3], [12, 11, 10, 2, 1, 0]);
    expectTensor(eval1((x) => ax.flip(x, [0, -1]), X), 'f32', [2, 3], [12, 11, 10, 2, 1, 0]);
  });
  it('names flip and the shape for an axis out of range', () => {
    expect(() => ax.trace((x: ax.Tensor) => ax.flip(x, 2), X)).toThrow(/flip: axis 2 is out of range for rank 2 \(operands: f32\[2,3\]\)/);
  });
  it('differentiates and batches', () => {
    checkDerivatives((x) => ax.flip(x, 0).mul(x), randomTensor(5, [3, 2]));
    checkVmap((x) => ax.flip(x), [randomTensor(6, [2, 4, 3])], [2]);
  });
});

describe('ax.roll', () => {
  const Y = tabulate('f32', [3, 4], (r, c) => 10 * r + c);
  it('out[i] = x[(i - shift) mod n] along an axis, for any shift', () => {
    for (const s of [1, -1, 5, 0, -9])
      expectTensor(eval1((x) => ax.roll(x, s, 1), Y), 'f32', [3, 4], values(tabulate('f32', [3, 4], (i, j) => at(Y, [i, mod(j - s, 4)]))));
  });
  it('rolls the flattened array without an axis, and several axes with one shift each', () => {
    const flat = values(Y);
    expectTensor(eval1((x) => ax.roll(x, 2), Y), 'f32', [3, 4], flat.map((_, i) => flat[mod(i - 2, 12)]));
    expectTensor(eval1((x) => ax.roll(x, [1, -1], [0, 1]), Y), 'f32', [3, 4], values(tabulate('f32', [3, 4], (i, j) => at(Y, [mod(i - 1, 3), mod(j + 1, 4)]))));
  });
  it('takes a traced shift (through dynamicSlice)', () => {
    for (const s of [3, -2, 7]) {
      const out = eval1((x, k) => ax.roll(x, k, 1), Y, ax.hostTensor('i32', [], [s]));
      expectTensor(out, 'f32', [3, 4], values(tabulate('f32', [3, 4], (i, j) => at(Y, [i, mod(j - s, 4)]))));
    }
  });
  it('names roll and the shape for mismatched shifts', () => {
    expect(() => ax.trace((x: ax.Tensor) => ax.roll(x, [1, 2], 0), Y)).toThrow(/roll: 2 shifts for 1 axes \(operands: f32\[3,4\]\)/);
  });
  it('differentiates and batches, with a traced shift per example too', () => {
    checkDerivatives((x) => ax.roll(x, 1, 0), randomTensor(7, [3, 2]));
    checkDerivatives((x, k) => ax.roll(x, k, 0), randomTensor(8, [4, 2]), ax.hostTensor('i32', [], [3]));
    checkVmap((x, k) => ax.roll(x, k, 0), [randomTensor(9, [3, 4, 2]), ax.hostTensor('i32', [3], [1, -2, 6])], [0, 0]);
  });
});
