import { describe, expect, test } from 'vitest';
import { vjpGraph } from '../../passes/autodiff.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, parseGraph, printGraph, verifyGraph, walkNodes, type Graph } from '../../src/ir/index.ts';
import { f32, floatInputs, rng, weightedLoss } from './fd.ts';
import { casesOf, instantiate } from './op-table.ts';
import { run, run1 } from './run.ts';

/** ax.customVjp: the gradient is the user's backward rule, at every order. */
const values = (t: { data: Float64Array }) => [...t.data];
const close = (xs: readonly number[]) => xs.map((x) => expect.closeTo(x, 12));
const r = rng(31);
const x = f32([5], [-1.5, -0.2, 0, 0.4, 2]);
const w = r.tensor([5]);

describe('ax.customVjp', () => {
  test('straight-through estimator: value H(x), gradient passes the cotangent through', () => {
    const ste = ax.customVjp((y: ax.Tensor) => y.ge(0).astype('f32'), (_xs, _y, g) => g);
    const [value, grad] = run((y) => ax.valueAndGrad((z: ax.Tensor) => ax.sum(ste(z).mul(w)))(y), x);
    expect(value.data[0]).toBeCloseTo([...x.data].reduce((s, v, i) => s + (v >= 0 ? w.data[i] : 0), 0), 14);
    expect(values(grad)).toEqual(values(w));
  });

  test('sign with the VJP x̄ = ȳ·sign(x)', () => {
    const sign = ax.customVjp((y: ax.Tensor) => ax.sign(y), ([y], _out, g) => g.mul(ax.sign(y)));
    const grad = run1((y) => ax.grad((z: ax.Tensor) => ax.sum(sign(z).mul(w)))(y) as ax.Tensor, x);
    expect(values(grad)).toEqual(close([...x.data].map((v, i) => w.data[i] * Math.sign(v))));
  });

  test('fn and bwd close over an outer tensor: the rule sees its value', () => {
    const k = r.tensor([5]);
    const grad = run1((y, kk) => {
      const scaled = ax.customVjp((z: ax.Tensor) => z.mul(kk), (_xs, _out, g) => g.mul(kk).mul(2));
      return ax.grad((z: ax.Tensor) => ax.sum(scaled(z).mul(w)))(y) as ax.Tensor;
    }, x, k);
    expect(values(grad)).toEqual(close([...w.data].map((v, i) => 2 * v * k.data[i])));
  });

  test('a tensor fn closes over gets its true cotangent; the rule still serves the explicit input', () => {
    const k = r.tensor([5]);
    const [gz, gk] = run(
      (y, kk) =>
        ax.grad(
          (z: ax.Tensor, c: ax.Tensor) => {
            const scaled = ax.customVjp((u: ax.Tensor) => ax.sin(u.mul(c)), (_xs, _out, g) => g.mul(3));
            return ax.sum(scaled(z).mul(w));
          },
          { argnums: [0, 1] },
        )(y, kk),
      x,
      k,
    );
    // z: the rule (3·w); c: d/dc Σ w·sin(z·c) = w·z·cos(z·c), the ordinary derivative of fn.
    expect(values(gz)).toEqual(close([...w.data].map((v) => 3 * v)));
    expect(values(gk)).toEqual(close([...w.data].map((v, i) => v * x.data[i] * Math.cos(x.data[i] * k.data[i]))));
  });

  test('two inputs, a null cotangent is zero', () => {
    const b = r.tensor([5]);
    const prod = ax.customVjp((p: ax.Tensor, q: ax.Tensor) => p.mul(q), ([, q], _out, g) => [g.mul(q), null]);
    const [ga, gb] = run((p, q) => ax.grad((u: ax.Tensor, v: ax.Tensor) => ax.sum(prod(u, v)), { argnums: [0, 1] })(p, q), x, b);
    expect(values(ga)).toEqual(close([...b.data]));
    expect(values(gb)).toEqual([0, 0, 0, 0, 0]);
  });

  test('grad of grad differentiates the backward rule (sin with bwd ȳ·x²: d² = 2x, not −sin x)', () => {
    const fake = ax.customVjp((y: ax.Tensor) => ax.sin(y), ([y], _out, g) => g.mul(y).mul(y));
    for (const v of [-1.2, 0.3, 2]) {
      const at = f32([], [v]);
      expect(run1((y) => ax.grad(fake)(y) as ax.Tensor, at).data[0]).toBeCloseTo(v * v, 14);
      expect(run1((y) => ax.grad(ax.grad(fake))(y) as ax.Tensor, at).data[0]).toBeCloseTo(2 * v, 14);
    }
  });
});

/** print → parse → print is the identity, the parsed graph verifies and computes the same. */
function expectRoundTrip(g: Graph, inputs: ReturnType<typeof f32>[]): void {
  const text = printGraph(g);
  const parsed = parseGraph(text);
  expect(printGraph(parsed)).toBe(text);
  verifyGraph(parsed);
  const before = evaluate(g, inputs);
  evaluate(parsed, inputs).forEach((t, i) => expect(values(t)).toEqual(values(before[i])));
}

describe('printed gradient graphs parse back', () => {
  test('a traced valueAndGrad with a custom_vjp node (both regions)', () => {
    const ste = ax.customVjp((y: ax.Tensor) => ax.tanh(y), ([y], _out, g) => g.mul(ax.cos(y)));
    const g = ax.trace((y: ax.Tensor) => ax.valueAndGrad((z: ax.Tensor) => ax.sum(ste(z).mul(ax.exp(z))))(y), x);
    const node = [...walkNodes(g)].find((n) => n.op === 'custom_vjp');
    expect(node?.regions.map((rg) => rg.name)).toEqual(['fwd', 'bwd']);
    expect(node?.regions[1].nodes.length).toBeGreaterThan(0);
    expectRoundTrip(g, [x]);
  });

  test('vjpGraph of the custom_vjp table row', () => {
    const { xs, graph, ws } = instantiate(casesOf('custom_vjp')[0]);
    const loss = weightedLoss(graph, ws);
    const vg = vjpGraph(loss, floatInputs(loss), [0]);
    expect(printGraph(vg)).toMatch(/custom_vjp[\s\S]*fwd\([\s\S]*bwd\(/);
    expectRoundTrip(vg, [...xs, hostTensor('f32', [], [1])]);
  });
});
