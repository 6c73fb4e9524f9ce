import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { at, coords, eval1, evalAll, expectTensor, ht, randomTensor } from './helpers.ts';
import type { HostTensor } from '../../src/ir/index.ts';

const x = randomTensor(11, [2, 3, 4], -2, 2);

/** Reduces `t` over `axes` with a JS fold, keeping the other axes in order. */
function foldAxes(t: HostTensor, axes: number[], init: number, f: (acc: number, v: number) => number): { shape: number[]; data: number[] } {
  const shape = t.shape.filter((_, i) => !axes.includes(i));
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Array<number>(n).fill(init);
  for (let i = 0; i < t.data.length; i++) {
    const c = coords(i, t.shape).filter((_, ax) => !axes.includes(ax));
    const o = c.reduce((acc, v, k) => acc * shape[k] + v, 0);
    data[o] = f(data[o], t.data[i]);
  }
  return { shape, data };
}

describe('reductions', () => {
  test.each([
    [undefined, [0, 1, 2]],
    [1, [1]],
    [-1, [2]],
    [[0, -1], [0, 2]],
    [[2, 0], [0, 2]],
  ] as const)('sum, max, min, mean over axis %j', (axis, axes) => {
    const [s, mx, mn, mean] = evalAll((t) => [ax.sum(t, axis), ax.max(t, axis), ax.min(t, axis), ax.mean(t, axis)], x);
    const ref = (init: number, f: (a: number, v: number) => number) => foldAxes(x, [...axes], init, f);
    const sums = ref(0, (a, v) => a + v);
    const count = axes.reduce((n: number, a: number) => n * x.shape[a], 1);
    expectTensor(s, 'f32', sums.shape, sums.data);
    expectTensor(mx, 'f32', sums.shape, ref(-Infinity, Math.max).data);
    expectTensor(mn, 'f32', sums.shape, ref(Infinity, Math.min).data);
    expectTensor(mean, 'f32', sums.shape, sums.data.map((v) => v / count));
  });

  test('keepdims keeps reduced axes as 1', () => {
    const out = eval1((t) => t.sum(-2, true), x);
    const ref = foldAxes(x, [1], 0, (a, v) => a + v);
    expectTensor(out, 'f32', [2, 1, 4], ref.data);
  });

  test('axes are normalised (sorted, unique) before building the primitive', () => {
    const g = ax.trace((t: ax.Tensor) => ax.sum(t, [-1, 0]), ax.spec('f32', [2, 3, 4]));
    const node = g.nodes.find((n) => n.op === 'reduce_sum')!;
    expect(node.attrs).toEqual({ axes: [0, 2], keepdims: false });
  });

  test('sum of bool counts; mean of integers is f32', () => {
    const b = ht([4], [1, 0, 1, 1], 'bool');
    expectTensor(eval1((t) => t.sum(), b), 'i32', [], [3]);
    expectTensor(eval1((t) => t.mean(), ht([3], [1, 2, 4], 'i32')), 'f32', [], [7 / 3]);
    const [any, all] = evalAll((t) => [t.any(), t.all()], b);
    expectTensor(any, 'bool', [], [1]);
    expectTensor(all, 'bool', [], [0]);
  });

  test('var and std match the two-pass formula, with ddof', () => {
    const [v, v1, s, vAxis] = evalAll((t) => [ax.var(t), t.var(undefined, { ddof: 1 }), ax.std(t), ax.var(t, 2, { keepdims: true })], x);
    const data = Array.from(x.data);
    const m = data.reduce((a, b) => a + b, 0) / data.length;
    const ss = data.reduce((a, b) => a + (b - m) ** 2, 0);
    expectTensor(v, 'f32', [], [ss / data.length]);
    expectTensor(v1, 'f32', [], [ss / (data.length - 1)]);
    expectTensor(s, 'f32', [], [Math.sqrt(ss / data.length)]);
    const rows = [];
    for (let r = 0; r < 6; r++) {
      const row = data.slice(4 * r, 4 * r + 4);
      const rm = row.reduce((a, b) => a + b, 0) / 4;
      rows.push(row.reduce((a, b) => a + (b - rm) ** 2, 0) / 4);
    }
    expectTensor(vAxis, 'f32', [2, 3, 1], rows);
  });

  test('norm is the L2 norm', () => {
    const [all, rows] = evalAll((t) => [ax.norm(t), t.norm(-1)], x);
    expectTensor(all, 'f32', [], [Math.sqrt(Array.from(x.data).reduce((a, b) => a + b * b, 0))]);
    expectTensor(rows, 'f32', [2, 3], foldAxes(x, [2], 0, (a, v) => a + v * v).data.map(Math.sqrt));
  });

  test('argmax and argmin match a JS loop (first occurrence wins)', () => {
    const t = ht([3, 4], [1, 5, 5, 2, -1, -3, -3, 0, 7, 7, 7, 7]);
    const [amax, amin, flat, keep] = evalAll((s) => [ax.argmax(s, 1), s.argmin(-1), ax.argmax(s), ax.argmax(s, 0, true)], t);
    const loop = (better: (a: number, b: number) => boolean) =>
      [0, 1, 2].map((r) => {
        let best = 0;
        for (let c = 1; c < 4; c++) if (better(at(t, [r, c]), at(t, [r, best]))) best = c;
        return best;
      });
    expectTensor(amax, 'i32', [3], loop((a, b) => a > b));
    expectTensor(amin, 'i32', [3], loop((a, b) => a < b));
    expectTensor(flat, 'i32', [], [8]);
    const columnArgmax = [0, 1, 2, 3].map((c) => [0, 1, 2].reduce((best, r) => (at(t, [r, c]) > at(t, [best, c]) ? r : best), 0));
    expectTensor(keep, 'i32', [1, 4], columnArgmax);
  });

  test('argmax picks the first NaN, as NumPy does', () => {
    expectTensor(eval1((s) => ax.argmax(s), ht([4], [1, NaN, 3, NaN])), 'i32', [], [1]);
  });

  test('mean over a symbolic axis divides by its bound size', () => {
    const g = ax.trace((t: ax.Tensor) => ax.mean(t, 0), ax.spec('f32', ['N', 2]));
    for (const n of [1, 3, 5]) {
      const t = randomTensor(n, [n, 2]);
      const [out] = evaluate(g, [t]);
      expectTensor(out, 'f32', [2], foldAxes(t, [0], 0, (a, v) => a + v).data.map((v) => v / n));
    }
  });

  test('a reduction axis out of range is a ShapeError naming the op', () => {
    expect(() => ax.trace((t: ax.Tensor) => t.sum(3), ax.spec('f32', [2, 3]))).toThrow(/sum: axis 3 is out of range for rank 2/);
    expect(() => ax.trace((t: ax.Tensor) => t.sum([0, -2]), ax.spec('f32', [2, 3]))).toThrow(/names an axis twice/);
  });
});

describe('logsumexp, softmax, logSoftmax', () => {
  const logits = randomTensor(12, [3, 5], -4, 4);
  const rows = (t: HostTensor) => [0, 1, 2].map((r) => Array.from(t.data.slice(5 * r, 5 * r + 5)));

  test('softmax rows sum to 1 and equal exp(x)/sum(exp(x))', () => {
    const out = eval1((t) => ax.softmax(t), logits);
    const expected = rows(logits).flatMap((row) => {
      const z = row.reduce((a, v) => a + Math.exp(v), 0);
      return row.map((v) => Math.exp(v) / z);
    });
    expectTensor(out, 'f32', [3, 5], expected, 1e-14);
    for (const row of rows(out)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  test('softmax along axis 0 and nn.softmax agree with the definition', () => {
    const [s0, nn] = evalAll((t) => [ax.softmax(t, 0), ax.nn.softmax(t)], logits);
    for (let c = 0; c < 5; c++) {
      const col = [0, 1, 2].map((r) => Math.exp(at(logits, [r, c])));
      const z = col.reduce((a, b) => a + b, 0);
      col.forEach((v, r) => expect(at(s0, [r, c])).toBeCloseTo(v / z, 14));
    }
    expectTensor(nn, 'f32', [3, 5], eval1((t) => ax.softmax(t), logits).data);
  });

  test('logsumexp is stable for inputs of 1000 and -1000', () => {
    const t = ht([2, 3], [1000, 1000, 1000, -1000, -1000, -1001]);
    const out = eval1((s) => ax.logsumexp(s, 1), t);
    expectTensor(out, 'f32', [2], [1000 + Math.log(3), -1000 + Math.log(2 + Math.exp(-1))]);
    expectTensor(eval1((s) => ax.nn.logsumexp(s), ht([2], [-Infinity, -Infinity])), 'f32', [], [-Infinity]);
  });

  test('logsumexp over all axes and with keepdims', () => {
    const [all, keep] = evalAll((s) => [s.logsumexp(), ax.logsumexp(s, -1, true)], logits);
    expectTensor(all, 'f32', [], [Math.log(Array.from(logits.data).reduce((a, v) => a + Math.exp(v), 0))]);
    expectTensor(keep, 'f32', [3, 1], rows(logits).map((row) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0))));
  });

  test('logSoftmax = x - logsumexp(x), stable at 1000', () => {
    const t = ht([1, 3], [1000, 999, 998]);
    const out = eval1((s) => ax.logSoftmax(s), t);
    const lse = 1000 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expectTensor(out, 'f32', [1, 3], [1000 - lse, 999 - lse, 998 - lse]);
    expectTensor(eval1((s) => ax.nn.logSoftmax(s), t), 'f32', [1, 3], out.data);
  });

  test('oneHot', () => {
    expectTensor(eval1((s) => ax.nn.oneHot(s, 3), ht([2], [2, 0], 'i32')), 'f32', [2, 3], [0, 0, 1, 1, 0, 0]);
  });
});
