import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { at, coords, eval1, expectTensor, ht, randomTensor } from './helpers.ts';

/** NumPy matmul by explicit loops over broadcast batch coordinates. */
function matmulLoops(a: HostTensor, b: HostTensor): { shape: number[]; data: number[] } {
  // A vector operand is a [1, k] row (lhs) or a [k, 1] column (rhs); row-major data is unchanged.
  const aShape = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
  const bShape = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const batch = Array.from({ length: rank }, (_, i) =>
    Math.max(aBatch[i - (rank - aBatch.length)] ?? 1, bBatch[i - (rank - bBatch.length)] ?? 1),
  );
  const own = (c: number[], dims: number[]) => c.slice(rank - dims.length, rank).map((v, i) => (dims[i] === 1 ? 0 : v));
  const shape = [...batch, m, n];
  const data: number[] = [];
  for (let o = 0; o < shape.reduce((p, q) => p * q, 1); o++) {
    const c = coords(o, shape);
    const [i, j] = c.slice(rank);
    let acc = 0;
    for (let p = 0; p < k; p++)
      acc += at({ ...a, shape: aShape }, [...own(c, aBatch), i, p]) * at({ ...b, shape: bShape }, [...own(c, bBatch), p, j]);
    data.push(acc);
  }
  const dropped = shape.filter((_, ax) => !(a.shape.length === 1 && ax === rank) && !(b.shape.length === 1 && ax === rank + 1));
  return { shape: dropped, data };
}

describe('matmul', () => {
  test.each([
    [[3, 4], [4, 5], [3, 5]],
    [[4], [4, 5], [5]],
    [[3, 4], [4], [3]],
    [[4], [4], []],
    [[2, 3, 4], [4, 5], [2, 3, 5]],
    [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
    [[4], [2, 4, 5], [2, 5]],
    [[2, 3, 4], [4], [2, 3]],
  ])('%j @ %j -> %j', (sa, sb, expectedShape) => {
    const a = randomTensor(31, sa);
    const b = randomTensor(32, sb);
    const ref = matmulLoops(a, b);
    expect(ref.shape).toEqual(expectedShape);
    expectTensor(eval1(ax.matmul, a, b), 'f32', expectedShape, ref.data, 1e-13);
    expectTensor(eval1((p, q) => p.matmul(q), a, b), 'f32', expectedShape, ref.data, 1e-13);
  });

  test('a 2-D weight is contracted without broadcasting it over the batch', () => {
    const g = ax.trace(ax.matmul, ax.spec('f32', ['N', 'T', 4]), ax.spec('f32', [4, 5]));
    expect(g.nodes.map((n) => n.op)).toEqual(['dot_general']);
    expect(g.outputs[0].type.shape).toEqual(['N', 'T', 5]);
  });

  test('integers with floats multiply in f32 (D-PN-6); integers alone stay integers', () => {
    const i = ht([1, 2], [1, 2], 'i32');
    const w = ht([2, 1], [0.5, 0.25]);
    expectTensor(eval1(ax.matmul, i, w), 'f32', [1, 1], [1]);
    expectTensor(eval1(ax.matmul, i, ht([2, 1], [3, 4], 'i32')), 'i32', [1, 1], [11]);
  });
});

describe('dot and outer', () => {
  test('dot of vectors, matrix-vector, and N-D with M-D (NumPy)', () => {
    const v = randomTensor(41, [4]);
    const m = randomTensor(42, [3, 4]);
    const b = randomTensor(43, [2, 4, 5]);
    const sumProd = (f: (k: number) => number) => [0, 1, 2, 3].reduce((acc, k) => acc + f(k), 0);
    expectTensor(eval1(ax.dot, v, v), 'f32', [], [sumProd((k) => v.data[k] ** 2)]);
    expectTensor(eval1(ax.dot, m, v), 'f32', [3], [0, 1, 2].map((i) => sumProd((k) => at(m, [i, k]) * v.data[k])));
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) for (let p = 0; p < 2; p++) for (let j = 0; j < 5; j++) expected.push(sumProd((k) => at(m, [i, k]) * at(b, [p, k, j])));
    expectTensor(eval1((x, y) => x.dot(y), m, b), 'f32', [3, 2, 5], expected, 1e-13);
    expectTensor(eval1((x) => ax.dot(x, 2), v), 'f32', [4], Array.from(v.data, (e) => 2 * e));
  });

  test('outer', () => {
    expectTensor(eval1(ax.outer, ht([2], [1, 2]), ht([3], [1, 10, 100])), 'f32', [2, 3], [1, 10, 100, 2, 20, 200]);
  });
});

describe('einsum against explicit loops', () => {
  const w = randomTensor(51, [3, 4]);
  const xs = randomTensor(52, [5, 4]);

  test("'ji,ci->cj' (x @ w^T, the tutorial's linear model)", () => {
    const expected: number[] = [];
    for (let c = 0; c < 5; c++) for (let j = 0; j < 3; j++) expected.push([0, 1, 2, 3].reduce((s, i) => s + at(w, [j, i]) * at(xs, [c, i]), 0));
    expectTensor(eval1((a, b) => ax.einsum('ji,ci->cj', a, b), w, xs), 'f32', [5, 3], expected, 1e-13);
    expectTensor(eval1((a, b) => ax.einsum('ji,bi->bj', a, b), w, xs), 'f32', [5, 3], expected, 1e-13);
    // The output order is rhs-free then lhs-free, so the operands are swapped instead of transposing.
    const g = ax.trace((a: ax.Tensor, b: ax.Tensor) => ax.einsum('ji,ci->cj', a, b), ax.spec('f32', [3, 4]), ax.spec('f32', ['N', 4]));
    expect(g.nodes.map((n) => n.op)).toEqual(['dot_general']);
  });

  test('batch letters, contraction letters and letters summed out of one operand', () => {
    const a = randomTensor(53, [2, 3, 4]);
    const b = randomTensor(54, [2, 4, 5, 6]);
    const expected: number[] = [];
    for (let p = 0; p < 2; p++)
      for (let i = 0; i < 3; i++)
        for (let k = 0; k < 5; k++) {
          let s = 0;
          for (let j = 0; j < 4; j++) for (let l = 0; l < 6; l++) s += at(a, [p, i, j]) * at(b, [p, j, k, l]);
          expected.push(s);
        }
    expectTensor(eval1((x, y) => ax.einsum('bij,bjkl->bik', x, y), a, b), 'f32', [2, 3, 5], expected, 1e-12);
    const perm: number[] = [];
    for (let k = 0; k < 5; k++) for (let p = 0; p < 2; p++) for (let i = 0; i < 3; i++) perm.push(expected[p * 15 + i * 5 + k]);
    expectTensor(eval1((x, y) => ax.einsum('bij, bjkl -> kbi', x, y), a, b), 'f32', [5, 2, 3], perm, 1e-12);
  });

  test('single operand: transpose, row sums, total, implicit output', () => {
    const rowSums = [0, 1, 2].map((j) => [0, 1, 2, 3].reduce((s, i) => s + at(w, [j, i]), 0));
    expectTensor(eval1((a) => ax.einsum('ij->ji', a), w), 'f32', [4, 3], Array.from({ length: 12 }, (_, o) => at(w, [o % 3, Math.floor(o / 3)])));
    expectTensor(eval1((a) => ax.einsum('ij->i', a), w), 'f32', [3], rowSums, 1e-14);
    expectTensor(eval1((a) => ax.einsum('ij->', a), w), 'f32', [], [rowSums.reduce((p, q) => p + q, 0)], 1e-14);
    // Implicit output: letters that occur once, alphabetically ('ji' -> 'ij', a transpose).
    expectTensor(eval1((a) => ax.einsum('ji', a), w), 'f32', [4, 3], eval1((a) => a.T, w).data);
    expectTensor(eval1((a, b) => ax.einsum('ij,kj', a, b), w, xs), 'f32', [3, 5], eval1((a, b) => ax.matmul(a, b.T), w, xs).data, 1e-13);
  });

  test('three operands contract left to right', () => {
    const a = randomTensor(55, [2, 3]);
    const b = randomTensor(56, [3, 4]);
    const c = randomTensor(57, [4, 2]);
    const chained = eval1((p, q, r) => p.matmul(q).matmul(r), a, b, c);
    expectTensor(eval1((p, q, r) => ax.einsum('ij,jk,kl->il', p, q, r), a, b, c), 'f32', [2, 2], chained.data, 1e-13);
  });

  test('errors name einsum and the subscripts', () => {
    const spec = [ax.spec('f32', [3, 4]), ax.spec('f32', [5, 4])] as const;
    const tr = (s: string) => () => ax.trace((a: ax.Tensor, b: ax.Tensor) => ax.einsum(s, a, b), ...spec);
    expect(tr('ij,ij->i')).toThrow(/einsum: 'ij,ij->i': 'i' is 3 in one operand and 5 in operand 1/);
    expect(tr('ii,ci->c')).toThrow(/'i' repeats in operand 0/);
    expect(tr('ij,cj->z')).toThrow(/output subscript 'z' does not occur/);
    expect(tr('ijk,cj->c')).toThrow(/operand 0 has rank 2 but 3 subscripts/);
    expect(tr('...j,cj->c')).toThrow(/ellipsis/);
  });
});
