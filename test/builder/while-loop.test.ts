import { describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { evalAll, ht, randomTensor } from './helpers.ts';

type T = ax.Tensor;
const spec = (...shape: number[]) => ax.spec('f32', shape);

function fdGrad(g: Graph, inputs: readonly HostTensor[], k: number, eps = 1e-6): number[] {
  return Array.from(inputs[k].data, (_, i) => {
    const at = (d: number) => {
      const xs = inputs.map((t) => hostTensor(t.dtype, t.shape, t.data));
      xs[k].data[i] += d;
      return evaluate(g, xs)[0].data[0];
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('ax.whileLoop', () => {
  const doubling = (x0: T, limit: T) =>
    ax.whileLoop((s: { x: T; k: T }) => s.x.sum().lt(limit), (s) => ({ x: s.x.mul(2).add(1), k: s.k.add(1) }), { x: x0, k: ax.zeros([], 'i32') }, { maxTrips: 50 });

  it('returns the first state whose cond is false, as a JS while loop does', () => {
    for (const limit of [-1, 0.26, 20, 1e6]) {
      const [x, k] = evalAll((a, l) => {
        const s = doubling(a, l);
        return [s.x, s.k];
      }, ht([2], [0.5, -0.25]), ht([], [limit]));
      let xs = [0.5, -0.25];
      let n = 0;
      while (n < 50 && xs[0] + xs[1] < limit) {
        xs = xs.map((v) => 2 * v + 1);
        n++;
      }
      expect([...x.data], `limit ${limit}`).toEqual(xs);
      expect(k.data[0], `limit ${limit}`).toBe(n);
    }
  });

  it('closes over tensors in cond and body, and accepts a numeric cond (≠ 0)', () => {
    const g = ax.trace((x: T, w: T, n: T) => ax.whileLoop((s: T) => n.sub(s.sum()), (s) => s.add(w), x, { maxTrips: 10 }), spec(2), spec(2), spec());
    const node = g.nodes.find((m) => m.op === 'while_loop')!;
    expect(node.inputs.length).toBe(3);
    expect(node.attrs).toEqual({ max_trips: 10, check_every: 10, carried: 1 });
    // Σs: 0, 2, 4, 6: stops where n − Σs = 0.
    expect([...evaluate(g, [ht([2], [0, 0]), ht([2], [1, 1]), ht([], [6])])[0].data]).toEqual([3, 3]);
  });

  it('refuses what does not fit, saying what to change', () => {
    const body = (s: T) => s.add(1);
    expect(() => ax.trace((x: T) => ax.whileLoop((s: T) => s.gt(0), body, x, { maxTrips: 3 }), spec(2))).toThrow(/cond must return a scalar .* got bool\[2\]/);
    expect(() => ax.trace((x: T) => ax.whileLoop((s: T) => s.sum().gt(0), (s) => s.sum(), x, { maxTrips: 3 }), spec(2))).toThrow(
      /the body returns f32\[\] for state, but the state is f32\[2\]/,
    );
    expect(() => ax.trace((x: T) => ax.whileLoop((s: T) => s.sum().gt(0), body, x, { maxTrips: -1 }), spec(2))).toThrow(/maxTrips must be a non-negative integer/);
    expect(() => ax.trace((x: T) => ax.whileLoop((s: T) => s.sum().gt(0), body, x, { maxTrips: 3, checkEvery: 0 }), spec(2))).toThrow(/checkEvery must be a positive integer/);
  });

  it('differentiates the trips it took (against central differences)', () => {
    const loss = (x0: T, c: T) => ax.whileLoop((s: T) => ax.abs(s).sum().lt(4), (s) => ax.tanh(s.mul(c)).add(s.mul(1.6)), x0, { maxTrips: 20 }).square().sum();
    const inputs = [ht([3], [0.3, -0.2, 0.25]), ht([3], [0.5, 1, -0.7])];
    const lossGraph = ax.trace(loss, ...inputs);
    const grads = evalAll((a, b) => ax.grad(loss, { argnums: [0, 1] })(a, b), ...inputs);
    grads.forEach((g, k) => expect(maxAbsDiff(g.data, fdGrad(lossGraph, inputs, k)), `input ${k}`).toBeLessThan(1e-7));
  });

  it('under vmap stops each example at its own trip', () => {
    const run = (x0: T) => doubling(x0, ax.full([], 10));
    const xs = ht([4, 2], [0.5, -0.25, 3, 3, -9, 0, 100, 1]);
    const [xb, kb] = evalAll((a) => {
      const s = ax.vmap(run)(a) as unknown as { x: T; k: T };
      return [s.x, s.k];
    }, xs);
    for (let e = 0; e < 4; e++) {
      const [x, k] = evalAll((a) => {
        const s = run(a);
        return [s.x, s.k];
      }, ht([2], xs.data.slice(2 * e, 2 * e + 2)));
      expect([...xb.data.slice(2 * e, 2 * e + 2)]).toEqual([...x.data]);
      expect(kb.data[e]).toBe(k.data[0]);
    }
    expect(new Set(kb.data).size, 'the examples stop at different trips').toBeGreaterThan(2);
  });
});

describe('ax.loop with a tolerance', () => {
  const newton = (a: T, tol: number) => ax.loop(100, (x: T) => x.add(a.div(x)).mul(0.5), a, { tol });

  it('returns the state after the first trip whose residual max|after − before| is under tol', () => {
    const a = [2, 9, 0.25];
    const [x] = evalAll((v) => newton(v, 1e-3), ht([3], a));
    // The same iteration in JS, stopping by the same rule.
    let s = [...a];
    for (let k = 0; k < 100; k++) {
      const next = s.map((v, i) => 0.5 * (v + a[i] / v));
      const change = Math.max(...next.map((v, i) => Math.abs(v - s[i])));
      s = next;
      if (change < 1e-3) break;
    }
    expect([...x.data]).toEqual(s);
    expect(maxAbsDiff(x.data, a.map(Math.sqrt))).toBeLessThan(1e-6);
  });

  it('takes a residual of its own and the trip index, and stops at the bound otherwise', () => {
    const [count] = evalAll(
      (x) => ax.loop(7, (s: { v: T; n: T }, i: T) => ({ v: s.v.add(i.astype('f32')), n: s.n.add(1) }), { v: x, n: ax.zeros([]) }, {
        tol: 0.5,
        residual: (before, after) => after.v.sub(before.v).sum().sub(3).abs(),
      }).n,
      ht([], [0]),
    );
    // Trip k (from 0) adds k: the residual |k − 3| falls under 0.5 at the fourth trip.
    expect(count.data[0]).toBe(4);
    const [bounded] = evalAll((x) => ax.loop(5, (s: T) => s.add(1), x, { tol: 0 }), ht([], [0]));
    expect(bounded.data[0]).toBe(5);
  });

  it('refuses a bad tol and a state with nothing to measure', () => {
    expect(() => ax.trace((x: T) => ax.loop(3, (s: T) => s, x, { tol: -1 }), spec(2))).toThrow(/options.tol must be a number >= 0/);
    expect(() => ax.trace(() => ax.loop(3, (s: T) => s.add(1), ax.zeros([], 'i32'), { tol: 1 }))).toThrow(/no f32 arrays .* give options.residual/);
  });

  it('still runs a fixed loop without options', () => {
    expect([...evalAll((x) => ax.loop(3, (s: T) => s.mul(2), x), randomTensor(1, [2]))[0].shape]).toEqual([2]);
  });
});
