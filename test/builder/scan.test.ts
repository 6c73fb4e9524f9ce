import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, walkNodes, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { evalAll, ht, randomTensor } from './helpers.ts';

type T = ax.Tensor;

/** Central differences of the scalar graph output 0 with respect to every element of input k, in float64. */
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

describe('ax.scan', () => {
  it('runs a tree-valued carry over tree-valued xs and stacks a tree of ys, as a JS loop does', () => {
    const h0 = ht([2], [0.5, -1]);
    const a = randomTensor(1, [4, 2]);
    const b = randomTensor(2, [4]);
    const [h, n, twice, total] = evalAll(
      (h0_, a_, b_) => {
        const [carry, ys] = ax.scan(
          (c: { h: T; n: T }, x: { a: T; b: T }) => {
            const next = c.h.mul(0.5).add(x.a).add(x.b);
            return [{ h: next, n: c.n.add(1) }, { twice: next.mul(2), total: next.sum() }] as const;
          },
          { h: h0_, n: ax.zeros([], 'i32') },
          { a: a_, b: b_ },
        );
        return [carry.h, carry.n, ys.twice, ys.total];
      },
      h0, a, b,
    );
    let c = [...h0.data];
    const twiceRef: number[] = [];
    const totalRef: number[] = [];
    for (let t = 0; t < 4; t++) {
      c = c.map((v, i) => v * 0.5 + a.data[t * 2 + i] + b.data[t]);
      twiceRef.push(...c.map((v) => 2 * v));
      totalRef.push(c[0] + c[1]);
    }
    expect(maxAbsDiff(h.data, c)).toBeLessThan(1e-12);
    expect([...n.shape, n.dtype, n.data[0]]).toEqual(['i32', 4]);
    expect([...twice.shape]).toEqual([4, 2]);
    expect(maxAbsDiff(twice.data, twiceRef)).toBeLessThan(1e-12);
    expect(maxAbsDiff(total.data, totalRef)).toBeLessThan(1e-12);
  });

  it('runs backwards with reverse, writing each y at its own index', () => {
    const xs = ht([3], [1, 10, 100]);
    const [last, partial] = evalAll((x) => ax.scan((c: T, xt: T) => [c.add(xt), c.add(xt)] as const, ax.zeros([]), x, { reverse: true }), xs);
    expect(last.data[0]).toBe(111);
    expect([...partial.data]).toEqual([111, 110, 100]);
  });

  it('takes its length from options when xs is null, and closes over outer tensors as constants', () => {
    const g = ax.trace((w: T) => ax.scan((c: T) => [c.mul(w), c] as const, ax.ones([2]), null, { length: 3 }), ax.spec('f32', [2]));
    const node = g.nodes.find((n) => n.op === 'scan')!;
    expect(node.attrs).toEqual({ length: 3, carried: 1, scanned: 0, reverse: false });
    expect(node.inputs.length).toBe(2);
    const [c, ys] = evaluate(g, [ht([2], [2, -1])]);
    expect([...c.data]).toEqual([8, -1]);
    expect([...ys.data]).toEqual([1, 1, 2, -1, 4, 1]);
  });

  it('allows an empty carry (a map over the slices) and null ys', () => {
    const [squares] = evalAll((x) => ax.scan((_c: null, xt: T) => [null, xt.square()] as const, null, x)[1], ht([3], [1, -2, 3]));
    expect([...squares.data]).toEqual([1, 4, 9]);
    const g = ax.trace((x: T) => ax.scan((c: T, xt: T) => [c.add(xt), null] as const, ax.zeros([]), x), ax.spec('f32', [3]));
    expect(g.outputs.length).toBe(1);
  });

  it('refuses inputs that do not fit, saying what to change', () => {
    const f32 = (...shape: number[]) => ax.spec('f32', shape);
    const step = (c: T, x: T) => [c.add(x.sum()), x] as const;
    expect(() => ax.trace((a: T, b: T) => ax.scan((c: T, [x]: T[]) => step(c, x), ax.zeros([]), [a, b]), f32(3, 2), f32(4, 2))).toThrow(
      /xs\[1\] is f32\[4,2\], but the scan has length 3 \(from xs\[0\]\): every array of xs needs that leading axis/,
    );
    expect(() => ax.trace((a: T) => ax.scan(step, ax.zeros([]), a, { length: 5 }), f32(3, 2))).toThrow(/but the scan has length 5/);
    expect(() => ax.trace(() => ax.scan((c: T) => [c, null] as const, ax.zeros([]), null))).toThrow(/give the number of steps as options.length/);
    expect(() => ax.trace((a: T) => ax.scan(step, ax.zeros([]), a), f32())).toThrow(/xs is a scalar; every array of xs needs a leading axis/);
    expect(() => ax.trace((a: T) => ax.scan(step, ax.zeros([]), a), ax.spec('f32', ['N', 2]))).toThrow(/must be a size, not the symbolic dim N/);
    expect(() => ax.trace((a: T) => ax.scan((c: T, x: T) => [x, x] as const, ax.zeros([]), a), f32(3, 2))).toThrow(
      /the step returns f32\[2\] for carry, but the carry is f32\[\]/,
    );
    expect(() => ax.trace((a: T) => ax.scan(((c: T) => c) as never, ax.zeros([]), a), f32(3, 2))).toThrow(/must return \[carry, y\]/);
    expect(() => ax.trace((a: T) => ax.scan(((c: { p: T }) => [[c.p], null]) as never, { p: ax.zeros([]) }, a), f32(3, 2))).toThrow(
      /a carry with the structure of the initial carry \(carry.p\)/,
    );
  });

  it('differentiates through the carry, the stacked ys, the xs and the constants (against central differences)', () => {
    const loss = (h0: T, w: T, xs: T) => {
      const [h, hs] = ax.scan((c: T, x: T) => {
        const n = ax.tanh(c.matmul(w).add(x));
        return [n, n.mul(x)] as const;
      }, h0, xs);
      return h.square().sum().add(hs.sum());
    };
    const inputs = [randomTensor(3, [3]), randomTensor(4, [3, 3]), randomTensor(5, [6, 3])];
    const lossGraph = ax.trace(loss, ...inputs);
    const grads = evalAll((h0, w, xs) => ax.grad(loss, { argnums: [0, 1, 2] })(h0, w, xs), ...inputs);
    grads.forEach((g, k) => expect(maxAbsDiff(g.data, fdGrad(lossGraph, inputs, k)), `input ${k}`).toBeLessThan(1e-8));
    // And grad of grad: the Hessian-vector product along v against differences of the gradient.
    const v = randomTensor(6, [3, 3]);
    const hvpGraph = ax.trace((h0: T, w: T, xs: T, vv: T) => ax.grad((ww: T) => ax.grad(loss, { argnums: 1 })(h0, ww, xs).mul(vv).sum())(w), ...inputs, v);
    const [hv] = evaluate(hvpGraph, [...inputs, v]);
    const dirGraph = ax.trace((h0: T, w: T, xs: T, vv: T) => ax.grad(loss, { argnums: 1 })(h0, w, xs).mul(vv).sum(), ...inputs, v);
    expect(maxAbsDiff(hv.data, fdGrad(dirGraph, [...inputs, v], 1))).toBeLessThan(1e-7);
  });

  it('is batched by vmap: per-example scans equal the batched one', () => {
    const run = (h0: T, xs: T) => ax.scan((c: T, x: T) => [ax.tanh(c.add(x)), c.mul(x)] as const, h0, xs);
    const h0 = randomTensor(7, [5, 2]);
    const xs = randomTensor(8, [5, 3, 2]);
    const [hb, ysb] = evalAll((a, b) => ax.vmap(run)(a, b) as unknown as ax.Tree<T>, h0, xs);
    expect([...ysb.shape]).toEqual([5, 3, 2]);
    for (let e = 0; e < 5; e++) {
      const [h, ys] = evalAll(run as never, ht([2], h0.data.slice(e * 2, e * 2 + 2)), ht([3, 2], xs.data.slice(e * 6, e * 6 + 6)));
      expect(maxAbsDiff(hb.data.slice(e * 2, e * 2 + 2), h.data)).toBe(0);
      expect(maxAbsDiff(ysb.data.slice(e * 6, e * 6 + 6), ys.data)).toBe(0);
    }
  });
});

describe('backpropagation through time with ax.scan', () => {
  /** valueAndGrad of a recurrent net's loss over `steps` steps, traced and simplified as the compiler runs it. */
  function bptt(steps: number): Graph {
    const loss = (p: { w: T; u: T }, h0: T, xs: T) => {
      const [h, hs] = ax.scan((c: T, x: T) => {
        const n = ax.tanh(c.matmul(p.w).add(x.matmul(p.u)));
        return [n, n.sum()] as const;
      }, h0, xs);
      return h.square().mean().add(hs.mean());
    };
    const spec = (...shape: number[]) => ax.spec('f32', shape);
    return ax.simplify(ax.trace(ax.valueAndGrad(loss), { w: spec(8, 8), u: spec(4, 8) }, spec(2, 8), spec(steps, 2, 4)), { afterAutodiff: true });
  }
  const count = (g: Graph) => [...walkNodes(g)].length;

  it('compiles 10 and 1,000 steps to graphs and programs of the same size (no unrolling)', () => {
    const [short, long] = [bptt(10), bptt(1000)];
    expect(count(long)).toBe(count(short));
    const scans = long.nodes.filter((n) => n.op === 'scan');
    // One forward scan (the loss's and the saved states', merged) and one reverse scan.
    expect(scans.map((n) => [n.attrs, n.outputs.length])).toEqual([
      [{ length: 1000, carried: 1, scanned: 1, reverse: false }, 3],
      [expect.objectContaining({ length: 1000, reverse: true }), 3],
    ]);
    const [p10, p1000] = [compileProgram(short), compileProgram(long)];
    // (The reductions over the stacked sums outside the scans read 1,000 values instead of 10.)
    expect(p1000.kernels.length).toBe(p10.kernels.length);
    expect(p1000.buffers.length).toBe(p10.buffers.length);
    // The same steps; only the trip counts differ.
    expect(JSON.stringify(p1000.steps).replaceAll('"trips":1000', '"trips":10')).toBe(JSON.stringify(p10.steps));
  });

  it('matches the gradient of the same recurrence unrolled by hand', () => {
    const steps = 7;
    const inputs = [randomTensor(9, [8, 8], -0.5, 0.5), randomTensor(10, [4, 8]), randomTensor(11, [2, 8]), randomTensor(12, [steps, 2, 4])];
    const cell = (c: T, x: T, w: T, u: T) => ax.tanh(c.matmul(w).add(x.matmul(u)));
    const viaScan = (w: T, u: T, h0: T, xs: T) => {
      const [h, hs] = ax.scan((c: T, x: T) => [cell(c, x, w, u), cell(c, x, w, u).sum()] as const, h0, xs);
      return h.square().mean().add(hs.mean());
    };
    const unrolled = (w: T, u: T, h0: T, xs: T) => {
      let h = h0;
      const sums: T[] = [];
      for (let t = 0; t < steps; t++) {
        h = cell(h, xs.index(t), w, u);
        sums.push(h.sum());
      }
      return h.square().mean().add(ax.stack(sums).mean());
    };
    const grads = (f: typeof viaScan) => evalAll((w, u, h0, xs) => ax.grad(f, { argnums: [0, 1, 2, 3] })(w, u, h0, xs), ...inputs);
    grads(viaScan).forEach((g, k) => expect(maxAbsDiff(g.data, grads(unrolled)[k].data), `input ${k}`).toBeLessThan(1e-12));
  });
});
