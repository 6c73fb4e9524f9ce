import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { walkNodes } from '../../src/ir/index.ts';
import { evalAll, randomValues, ht } from './helpers.ts';

describe('ax.loop', () => {
  it('iterates the body and matches a plain JS recurrence', () => {
    // s <- s * a + b, 6 times, elementwise: closed form computed in JS.
    const s0 = ht([3], [1, -2, 0.5]);
    const a = ht([3], [0.5, 1.5, -1]);
    const b = ht([3], [1, 0, 2]);
    const [out] = evalAll((s, a_, b_) => ax.loop(6, (st: ax.Tensor) => st.mul(a_).add(b_), s), s0, a, b);
    const expected = [0, 1, 2].map((i) => {
      let v = s0.data[i];
      for (let t = 0; t < 6; t++) v = v * a.data[i] + b.data[i];
      return v;
    });
    expect(Array.from(out.data)).toEqual(expected);
  });

  it('closes over outer tensors as loop-invariant operands', () => {
    const g = ax.trace((s: ax.Tensor, w: ax.Tensor) => ax.loop(3, (st: ax.Tensor) => st.matmul(w), s), ax.spec('f32', [1, 2]), ax.spec('f32', [2, 2]));
    const loopNode = g.nodes.find((n) => n.op === 'loop')!;
    expect(loopNode.inputs.length).toBe(2);
    expect(loopNode.regions[0].inputs.length).toBe(2);
    const [out] = evalAll((s, w) => ax.loop(3, (st: ax.Tensor) => st.matmul(w), s), ht([1, 2], [1, 2]), ht([2, 2], [0, 1, 1, 0]));
    expect(Array.from(out.data)).toEqual([2, 1]); // three swaps of the two entries
  });

  it('passes the iteration index when the body takes a second parameter', () => {
    const [out] = evalAll((s) => ax.loop(5, (st: ax.Tensor, i: ax.Tensor) => st.add(i.astype('f32')), s), ht([], [0]));
    expect(out.data[0]).toBe(0 + 1 + 2 + 3 + 4);
    const [fori] = evalAll((s) => ax.foriLoop(2, 5, (i, st: ax.Tensor) => st.add(i.astype('f32').square()), s), ht([], [0]));
    expect(fori.data[0]).toBe(4 + 9 + 16);
  });

  it('carries a tree of state and supports nested loops closing over the outermost trace', () => {
    const x = randomValues(3, 4);
    const [m, c] = evalAll(
      (v, k) => {
        const r = ax.loop(2, (st: { m: ax.Tensor; c: ax.Tensor }) => ({
          m: ax.loop(3, (inner: ax.Tensor) => inner.add(k), st.m),
          c: st.c.add(1),
        }), { m: v, c: ax.zeros([], 'f32') });
        return [r.m, r.c];
      },
      ht([4], x),
      ht([], [0.25]),
    );
    expect(Array.from(m.data)).toEqual(x.map((v) => v + 6 * 0.25));
    expect(c.data[0]).toBe(2);
  });

  it('differentiates as a scan: the gradient graph does not grow with the trips, and the loop is not run twice', () => {
    const f = (trips: number) => (s: ax.Tensor, w: ax.Tensor) => ax.loop(trips, (x: ax.Tensor) => ax.tanh(x.matmul(w)), s).sum();
    const graphOf = (trips: number) =>
      ax.simplify(ax.trace(ax.valueAndGrad(f(trips), { argnums: [0, 1] }), ax.spec('f32', [3]), ax.spec('f32', [3, 3])), { afterAutodiff: true });
    const count = (trips: number) => [...walkNodes(graphOf(trips))].length;
    expect(count(200)).toBe(count(10));
    // The forward loop merged with the scan that saves its states; a reverse scan for the VJP.
    expect(graphOf(200).nodes.filter((n) => n.op === 'loop' || n.op === 'scan').map((n) => n.op)).toEqual(['scan', 'scan']);
    const x = ht([3], randomValues(4, 3));
    const w = ht([3, 3], randomValues(5, 9));
    const [value, gs, gw] = evalAll((a, b) => {
      const [v, [g1, g2]] = ax.valueAndGrad(f(6), { argnums: [0, 1] })(a, b) as [ax.Tensor, ax.Tensor[]];
      return [v, g1, g2];
    }, x, w);
    const unrolled = (a: ax.Tensor, b: ax.Tensor) => {
      let s = a;
      for (let t = 0; t < 6; t++) s = ax.tanh(s.matmul(b));
      return s.sum();
    };
    const [v2, gs2, gw2] = evalAll((a, b) => {
      const [v, [g1, g2]] = ax.valueAndGrad(unrolled, { argnums: [0, 1] })(a, b) as [ax.Tensor, ax.Tensor[]];
      return [v, g1, g2];
    }, x, w);
    expect(value.data[0]).toBeCloseTo(v2.data[0], 12);
    [gs, gw].forEach((g, k) => [...g.data].forEach((v, i) => expect(v, `gradient ${k}[${i}]`).toBeCloseTo([gs2, gw2][k].data[i], 12)));
  });

  it('rejects a body that changes the state type', () => {
    expect(() => ax.trace((s: ax.Tensor) => ax.loop(2, (st: ax.Tensor) => st.sum(), s), ax.spec('f32', [3]))).toThrow(ax.ShapeError);
    expect(() => ax.trace((s: ax.Tensor) => ax.loop(2, (st: ax.Tensor) => st.sum(), s), ax.spec('f32', [3]))).toThrow(/returns f32\[\] for state, but the state is f32\[3\]/);
    expect(() => ax.trace((s: ax.Tensor) => ax.loop(-1, (st: ax.Tensor) => st, s), ax.spec('f32', [3]))).toThrow(/non-negative integer/);
  });
});
