import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { ShapeError, walkNodes, type HostTensor } from '../../src/ir/index.ts';
import { tabulate } from '../reference/ref-case.ts';
import { checkDerivatives, checkVmap } from './composite.ts';
import { eval1, expectTensor, ht, randomTensor } from './helpers.ts';

/** x.at(index).get/set/add/mul/min/max against a plain loop over the updates, in index order. */

type Mode = 'set' | 'add' | 'mul' | 'min' | 'max';
const COMBINE: Record<Mode, (old: number, u: number) => number> = {
  set: (_old, u) => u,
  add: (old, u) => old + u,
  mul: (old, u) => old * u,
  min: Math.min,
  max: Math.max,
};

/** x: [n, r] rows; idx: the row of each update; upd: [m, r]. Negative indices wrap once; others out of range are dropped. */
function scatterRef(x: HostTensor, idx: readonly number[], upd: readonly number[], mode: Mode): number[] {
  const [n] = x.shape;
  const r = x.data.length / n;
  const out = [...x.data];
  idx.forEach((raw, m) => {
    const i = raw < 0 ? raw + n : raw;
    if (i < 0 || i >= n) return;
    for (let c = 0; c < r; c++) out[i * r + c] = COMBINE[mode](out[i * r + c], upd[m * r + c]);
  });
  return out;
}

const X = tabulate('f32', [4, 2], (r, c) => 10 * r + c + 1);
const U = ht([4, 2], [-1, -2, 0.5, 3, 7, -8, 2, 2]);
const MODES: readonly Mode[] = ['set', 'add', 'mul', 'min', 'max'];
const apply = (t: ax.Tensor, index: ax.RowIndex, mode: Mode, v: ax.Operand) => t.at(index)[mode](v);

describe('x.at(index) updates', () => {
  for (const mode of MODES) {
    it(`${mode}: a static index list with repeats and a negative index`, () => {
      const idx = [2, -1, 2, 0];
      const out = eval1((x, u) => apply(x, idx, mode, u), X, U);
      expectTensor(out, 'f32', [4, 2], scatterRef(X, idx, [...U.data], mode));
    });
    it(`${mode}: traced i32 indices, out-of-range ones dropped`, () => {
      const idx = [3, 9, -6, 1];
      const out = eval1((x, k, u) => apply(x, k, mode, u), X, ht([4], idx, 'i32'), U);
      expectTensor(out, 'f32', [4, 2], scatterRef(X, idx, [...U.data], mode));
    });
  }
  it('broadcasts updates to x[index] and casts them to x dtype: a scalar, a row, a [2,2] index block', () => {
    expectTensor(eval1((x) => x.at(1).set(5), X), 'f32', [4, 2], scatterRef(X, [1], [5, 5], 'set'));
    expectTensor(eval1((x) => x.at([0, 3]).add(ax.array([1, 2], [2])), X), 'f32', [4, 2], scatterRef(X, [0, 3], [1, 2, 1, 2], 'add'));
    const idx = ht([2, 2], [0, 1, 1, 3], 'i32');
    const upd = randomTensor(21, [2, 2, 2]);
    expectTensor(eval1((x, k, u) => x.at(k).add(u), X, idx, upd), 'f32', [4, 2], scatterRef(X, [0, 1, 1, 3], [...upd.data], 'add'));
    const I = tabulate('i32', [3], (i) => i);
    expectTensor(eval1((x) => x.at([0, 2]).mul(-2), I), 'i32', [3], [0, 1, -4]);
    expectTensor(eval1((b) => b.at(1).set(true), ht([3], [0, 0, 1], 'bool')), 'bool', [3], [0, 1, 1]);
  });
  it('an empty index list leaves x as it is', () => {
    expectTensor(eval1((x) => x.at([]).add(1), X), 'f32', [4, 2], [...X.data]);
  });
  it('works on a symbolic axis 0 with traced indices', () => {
    const g = ax.trace((x: ax.Tensor, k: ax.Tensor) => x.at(k).add(1), ax.spec('f32', ['N', 2]), ax.spec('i32', [3]));
    expect(g.outputs[0].type.shape).toEqual(['N', 2]);
    expectTensor(ax.evaluate(g, [X, ht([3], [0, 0, 5], 'i32')])[0], 'f32', [4, 2], scatterRef(X, [0, 0, 5], [1, 1, 1, 1, 1, 1], 'add'));
  });
});

describe('x.at(index).get()', () => {
  it('gathers rows: static indices wrap, traced ones are clamped (JAX retrieval)', () => {
    expectTensor(eval1((x) => x.at(-1).get(), X), 'f32', [2], [31, 32]);
    expectTensor(eval1((x) => x.at([2, 0]).get(), X), 'f32', [2, 2], [21, 22, 1, 2]);
    expectTensor(eval1((x, k) => x.at(k).get(), X, ht([2], [7, -9], 'i32')), 'f32', [2, 2], [31, 32, 1, 2]);
  });
  it('x.index(i) is the old x.at(i): x[i] along axis 0', () => {
    expectTensor(eval1((x) => x.index(2), X), 'f32', [2], [21, 22]);
  });
});

describe('x.at(index): bad input names the function, the shapes and the call site', () => {
  const at = /\(operands: f32\[4,2\]\) at test\/builder\/scatter\.test\.ts:\d+:\d+$/;
  it('a static index out of range', () => {
    expect(() => ax.trace((x: ax.Tensor) => x.at(4).set(0), X)).toThrow(/^at\.set: index 4 is out of range for axis 0 of size 4/);
    expect(() => ax.trace((x: ax.Tensor) => x.at([0, -5]).get(), X)).toThrow(at);
  });
  it('float indices, updates that do not broadcast, arithmetic on bool', () => {
    expect(() => ax.trace((x: ax.Tensor, k: ax.Tensor) => x.at(k).add(1), X, ht([2], [0, 1]))).toThrow(/at\.add: indices must be integers \(i32 or u32\), got f32\[2\]/);
    expect(() => ax.trace((x: ax.Tensor) => x.at([0, 1]).set(ax.zeros([3])), X)).toThrow(/at\.set: updates f32\[3\] do not broadcast to the indexed shape \[2,2\]/);
    expect(() => ax.trace((b: ax.Tensor) => b.at(0).add(true), ht([2], [0, 1], 'bool'))).toThrow(ShapeError);
    expect(() => ax.trace((x: ax.Tensor) => x.at(0.5).get(), X)).toThrow(/at\.get: index 0\.5 is not an integer/);
  });
});

describe('x.at(index) under differentiation and vmap', () => {
  const k = ht([4], [2, 0, 2, -7], 'i32');
  for (const mode of MODES)
    it(`${mode}: gradients for x and the updates against finite differences, repeats included`, () => {
      checkDerivatives((x, u) => apply(x, k, mode, u), randomTensor(31, [4, 2]), randomTensor(32, [4, 2], -2, 2));
    });
  it('add: the updates cotangent is a gather of the output cotangent (not a masked sum over every row)', () => {
    const g = ax.trace((x: ax.Tensor, u: ax.Tensor) => ax.grad((uu: ax.Tensor) => x.at(k).add(uu).mul(x).sum())(u), X, U);
    // The forward scatter has no gather, so the one in the gradient graph is the backward rule's.
    expect(g.nodes.map((n) => n.op)).toContain('gather');
    const bwd = [...walkNodes(g)].find((n) => n.op === 'custom_vjp')!.regions[1];
    expect([...walkNodes(bwd)].map((n) => n.op)).toContain('gather');
    expect([...walkNodes(bwd)].some((n) => n.op === 'reduce_sum')).toBe(false);
  });
  for (const mode of MODES)
    it(`${mode}: vmap over x, over the indices and over the updates, against one example at a time`, () => {
      const f = (x: ax.Tensor, idx: ax.Tensor, u: ax.Tensor) => apply(x, idx, mode, u);
      const xs = randomTensor(41, [3, 4, 2]);
      const idx = ht([3, 2], [0, 3, 3, 3, -1, 9], 'i32');
      const us = randomTensor(42, [3, 2, 2]);
      checkVmap(f, [xs, idx, us], [0, 0, 0]);
      checkVmap(f, [X, idx, randomTensor(43, [2, 2])], [null, 0, null]);
      checkVmap(f, [xs, ht([2], [1, 1], 'i32'), randomTensor(44, [2, 2])], [0, null, null]);
    });
});
