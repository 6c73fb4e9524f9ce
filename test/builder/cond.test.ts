import { describe, expect, it } from 'vitest';
import { batchGraph } from '../../passes/batching.ts';
import { condToSelect } from '../../passes/cond-to-select.ts';
import * as ax from '../../src/index.ts';
import { parseGraph, printGraph, walkNodes, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { checkDerivatives, checkVmap } from './composite.ts';
import { evalAll, eval1, expectTensor, ht, randomTensor } from './helpers.ts';

type T = ax.Tensor;
const X = ht([3], [0.5, -1, 2]);
const flag = (v: boolean) => ht([], [v ? 1 : 0], 'bool');
const i32 = (v: number) => ht([], [v], 'i32');
const ops = (g: Graph) => [...walkNodes(g)].map((n) => n.op);

/** The three branches of the switch tests, and their values at X in float64. */
const BRANCHES = [(v: T) => v.sin(), (v: T) => v.mul(v), (v: T) => v.tanh().add(1)];
const AT_X = [Math.sin, (v: number) => v * v, (v: number) => Math.tanh(v) + 1].map((f) => [...X.data].map(f));

describe('ax.cond', () => {
  it('runs the true branch when pred holds, else the false one; an integer pred means pred != 0', () => {
    const f = (p: T, x: T) => ax.cond(p, (v: T) => v.mul(2), (v: T) => v.neg(), x);
    expectTensor(eval1(f, flag(true), X), 'f32', [3], [1, -2, 4]);
    expectTensor(eval1(f, flag(false), X), 'f32', [3], [-0.5, 1, -2]);
    expectTensor(eval1(f, i32(-3), X), 'f32', [3], [1, -2, 4]);
    expectTensor(eval1(f, i32(0), X), 'f32', [3], [-0.5, 1, -2]);
  });
  it('takes trees of operands and returns trees; branches may close over tensors and differ in which', () => {
    const f = (p: T, x: T, w: T) => {
      const out = ax.cond(
        p,
        (s: { a: T; k: T }) => ({ y: s.a.mul(w), k: s.k.add(1) }),
        (s: { a: T; k: T }) => ({ y: s.a.add(x.sum()), k: s.k }),
        { a: x, k: ax.full([], 7, 'i32') },
      );
      return [out.y, out.k];
    };
    const w = ht([3], [2, 3, 4]);
    const [y1, k1] = evalAll(f as (...xs: T[]) => T[], flag(true), X, w);
    expectTensor(y1, 'f32', [3], [1, -3, 8]);
    expectTensor(k1, 'i32', [], [8]);
    const [y0, k0] = evalAll(f as (...xs: T[]) => T[], flag(false), X, w);
    expectTensor(y0, 'f32', [3], [2, 0.5, 3.5]);
    expectTensor(k0, 'i32', [], [7]);
  });
  it('is one cond node with then/else regions that prints, parses back and is located at the call', () => {
    const g = ax.trace((p: T, x: T) => ax.cond(p, (v: T) => v.exp(), (v: T) => v, x), flag(true), X);
    const node = g.nodes.find((n) => n.op === 'cond')!;
    expect(node.loc?.file).toBe('test/builder/cond.test.ts');
    const text = printGraph(g);
    expect(text).toMatch(/= cond %\d+, %\d+ then\(%\d+: f32\[3\]\) \{/);
    expect(printGraph(parseGraph(text))).toBe(text);
  });
  it('refuses branches that disagree, and predicates that are not scalars of bool or an integer, naming cond and the call site', () => {
    const where = /at test\/builder\/cond\.test\.ts:\d+:\d+$/;
    expect(() => ax.trace((p: T, x: T) => ax.cond(p, (v: T) => v, (v: T) => v.sum(), x), flag(true), X)).toThrow(
      /^cond: trueFn returns \(f32\[3\]\) but falseFn returns \(f32\[\]\): the branches must return the same dtypes and shapes \(operands: bool\[\], f32\[3\]\) at test\//,
    );
    expect(() => ax.trace((p: T, x: T) => ax.cond(p, (v: T) => [v, v], (v: T) => [v], x), flag(true), X)).toThrow(/cond: trueFn returns \(out\[0\], out\[1\]\) but falseFn returns \(out\[0\]\)/);
    expect(() => ax.trace((x: T) => ax.cond(x.sum(), (v: T) => v, (v: T) => v, x), X)).toThrow(/^cond: the predicate must be a scalar of dtype bool or i32 or u32, got f32\[\]/);
    expect(() => ax.trace((x: T) => ax.cond(x.gt(0), (v: T) => v, (v: T) => v, x), X)).toThrow(where);
  });
  it('differentiates through the chosen branch, closed-over tensors included', () => {
    for (const p of [true, false])
      checkDerivatives((pp, x, w) => ax.cond(pp, (v: T) => v.sin().mul(w), (v: T) => v.mul(v).add(w.sum()), x), flag(p), randomTensor(71, [3]), randomTensor(72, [3]));
  });
  it('vmap: a predicate per example selects per example; a shared one keeps the cond', () => {
    const f = (p: T, x: T) => ax.cond(p, (v: T) => v.exp(), (v: T) => v.mul(3), x);
    checkVmap(f, [ht([3], [1, 0, 1], 'bool'), randomTensor(73, [3, 2])], [0, 0]);
    checkVmap(f, [flag(false), randomTensor(74, [3, 2])], [null, 0]);
    const g = ax.trace(f, flag(true), ht([2], [1, 2]));
    expect(ops(batchGraph(g, [0, 0], 4).graph)).not.toContain('cond');
    expect(ops(batchGraph(g, [undefined, 0], 4).graph)).toContain('cond');
  });
  it('vmap of grad through cond (per-example gradients with per-example predicates)', () => {
    const grad = ax.grad((x: T, p: T) => ax.cond(p, (v: T) => v.sin(), (v: T) => v.mul(v), x).sum());
    const xs = randomTensor(75, [4, 3]);
    const ps = ht([4], [1, 0, 0, 1], 'bool');
    const [got] = evalAll((x: T, p: T) => ax.vmap(grad)(x, p) as T, xs, ps);
    const want = [...xs.data].map((v, i) => ([1, 0, 0, 1][Math.floor(i / 3)] ? Math.cos(v) : 2 * v));
    expectTensor(got, 'f32', [4, 3], want);
  });
});

describe('ax.switch', () => {
  for (const k of [-3, 0, 1, 2, 9])
    it(`index ${k} runs branch ${Math.min(Math.max(k, 0), 2)} (clamped as JAX clamps)`, () => {
      const out = eval1((i: T, x: T) => ax.switch(i, BRANCHES, x), i32(k), X);
      expectTensor(out, 'f32', [3], AT_X[Math.min(Math.max(k, 0), 2)]);
    });
  it('is a balanced tree of n - 1 conds; one branch is called directly; u32 indices work', () => {
    const five = [0, 1, 2, 3, 4].map((c) => (v: T) => v.add(c));
    const g = ax.trace((i: T, x: T) => ax.switch(i, five, x), i32(3), X);
    expect(ops(g).filter((op) => op === 'cond')).toHaveLength(4);
    expectTensor(ax.evaluate(g, [i32(3), X])[0], 'f32', [3], [...X.data].map((v) => v + 3));
    expectTensor(eval1((i: T, x: T) => ax.switch(i, [(v: T) => v.neg()], x), i32(5), X), 'f32', [3], [-0.5, 1, -2]);
    expectTensor(eval1((i: T, x: T) => ax.switch(i, BRANCHES, x), ht([], [1], 'u32'), X), 'f32', [3], AT_X[1]);
  });
  it('names switch, the disagreeing branches and the call site', () => {
    const bad = [(v: T) => v, (v: T) => v, (v: T) => v.sum()];
    expect(() => ax.trace((i: T, x: T) => ax.switch(i, bad, x), i32(0), X)).toThrow(
      /^switch: branch 0 returns \(f32\[3\]\) but branch 2 returns \(f32\[\]\): the branches must return the same dtypes and shapes/,
    );
    expect(() => ax.trace((i: T, x: T) => ax.switch(i, bad, x), i32(0), X)).toThrow(/at test\/builder\/cond\.test\.ts:\d+:\d+$/);
    expect(() => ax.trace((x: T) => ax.switch(x.sum(), BRANCHES, x), X)).toThrow(/switch: the index must be a scalar of dtype i32 or u32, got f32\[\]/);
    expect(() => ax.trace((i: T, x: T) => ax.switch(i, [], x), i32(0), X)).toThrow(/ax\.switch: branches must be a non-empty array/);
  });
  it('differentiates each branch and batches over per-example indices', () => {
    for (const k of [0, 1, 2]) checkDerivatives((i, x) => ax.switch(i, BRANCHES, x), i32(k), randomTensor(76, [3]));
    checkVmap((i, x) => ax.switch(i, BRANCHES, x), [ht([4], [2, -1, 1, 7], 'i32'), randomTensor(77, [4, 3])], [0, 0]);
  });
});

describe('cond-to-select (the WebGPU lowering of cond)', () => {
  it('leaves no cond, and computes what the reference computes for both predicates', () => {
    const g = ax.trace((p: T, i: T, x: T) => ax.cond(p, (v: T) => ax.switch(i, BRANCHES, v), (v: T) => v.exp(), x), flag(true), i32(0), X);
    const lowered = condToSelect(g);
    expect(ops(lowered)).not.toContain('cond');
    const cases: HostTensor[][] = [[flag(true), i32(2), X], [flag(false), i32(1), X], [flag(true), i32(-4), X]];
    for (const args of cases) expectTensor(ax.evaluate(lowered, args)[0], 'f32', [3], [...ax.evaluate(g, args)[0].data]);
  });
  it('reaches into loop bodies: a cond on the step counter inside ax.loop', () => {
    // s ← s/2 on even steps, s + 1 on odd ones, 5 steps from s0: ((((s0/2)+1)/2+1)/2).
    const f = (x: T) => ax.loop(5, (s: T, i: T) => ax.cond(i.mod(2).eq(0), (v: T) => v.mul(0.5), (v: T) => v.add(1), s), x);
    const g = ax.trace(f, X);
    const lowered = condToSelect(g);
    expect(ops(g)).toContain('cond');
    expect(ops(lowered)).not.toContain('cond');
    const want = [...X.data].map((v) => ((v / 2 + 1) / 2 + 1) / 2);
    expectTensor(ax.evaluate(lowered, [X])[0], 'f32', [3], want);
    expectTensor(ax.evaluate(g, [X])[0], 'f32', [3], want);
  });
});
