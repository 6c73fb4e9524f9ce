import { describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { f32, gradByFd, rng } from './fd.ts';
import { run, run1 } from './run.ts';
import { mixedLoss } from './mixed-loss.ts';

/** The transforms' API: argnums, hasAux, nesting with closures, value first, trees, typed errors. */
const scalar = (v: number) => f32([], [v]);
const values = (t: { data: Float64Array }) => [...t.data];
const close = (xs: readonly number[]) => xs.map((x) => expect.closeTo(x, 12));

describe('grad and valueAndGrad', () => {
  const r = rng(21);
  const [a, b, c] = [r.tensor([3]), r.tensor([3]), r.tensor([2, 2])];
  const f = (x: ax.Tensor, y: ax.Tensor, z: ax.Tensor) => ax.sum(x.mul(y)).add(ax.sum(z.mul(z)));

  test('argnums as a number picks one argument; as an array gives a tuple in that order', () => {
    expect(values(run1((x, y, z) => ax.grad(f, { argnums: 1 })(x, y, z) as ax.Tensor, a, b, c))).toEqual(close([...a.data]));
    const [gz, gx] = run((x, y, z) => ax.grad(f, { argnums: [2, 0] })(x, y, z), a, b, c);
    expect(values(gz)).toEqual(close([...c.data].map((v) => 2 * v)));
    expect(values(gx)).toEqual(close([...b.data]));
  });

  test('SEMANTICS 4.6 d: grad(½‖x‖²)(x) = x, and valueAndGrad returns the value first', () => {
    const half = (x: ax.Tensor) => ax.sum(x.mul(x)).mul(0.5);
    expect(values(run1((x) => ax.grad(half)(x) as ax.Tensor, a))).toEqual(close([...a.data]));
    const [value, grad] = run((x) => ax.valueAndGrad(half)(x), a);
    expect(value.shape).toEqual([]);
    expect(value.data[0]).toBeCloseTo(0.5 * [...a.data].reduce((s, v) => s + v * v, 0), 14);
    expect(values(grad)).toEqual(close([...a.data]));
  });

  test('hasAux: the aux result passes through undifferentiated', () => {
    const withAux = (x: ax.Tensor) => [ax.sum(ax.sin(x)), { twice: x.mul(2), n: ax.argmax(x) }];
    const [g, aux2, n] = run((x) => ax.grad(withAux, { hasAux: true })(x), a);
    expect(values(g)).toEqual(close([...a.data].map(Math.cos)));
    expect(values(aux2)).toEqual(close([...a.data].map((v) => 2 * v)));
    expect(n.dtype).toBe('i32');
    const [value, aux2b, , g2] = run((x) => ax.valueAndGrad(withAux, { hasAux: true })(x), a);
    expect(value.data[0]).toBeCloseTo([...a.data].reduce((s, v) => s + Math.sin(v), 0), 14);
    expect(values(aux2b)).toEqual(values(aux2));
    expect(values(g2)).toEqual(values(g));
  });

  test('trees of arguments give gradients of the same structure; unused leaves get zeros', () => {
    const loss = (p: { w: ax.Tensor; unused: ax.Tensor; bs: ax.Tensor[] }) => ax.sum(p.w.mul(p.bs[0]));
    const [gw, gUnused, gb] = run((w, u, bb) => ax.grad(loss)({ w, unused: u, bs: [bb] }), a, c, b);
    expect(values(gw)).toEqual(close([...b.data]));
    expect(values(gUnused)).toEqual([0, 0, 0, 0]);
    expect(values(gb)).toEqual(close([...a.data]));
  });
});

describe('nested transforms and closures', () => {
  test('d/dx of grad_y(x·y²) = 2y: the inner function closes over the outer variable', () => {
    const inner = (x: ax.Tensor, y: ax.Tensor) => ax.grad((yy: ax.Tensor) => x.mul(yy.mul(yy)))(y) as ax.Tensor;
    expect(run1((x, y) => inner(x, y), scalar(2), scalar(3)).data[0]).toBeCloseTo(12, 14);
    expect(run1((x, y) => ax.grad((xx: ax.Tensor) => inner(xx, y))(x) as ax.Tensor, scalar(2), scalar(3)).data[0]).toBeCloseTo(6, 14);
    // The mixed partial the other way round: d/dy of grad_x(x·y²) = 2y too.
    const other = (x: ax.Tensor, y: ax.Tensor) =>
      ax.grad((yy: ax.Tensor) => ax.grad((xx: ax.Tensor) => xx.mul(yy.mul(yy)))(x) as ax.Tensor)(y) as ax.Tensor;
    expect(run1(other, scalar(2), scalar(3)).data[0]).toBeCloseTo(6, 14);
  });

  test('no perturbation confusion: d/dx [x · d/dy (x + y)] = 1', () => {
    const f = (x: ax.Tensor) => x.mul(ax.grad((y: ax.Tensor) => x.add(y))(1) as ax.Tensor);
    expect(run1((x) => ax.grad(f)(x) as ax.Tensor, scalar(2)).data[0]).toBe(1);
  });

  test('a closed-over outer tensor is a constant of the inner grad', () => {
    const w = rng(22).tensor([3]);
    const x = rng(23).tensor([3]);
    const g = run1((xx, ww) => ax.grad((y: ax.Tensor) => ax.sum(y.mul(ww).mul(y)))(xx) as ax.Tensor, x, w);
    expect(values(g)).toEqual(close([...x.data].map((v, i) => 2 * v * w.data[i])));
  });
});

describe('ax.vjp and ax.jvp', () => {
  test('vjp of a function with tree-structured outputs', () => {
    const r = rng(24);
    const [x, y, ca, cb0] = [r.tensor([3]), r.tensor([3]), r.tensor([3]), r.tensor([3])];
    const cb1 = 0.7;
    const f = (p: ax.Tensor, q: ax.Tensor) => ({ a: p.mul(q), b: [ax.sin(p), ax.sum(q)] });
    const [xbar, ybar] = run((p, q, u, v0) => {
      const [out, back] = ax.vjp(f, p, q);
      expect(Object.keys(out as object)).toEqual(['a', 'b']);
      return back({ a: u, b: [v0, cb1] });
    }, x, y, ca, cb0);
    expect(values(xbar)).toEqual(close([...x.data].map((v, i) => ca.data[i] * y.data[i] + cb0.data[i] * Math.cos(v))));
    expect(values(ybar)).toEqual(close([...y.data].map((_, i) => ca.data[i] * x.data[i] + cb1)));
  });

  test('jvp of a function with an integer output gives that output a zero tangent', () => {
    const x = f32([3], [0.5, 2, -1]);
    const t = f32([3], [1, -2, 3]);
    const [s, k, ts, tk] = run((p, q) => ax.jvp((y: ax.Tensor) => [ax.sin(y), ax.argmax(y)], [p], [q]), x, t);
    expect(values(s)).toEqual(close([...x.data].map(Math.sin)));
    expect(values(k)).toEqual([1]);
    expect(values(ts)).toEqual(close([...x.data].map((v, i) => Math.cos(v) * t.data[i])));
    expect([tk.dtype, values(tk)]).toEqual(['i32', [0]]);
  });
});

describe('typed errors', () => {
  test('grad of a non-scalar function throws a ShapeError naming the shape', () => {
    const call = () => run((x) => ax.grad((y: ax.Tensor) => ax.sin(y))(x), f32([3], [1, 2, 3]));
    expect(call).toThrow(ax.ShapeError);
    expect(call).toThrow(/f32\[3\]/);
  });

  test('grad with respect to an i32 argument throws a ShapeError naming the dtype', () => {
    const f = (x: ax.Tensor, n: ax.Tensor) => ax.sum(x).mul(n.astype('f32'));
    const call = () => run((x, n) => ax.grad(f, { argnums: 1 })(x, n), f32([2], [1, 2]), hostTensor('i32', [], [3]));
    expect(call).toThrow(ax.ShapeError);
    expect(call).toThrow(/i32/);
  });
});

describe('symbolic dims', () => {
  test('a gradient traced for x: f32[N,4] equals the one traced at each concrete N, and finite differences', () => {
    const vg = (w: ax.Tensor, x: ax.Tensor) => ax.valueAndGrad(mixedLoss, { argnums: [0, 1] })(w, x);
    const symbolic = ax.trace(vg, ax.spec('f32', [4, 3]), ax.spec('f32', ['N', 4]));
    const w = rng(25).tensor([4, 3]);
    for (const n of [2, 3]) {
      const x = rng(26 + n).tensor([n, 4]);
      const concrete = evaluate(ax.trace(vg, w, x), [w, x]);
      evaluate(symbolic, [w, x]).forEach((t, i) => expect(values(t), `output ${i}, N = ${n}`).toEqual(values(concrete[i])));
      const fd = gradByFd(ax.trace(mixedLoss, w, x), [w, x]);
      fd.forEach((t, i) => expect(maxRelError(concrete[i + 1].data, t.data), `gradient ${i}, N = ${n}`).toBeLessThanOrEqual(1e-6));
    }
  });
});
