import { describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { draw, example } from './batch-case.ts';
import { oneAtATime, run } from './oracle.ts';

type Tensor = ax.Tensor;
const d = draw(7);

/** A per-example function mixing shapes: x [3], w [3,2] -> tanh(x w) [2] and its sum. */
const layer = (x: Tensor, w: Tensor): [Tensor, Tensor] => {
  const h = ax.tanh(ax.matmul(x, w));
  return [h, h.sum()];
};

describe('ax.vmap: axes', () => {
  it('maps axis 0 of every argument by default', () => {
    const xs = d.f32([4, 3]);
    const ws = d.f32([4, 3, 2]);
    const got = run((x, w) => ax.vmap(layer)(x, w), xs, ws);
    oneAtATime((x, w) => layer(x, w), [xs, ws], [0, 0]).forEach((want, k) => expectClose(got[k], want, 1e-12));
  });

  it('shares an argument marked null, and reads examples along the last axis', () => {
    const xs = d.f32([3, 5]); // examples along axis 1 (given as -1)
    const w = d.f32([3, 2]);
    const got = run((x, w) => ax.vmap(layer, [-1, null])(x, w), xs, w);
    oneAtATime((x, w) => layer(x, w), [xs, w], [1, null]).forEach((want, k) => expectClose(got[k], want, 1e-12));
  });

  it('puts results at outAxes (an axis for all, or a prefix of the result)', () => {
    const xs = d.f32([4, 3]);
    const w = d.f32([3, 2]);
    const hidden = (x: Tensor, w: Tensor) => layer(x, w)[0];
    const [h1] = run((x, w) => ax.vmap(hidden, [0, null], 1)(x, w), xs, w);
    expectClose(h1, oneAtATime((x, w) => layer(x, w)[0], [xs, w], [0, null], 1)[0], 1e-12);
    const [h2, s2] = run((x, w) => ax.vmap(layer, [0, null], [-1, 0])(x, w) as Tensor[], xs, w);
    expectClose(h2, oneAtATime((x, w) => layer(x, w)[0], [xs, w], [0, null], 1)[0], 1e-12);
    expect([...s2.shape]).toEqual([4]);
  });

  it('takes tree prefixes: per-leaf axes inside an argument, null for a result shared by all', () => {
    type Params = { w: Tensor; b: Tensor };
    const f = (p: Params, x: Tensor) => ({ y: ax.matmul(x, p.w).add(p.b), norm: p.w.pow(2).sum() });
    const w = d.f32([3, 2]);
    const bs = d.f32([4, 2]);
    const xs = d.f32([4, 3]);
    const [y, norm] = run(
      (w, b, x) => {
        const out = ax.vmap(f, [{ w: null, b: 0 }, 0], { y: 0, norm: null })({ w, b }, x) as { y: Tensor; norm: Tensor };
        return [out.y, out.norm];
      },
      w, bs, xs,
    );
    expectClose(y, oneAtATime((w, b, x) => f({ w, b }, x).y, [w, bs, xs], [null, 0, 0])[0], 1e-12);
    expect(norm.data[0]).toBeCloseTo([...w.data].reduce((a, v) => a + v * v, 0), 12);
  });

  it('accepts a JS number as a shared argument', () => {
    const xs = d.f32([4, 3]);
    const [got] = run((x) => ax.vmap((x: Tensor, s: Tensor) => x.mul(s).sum(), [0, null])(x, 2.5) as Tensor, xs);
    const want = [0, 1, 2, 3].map((b) => 2.5 * [...example(xs, 0, b).data].reduce((a, v) => a + v, 0));
    [...got.data].forEach((v, b) => expect(v).toBeCloseTo(want[b], 5));
  });

  it('closes over tensors of the enclosing function (shared by every example)', () => {
    const xs = d.f32([4, 3]);
    const w = d.f32([3]);
    const [got] = run((x, w) => ax.vmap((x: Tensor) => x.mul(w).sum())(x) as Tensor, xs, w);
    expectClose(got, oneAtATime((x, w) => x.mul(w).sum(), [xs, w], [0, null])[0], 1e-12);
  });
});

describe('ax.vmap: composition', () => {
  it('vmap of vmap maps two axes (the inner one given as axis 1 of each outer example)', () => {
    const xs = d.f32([2, 3, 4]);
    const inner = (v: Tensor) => v.sub(v.mean()).pow(2);
    const [got] = run((x) => ax.vmap(ax.vmap(inner, 1, 0), 0, 2)(x) as Tensor, xs);
    expect([...got.shape]).toEqual([4, 3, 2]);
    for (let i = 0; i < 2; i++)
      for (let k = 0; k < 4; k++) {
        const v = [0, 1, 2].map((j) => xs.data[i * 12 + j * 4 + k]);
        const mean = (v[0] + v[1] + v[2]) / 3;
        v.forEach((x, j) => expect(got.data[k * 6 + j * 2 + i]).toBeCloseTo((x - mean) ** 2, 12));
      }
  });

  it('a loop whose state starts shared becomes batched (the init is broadcast)', () => {
    const xs = d.f32([5, 3]);
    const w = d.f32([3, 3], -0.5, 0.5);
    const relax = (x: Tensor, w: Tensor) => ax.loop(6, (s: Tensor) => ax.tanh(ax.matmul(s, w).add(x)), ax.zeros([3]));
    const [got] = run((x, w) => ax.vmap(relax, [0, null])(x, w) as Tensor, xs, w);
    expectClose(got, oneAtATime(relax, [xs, w], [0, null])[0], 1e-12);
  });

  it('one random stream per mapped key, each what the key draws alone', () => {
    const keys = hostTensor('u32', [3, 2], [1, 2, 3, 4, 0xffffffff, 7]);
    const draw3 = (k: Tensor) => ax.random.uniform(k, [4]);
    const [got] = run((k) => ax.vmap(draw3)(k) as Tensor, keys);
    expectClose(got, oneAtATime(draw3, [keys], [0])[0], 0);
  });

  it('works with a symbolic number of examples: one graph for every N', () => {
    const f = (x: Tensor, w: Tensor) => ax.vmap(layer, [0, null])(x, w);
    const graph = ax.trace(f, ax.spec('f32', ['N', 3]), ax.spec('f32', [3, 2]));
    expect(graph.outputs.map((v) => v.type.shape)).toEqual([['N', 2], ['N']]);
    const w = d.f32([3, 2]);
    for (const n of [1, 6]) {
      const xs = d.f32([n, 3]);
      const got = evaluate(graph, [xs, w]);
      oneAtATime((x, w) => layer(x, w), [xs, w], [0, null]).forEach((want, k) => expectClose(got[k], want, 1e-12));
    }
  });
});

describe('ax.vmap: errors', () => {
  const trace = (fn: (...xs: Tensor[]) => unknown, ...args: HostTensor[]) => () => ax.trace(fn as never, ...args);

  it('batched arguments must agree on the number of examples (a ShapeError naming them)', () => {
    const f = (x: Tensor, y: Tensor) => ax.vmap((a: Tensor, b: Tensor) => a.add(b), [0, 1])(x, y);
    expect(trace(f, d.f32([5, 2]), d.f32([2, 4]))).toThrowError(ax.ShapeError);
    expect(trace(f, d.f32([5, 2]), d.f32([2, 4]))).toThrowError(/a has 5 along axis 0, b has 4 along axis 1/);
  });

  it('needs at least one mapped argument, an axis the argument has, and one inAxes entry per argument', () => {
    const id = (a: Tensor) => a.add(1);
    expect(trace((x) => ax.vmap(id, null)(x), d.f32([3]))).toThrowError(/no argument is mapped/);
    expect(trace((x) => ax.vmap(id, 2)(x), d.f32([3, 2]))).toThrowError(ax.ShapeError);
    expect(trace((x) => ax.vmap(id, 2)(x), d.f32([3, 2]))).toThrowError(/argument a has no axis 2 to map over \(rank 2\)/);
    expect(trace((x) => ax.vmap(id, [0, 0])(x), d.f32([3]))).toThrowError(/inAxes has 2 entries for 1 argument/);
    expect(trace((x) => ax.vmap(id, [{ w: 0 }])(x), d.f32([3]))).toThrowError(/inAxes gives an object with keys \{w\} for a, which is an array/);
  });

  it('outAxes must be an axis of the batched result', () => {
    const f = (x: Tensor) => ax.vmap((a: Tensor) => [a, a.sum()], 0, 1)(x);
    expect(trace(f, d.f32([4, 3]))).toThrowError(/outAxes puts the examples of result\[1\] at axis 1, out of range for a batched result of rank 1/);
  });

  it('a result that depends on the mapped arguments cannot be given outAxes null', () => {
    expect(trace((x) => ax.vmap((a: Tensor) => a.add(1), 0, null)(x), d.f32([3]))).toThrowError(/result depends on the mapped arguments, but outAxes gives it null/);
  });

  it('vmap(grad(sin)) on [5,1] fails: grad sees one example of shape [1], not a scalar', () => {
    const f = (x: Tensor) => ax.vmap(ax.grad(ax.sin))(x);
    expect(trace(f, d.f32([5, 1]))).toThrowError(ax.ShapeError);
    expect(trace(f, d.f32([5, 1]))).toThrowError(/must return an f32 scalar, got f32\[1\]/);
  });
});

