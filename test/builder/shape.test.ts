import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { at, coords, eval1, evalAll, expectTensor, ht, randomTensor } from './helpers.ts';

const x = randomTensor(21, [2, 3, 4]);
const data = Array.from(x.data);

/** out[c] = x[source(c)] for every coordinate of the output shape. */
function gathered(shape: number[], source: (c: number[]) => number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => at(x, source(coords(i, shape))));
}

describe('shape functions', () => {
  test('reshape keeps row-major order; one -1 is inferred', () => {
    const [a, b, c] = evalAll((t) => [ax.reshape(t, [6, 4]), t.reshape([4, -1]), t.reshape([-1])], x);
    expectTensor(a, 'f32', [6, 4], data);
    expectTensor(b, 'f32', [4, 6], data);
    expectTensor(c, 'f32', [24], data);
  });

  test('reshape infers -1 over symbolic dims', () => {
    const g2 = ax.trace((t: ax.Tensor) => t.reshape(['N', -1]), ax.spec('f32', ['N', 3, 4]));
    expect(g2.outputs[0].type.shape).toEqual(['N', 12]);
    const g3 = ax.trace((t: ax.Tensor) => t.reshape([-1, 12]), ax.spec('f32', ['N', 3, 4]));
    expect(g3.outputs[0].type.shape).toEqual(['N', 12]);
    // -1 would be 3*N, which is not one dimension.
    expect(() => ax.trace((t: ax.Tensor) => t.reshape([-1, 4]), ax.spec('f32', ['N', 3, 4]))).toThrow(/cannot infer -1 in \[-1,4\] from \[N,3,4\]/);
  });

  test('reshape errors name the op and the shapes', () => {
    expect(() => ax.trace((t: ax.Tensor) => t.reshape([5, -1]), ax.spec('f32', [2, 3, 4]))).toThrow(/reshape: cannot infer -1 in \[5,-1\] from \[2,3,4\]/);
    expect(() => ax.trace((t: ax.Tensor) => t.reshape([-1, -1]), ax.spec('f32', [2, 3, 4]))).toThrow(/only one -1/);
    expect(() => ax.trace((t: ax.Tensor) => t.reshape([5, 5]), ax.spec('f32', [2, 3, 4]))).toThrow(/element counts differ/);
  });

  test('transpose: default reverses, explicit and negative perms, .T', () => {
    const [rev, perm, neg, T] = evalAll((t) => [ax.transpose(t), t.transpose([1, 0, 2]), t.transpose([-1, 0, 1]), t.T], x);
    expectTensor(rev, 'f32', [4, 3, 2], gathered([4, 3, 2], ([a, b, c]) => [c, b, a]));
    expectTensor(perm, 'f32', [3, 2, 4], gathered([3, 2, 4], ([a, b, c]) => [b, a, c]));
    expectTensor(neg, 'f32', [4, 2, 3], gathered([4, 2, 3], ([a, b, c]) => [b, c, a]));
    expectTensor(T, 'f32', [4, 3, 2], rev.data);
    expectTensor(eval1((t) => ax.swapaxes(t, 0, -1), x), 'f32', [4, 3, 2], rev.data);
  });

  test('broadcastTo stretches size-1 axes and adds leading ones', () => {
    const v = ht([3, 1], [1, 2, 3]);
    expectTensor(eval1((t) => ax.broadcastTo(t, [2, 3, 4]), v), 'f32', [2, 3, 4], Array.from({ length: 24 }, (_, i) => coords(i, [2, 3, 4])[1] + 1));
    expect(() => ax.trace((t: ax.Tensor) => t.broadcastTo([2, 4]), ax.spec('f32', [3, 1]))).toThrow(/broadcast_in_dim/);
  });

  test('expandDims and squeeze', () => {
    const [e0, eNeg, both, sq, sqAxis] = evalAll(
      (t) => [ax.expandDims(t, 0), t.expandDims(-1), t.expandDims([0, 2]), ax.squeeze(t.expandDims([0, 2])), t.expandDims([0, 2]).squeeze(0)],
      x,
    );
    expect(e0.shape).toEqual([1, 2, 3, 4]);
    expect(eNeg.shape).toEqual([2, 3, 4, 1]);
    expect(both.shape).toEqual([1, 2, 1, 3, 4]);
    expect(sq.shape).toEqual([2, 3, 4]);
    expect(sqAxis.shape).toEqual([2, 1, 3, 4]);
    for (const t of [e0, eNeg, both, sq, sqAxis]) expect(Array.from(t.data)).toEqual(data);
    expect(() => ax.trace((t: ax.Tensor) => t.squeeze(1), ax.spec('f32', [2, 3]))).toThrow(/squeeze: axis 1 has size 3, not 1/);
  });

  test('concatenate and stack (with promotion and negative axes)', () => {
    const a = ht([2, 2], [1, 2, 3, 4]);
    const b = ht([2, 1], [5, 6], 'i32');
    expectTensor(eval1((p, q) => ax.concatenate([p, q], -1), a, b), 'f32', [2, 3], [1, 2, 5, 3, 4, 6]);
    expectTensor(eval1((p) => ax.concatenate([p, p], 0), a), 'f32', [4, 2], [1, 2, 3, 4, 1, 2, 3, 4]);
    const c = ht([2, 2], [5, 6, 7, 8]);
    expectTensor(eval1((p, q) => ax.stack([p, q]), a, c), 'f32', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expectTensor(eval1((p, q) => ax.stack([p, q], -1), a, c), 'f32', [2, 2, 2], [1, 5, 2, 6, 3, 7, 4, 8]);
  });

  test('take along an axis, negative indices from the end, flattened without axis', () => {
    const idx = ht([3], [2, 0, -1], 'i32');
    expectTensor(eval1((t, i) => ax.take(t, i, 1), x, idx), 'f32', [2, 3, 4], gathered([2, 3, 4], ([a, b, c]) => [a, [2, 0, 2][b], c]));
    expectTensor(eval1((t) => t.take([3, -4], -1), x), 'f32', [2, 3, 2], gathered([2, 3, 2], ([a, b, c]) => [a, b, [3, 0][c]]));
    expectTensor(eval1((t) => ax.take(t, 5), x), 'f32', [], [data[5]]);
    expectTensor(eval1((t) => ax.take(t, [23, 0]), x), 'f32', [2], [data[23], data[0]]);
  });

  test('pad with per-axis pairs, one pair, or a number', () => {
    const m = ht([2, 2], [1, 2, 3, 4]);
    expectTensor(eval1((t) => ax.pad(t, [[1, 0], [0, 2]], -1), m), 'f32', [3, 4], [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
    expectTensor(eval1((t) => t.pad([0, 1]), m), 'f32', [3, 3], [1, 2, 0, 3, 4, 0, 0, 0, 0]);
    expect(eval1((t) => ax.pad(t, 1), m).shape).toEqual([4, 4]);
  });

  test('slice with strides and negative bounds', () => {
    const [s, neg] = evalAll((t) => [ax.slice(t, [0, 1, 0], [2, 3, 4], [1, 1, 2]), t.slice([1, 0, -2], [2, -1, 4])], x);
    expectTensor(s, 'f32', [2, 2, 2], gathered([2, 2, 2], ([a, b, c]) => [a, b + 1, 2 * c]));
    expectTensor(neg, 'f32', [1, 2, 2], gathered([1, 2, 2], ([a, b, c]) => [a + 1, b, c + 2]));
  });

  test('indexing and iteration along axis 0', () => {
    const [first, last] = evalAll((t) => [t.index(0), ax.index(t, -1)], x);
    expectTensor(first, 'f32', [3, 4], data.slice(0, 12));
    expectTensor(last, 'f32', [3, 4], data.slice(12));
    const theta = ht([2], [3, 5]);
    const out = eval1((t) => {
      const [m, b] = t;
      return m.mul(10).add(b);
    }, theta);
    expectTensor(out, 'f32', [], [35]);
  });

  test('a symbolic axis is kept whole by slice and index', () => {
    const g = ax.trace((t: ax.Tensor) => t.slice([0, 1], ['N', 3]), ax.spec('f32', ['N', 4]));
    expect(g.outputs[0].type.shape).toEqual(['N', 2]);
    const [out] = evaluate(g, [randomTensor(3, [3, 4])]);
    expect(out.shape).toEqual([3, 2]);
  });
});
