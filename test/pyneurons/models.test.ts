import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { CpuBackend } from '../../runtime/index.ts';
import { runReference, values } from '../helpers/run-reference.ts';
import { AFTER_STEP_1, XOR, xorStart, xorX, xorY } from './xor.ts';

const pn = ax.pyneurons;
const cpu: CpuBackend = { kind: 'cpu', reason: 'reference interpreter (test)' };
const leafValues = (tree: ax.Tree) => ax.treeLeaves(tree).map(values);

function meanAndStd(xs: number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)];
}

describe('initialisation (SEMANTICS 1.2)', () => {
  test('create(key, n): w is [n, 1], b is [1, 1] and b = −w[0, 0] exactly (D-PN-1)', () => {
    const [w, b] = pn.create(ax.random.key(7), 3) as [ax.HostTensor, ax.HostTensor];
    expect([w.shape, b.shape]).toEqual([[3, 1], [1, 1]]);
    expect(values(b)).toEqual([-values(w)[0]]);
    expect(new Set(values(w)).size).toBe(3);
  });

  test('a fresh 1-input neuron has b = −w, so it outputs exactly 0 for input 1', () => {
    for (const seed of [0, 1, 2]) {
      const neuron = new pn.Neuron(ax.random.key(seed), 1);
      expect(values(runReference((m: typeof neuron, x: ax.Tensor) => m(x), neuron, ax.array([[1]])))).toEqual([0]);
    }
  });

  test('weight ~ N(φ, 0.01), bias = −weight of the same key, param ~ N(0, 0.01)', () => {
    const key = ax.random.key(11);
    const w = values(pn.weight(key, [4000, 1]));
    const [mean, std] = meanAndStd(w);
    // Standard errors: 0.1/√4000 = 0.0016 for the mean, about 0.0011 for the std.
    expect(Math.abs(mean - pn.PHI)).toBeLessThan(0.006);
    expect(Math.abs(std - 0.1)).toBeLessThan(0.005);
    expect(values(pn.bias(key, [4000, 1]))).toEqual(w.map((v) => -v));
    const p = values(pn.param(key, [4000, 1]));
    p.forEach((v, i) => expect(v).toBeCloseTo(w[i] - pn.PHI, 6));
  });

  test('inside a trace, create adds nodes instead of computing', () => {
    const g = ax.trace((k: ax.Tensor) => pn.create(k, 2), ax.random.key(0));
    expect(g.outputs.map((v) => v.type.shape)).toEqual([[2, 1], [1, 1]]);
  });
});

describe('apply and the built-in classes (SEMANTICS 1.1, 1.7, 1.8)', () => {
  test('apply(([[.5],[.5],[.5]], [[.1]]), [[1,2,3]]) = [[3.1]]; an unbatched x gives [1, 1]', () => {
    const neuron = [ax.array([[0.5], [0.5], [0.5]]), ax.array([[0.1]])] as const;
    const batched = runReference((n: typeof neuron, x: ax.Tensor) => pn.apply(n, x), neuron, ax.array([[1, 2, 3]]));
    expect(batched.shape).toEqual([1, 1]);
    expect(values(batched)[0]).toBeCloseTo(3.1, 12);
    expect(runReference((n: typeof neuron, x: ax.Tensor) => pn.apply(n, x), neuron, ax.array([1, 2, 3])).shape).toEqual([1, 1]);
  });

  test('Binary is a Neuron subclass applying H after the neuron; Vector applies vector', () => {
    const tree = [ax.array([[1], [-1]]), ax.array([[0.5]])] as const;
    const x = ax.array([[0, 0], [0, 1], [2, 0], [0, 2]]);
    const binary = pn.Binary.of(tree);
    expect(binary).toBeInstanceOf(pn.Binary);
    expect(binary).toBeInstanceOf(pn.Neuron);
    expect(binary).not.toBeInstanceOf(pn.Vector);
    // z = x @ [1, −1] + 0.5 = [0.5, −0.5, 2.5, −1.5]
    expect(values(runReference((m: typeof binary, v: ax.Tensor) => m(v), binary, x))).toEqual([1, 0, 1, 0]);
    const vector = pn.Vector.of(tree);
    expect(values(runReference((m: typeof vector, v: ax.Tensor) => m(v), vector, x))).toEqual([1.5, 0, 2, 0]);
    expect(values(runReference((m: typeof vector, v: ax.Tensor) => m(v), pn.Neuron.of(tree), x))).toEqual([0.5, -0.5, 2.5, -1.5]);
  });
});

describe('bind and compose', () => {
  const scale = (key: ax.Operand) => ({ s: pn.weight(key, [1]) });
  const applyScale = (tree: { s: ax.Operand }, x: ax.Operand) => ax.multiply(tree.s, x);

  test('bind(name, constructTree, applyTree) makes a class of callable models', () => {
    const Scale = pn.bind('Scale', scale, applyScale);
    const m = new Scale(ax.random.key(3));
    expect(Scale.modelName).toBe('Scale');
    expect(Scale.name).toBe('Scale');
    expect(m).toBeInstanceOf(Scale);
    expect(typeof m).toBe('function');
    expect(String(m)).toBe('Scale model');
    const s = values(m.tree.s)[0];
    expect(values(runReference((model: typeof m, x: ax.Tensor) => model(x), m, ax.array([2, 3])))).toEqual([2 * s, 3 * s]);
  });

  test('bind(constructTree, applyTree) names the class "Model"; bind(value, apply) wraps a tree', () => {
    expect(pn.bind(scale, applyScale).modelName).toBe('Model');
    const fixed = pn.bind({ s: ax.array([4]) }, applyScale);
    expect(values(fixed.tree.s)).toEqual([4]);
    expect(values(runReference((model: typeof fixed, x: ax.Tensor) => model(x), fixed, ax.array([0.5])))).toEqual([2]);
    // A model is a value too: binding it wraps it, it does not take it for a constructor.
    const outer = pn.bind(fixed, (inner, x: ax.Operand) => ax.add(inner(x), 1));
    expect(values(runReference((model: typeof outer, x: ax.Tensor) => model(x), outer, ax.array([0.5])))).toEqual([3]);
  });

  test('compose(name, cls, fn) calls fn on the class output', () => {
    const Scale = pn.bind('Scale', scale, applyScale);
    const Shifted = pn.compose('Shifted', Scale, (y: ax.Tensor) => ax.add(y, 10));
    const m = Shifted.of({ s: ax.array([2]) });
    expect(m).toBeInstanceOf(Scale);
    expect(values(runReference((model: typeof m, x: ax.Tensor) => model(x), m, ax.array([1])))).toEqual([12]);
  });
});

describe('models are pytrees', () => {
  test('grad of a loss over a model is a model of the same class; fit maps gd over both', () => {
    const start = xorStart();
    const [grads, next] = runReference(
      (m: typeof start, x: ax.Tensor, y: ax.Tensor) => [ax.grad(pn.loss)(m, x, y), pn.fit(0.1, m, x, y)],
      start, xorX, xorY,
    );
    expect(grads).toBeInstanceOf(XOR);
    expect(grads.tree[0]).toBeInstanceOf(pn.Binary);
    expect(next).toBeInstanceOf(XOR);
    // SEMANTICS 1.8: with g = −sign(y − out)/4 and out = [0,1,1,1]: g = [0, 0, 0, 0.25],
    // ∂w_b = [x, h]ᵀ g = [0.25, 0.25, 0.25], ∂b_b = 0.25, ∂h = g · w_b[2] = [0, 0, 0, 0.385],
    // ∂w_a = xᵀ ∂h = [0.385, 0.385], ∂b_a = 0.385.
    const expected = [[0.385, 0.385], [0.385], [0.25, 0.25, 0.25], [0.25]];
    leafValues(grads).forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 12)));
    leafValues(next).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(AFTER_STEP_1[i][j], 12)));
  });

  test('the initial pre-activations of 1.10 e', () => {
    const start = xorStart();
    const [zA, h, zB, out] = runReference((m: typeof start, x: ax.Tensor) => {
      const [a, b] = m.tree;
      const za = pn.apply(a.tree, x);
      const hidden = a(x);
      return [za, hidden, pn.apply(b.tree, pn.concat([x, hidden])), m(x)];
    }, start, xorX).map(values);
    [-1.69, -0.24, -0.13, 1.32].forEach((v, i) => expect(zA[i]).toBeCloseTo(v, 12));
    expect(h).toEqual([0, 0, 0, 1]);
    [-1.38, 0.14, 0.06, 3.12].forEach((v, i) => expect(zB[i]).toBeCloseTo(v, 12));
    expect(out).toEqual([0, 1, 1, 1]);
  });

  test('flatten sees the leaves of the tree; treeMap rebuilds the class; structures carry the class', () => {
    const m = xorStart();
    expect(ax.treeLeaves(m)).toHaveLength(4);
    expect(ax.leafPaths(ax.flatten(m).def, 'model')).toEqual(['model[0][0]', 'model[0][1]', 'model[1][0]', 'model[1][1]']);
    const doubled = ax.treeMap((leaf: ax.DeviceArray) => ax.array(values(leaf).map((v) => 2 * v), leaf.shape), m as ax.Tree<ax.DeviceArray>);
    expect(doubled).toBeInstanceOf(XOR);
    expect(values((doubled as typeof m).tree[1].tree[1])).toEqual([-2.76]);
    const neuron = pn.Neuron.of([ax.array([[1]]), ax.array([[1]])]);
    const binary = pn.Binary.of([ax.array([[1]]), ax.array([[1]])]);
    expect(ax.sameStructure(ax.flatten(neuron).def, ax.flatten(binary).def)).toBe(false);
    expect(ax.sameStructure(ax.flatten(binary).def, ax.flatten(pn.Binary.of([ax.array([[2]]), ax.array([[3]])])).def)).toBe(true);
  });

  test('jit takes and returns models: one trace per class and shapes, a retrace for another class', async () => {
    const call = ax.jit((m: ax.pyneurons.UnaryModel, x: ax.Tensor) => m(x), { backend: cpu });
    const x = ax.array([[2]]);
    const outs = [];
    for (const m of [pn.Binary.of([ax.array([[1]]), ax.array([[-3]])]), pn.Binary.of([ax.array([[1]]), ax.array([[-1]])]), pn.Neuron.of([ax.array([[1]]), ax.array([[-3]])])])
      outs.push(Array.from(await ((await call(m, x)) as ax.DeviceArray).data()));
    expect(outs).toEqual([[0], [1], [-1]]);
    expect(call.traceCount).toBe(2);
    const step = ax.jit((m: ReturnType<typeof xorStart>, xs: ax.Tensor, ys: ax.Tensor) => pn.fit(0.1, m, xs, ys), { backend: cpu });
    const next = await step(xorStart(), xorX, xorY);
    expect(next).toBeInstanceOf(XOR);
  });

  test('ax.loop carries a model', () => {
    const start = xorStart();
    const twice = runReference((m: typeof start, x: ax.Tensor, y: ax.Tensor) => ax.loop(2, (s) => pn.fit(0.1, s, x, y), m), start, xorX, xorY);
    const stepwise = runReference((m: typeof start, x: ax.Tensor, y: ax.Tensor) => pn.fit(0.1, pn.fit(0.1, m, x, y), x, y), start, xorX, xorY);
    expect(twice).toBeInstanceOf(XOR);
    expect(leafValues(twice)).toEqual(leafValues(stepwise));
  });
});
