import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { f32, rng } from './fd.ts';
import { fdAlong, run1 } from './run.ts';

/**
 * Second derivatives: grad of grad, and Hessian-vector products jvp(grad f), against closed forms
 * or central differences of a first derivative (analytic, or autodiff's, which vjp-fd.test.ts
 * checks against finite differences), all in float64.
 */
const RTOL = 1e-6;
const scalar = (v: number) => f32([], [v]);
const sumOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
const dotOf = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

/** Hessian-vector product of f at x along v as grad of ⟨grad f, v⟩. */
const hvpByGradOfGrad = (f: (x: ax.Tensor) => ax.Tensor, v: HostTensor) => (x: ax.Tensor) =>
  ax.grad((y: ax.Tensor) => ax.sum((ax.grad(f)(y) as ax.Tensor).mul(v)))(x) as ax.Tensor;

/** Hessian-vector product of f at x along v as the JVP of grad f. */
const hvpByJvp = (f: (x: ax.Tensor) => ax.Tensor, v: HostTensor) => (x: ax.Tensor) =>
  ax.jvp(ax.grad(f), [x], [v])[1] as ax.Tensor;

describe('grad of grad', () => {
  test('tanh: second and third derivatives in closed form', () => {
    for (const x of [-1.5, -0.3, 0.2, 1.1]) {
      const t = Math.tanh(x);
      const d2 = run1((y) => ax.grad(ax.grad(ax.tanh))(y) as ax.Tensor, scalar(x)).data[0];
      const d3 = run1((y) => ax.grad(ax.grad(ax.grad(ax.tanh)))(y) as ax.Tensor, scalar(x)).data[0];
      expect(Math.abs(d2 - -2 * t * (1 - t * t))).toBeLessThan(1e-14);
      expect(Math.abs(d3 - (1 - t * t) * (6 * t * t - 2))).toBeLessThan(1e-14);
    }
  });

  test.each([
    ['ax.softmax', ax.softmax],
    ['ax.nn.softmax', ax.nn.softmax],
  ] as const)('%s: ∇⟨∇f, v⟩ for f = Σ c ⊙ softmax(x) vs finite differences of the analytic gradient', (_name, softmax) => {
    const r = rng(11);
    const [x, c, v] = [r.tensor([2, 5], -2, 2), r.tensor([2, 5]), r.tensor([2, 5])];
    const f = (y: ax.Tensor) => ax.sum(softmax(y, -1).mul(c));
    // ∂f/∂x = s ⊙ (c − ⟨c, s⟩) row by row.
    const analytic = (at: HostTensor): HostTensor => {
      const out = f32(at.shape, at.data);
      for (let row = 0; row < 2; row++) {
        const z = [...at.data.slice(row * 5, row * 5 + 5)];
        const m = Math.max(...z);
        const e = z.map((q) => Math.exp(q - m));
        const s = e.map((q) => q / sumOf(e));
        const cs = dotOf(c.data.slice(row * 5, row * 5 + 5), s);
        s.forEach((si, j) => (out.data[row * 5 + j] = si * (c.data[row * 5 + j] - cs)));
      }
      return out;
    };
    const expected = fdAlong(analytic, x, v);
    expect(maxRelError(run1(hvpByGradOfGrad(f, v), x).data, expected)).toBeLessThanOrEqual(RTOL);
    expect(maxRelError(run1(hvpByJvp(f, v), x).data, expected)).toBeLessThanOrEqual(RTOL);
    // The first derivative itself, for good measure.
    expect(maxRelError(run1((y) => ax.grad(f)(y) as ax.Tensor, x).data, analytic(x).data)).toBeLessThanOrEqual(1e-12);
  });

  test('logsumexp: Hessian-vector product is s ⊙ v − s ⟨s, v⟩ (closed form)', () => {
    const r = rng(12);
    const [x, v] = [r.tensor([6], -3, 3), r.tensor([6])];
    const m = Math.max(...x.data);
    const e = [...x.data].map((q) => Math.exp(q - m));
    const s = e.map((q) => q / sumOf(e));
    const sv = dotOf(s, v.data);
    const expected = s.map((si, i) => si * v.data[i] - si * sv);
    const f = (y: ax.Tensor) => ax.logsumexp(y);
    expect(maxRelError(run1(hvpByGradOfGrad(f, v), x).data, expected)).toBeLessThanOrEqual(1e-12);
    expect(maxRelError(run1(hvpByJvp(f, v), x).data, expected)).toBeLessThanOrEqual(1e-12);
  });
});

/** Σ c ⊙ tanh(tanh(tanh(x W1) W2) W3) with W1 [3,4], W2 [4,4], W3 [4,2] cut from one flat p [36]. */
const r = rng(13);
const X = r.tensor([2, 3]);
const C = r.tensor([2, 2]);
function chain(p: ax.Tensor): ax.Tensor {
  const w1 = ax.reshape(ax.slice(p, [0], [12]), [3, 4]);
  const w2 = ax.reshape(ax.slice(p, [12], [28]), [4, 4]);
  const w3 = ax.reshape(ax.slice(p, [28], [36]), [4, 2]);
  const h = ax.tanh(ax.matmul(ax.tanh(ax.matmul(ax.tanh(ax.matmul(X, w1)), w2)), w3));
  return ax.sum(h.mul(C));
}

describe('Hessian-vector products', () => {
  const p = r.tensor([36]);
  const v = r.tensor([36]);
  const gradChain = (at: HostTensor) => run1((q) => ax.grad(chain)(q) as ax.Tensor, at);

  test('3-matmul chain with tanh: grad of grad and jvp(grad f) vs finite differences of grad f', () => {
    const expected = fdAlong(gradChain, p, v);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(maxRelError(run1(hvpByGradOfGrad(chain, v), p).data, expected)).toBeLessThanOrEqual(RTOL);
    expect(maxRelError(run1(hvpByJvp(chain, v), p).data, expected)).toBeLessThanOrEqual(RTOL);
  });

  test('quadratic form xᵀAx: the Hessian from HVPs along unit vectors is A + Aᵀ, exactly', () => {
    const n = 4;
    const A = rng(14).tensor([n, n]);
    const quad = (x: ax.Tensor) => ax.sum(x.mul(ax.matmul(A, x)));
    const x = rng(15).tensor([n]);
    for (let j = 0; j < n; j++) {
      const unit = f32([n], Array.from({ length: n }, (_, i) => +(i === j)));
      const column = Array.from({ length: n }, (_, i) => A.data[i * n + j] + A.data[j * n + i]);
      expect([...run1(hvpByJvp(quad, unit), x).data]).toEqual(column.map((q) => expect.closeTo(q, 14)));
      expect([...run1(hvpByGradOfGrad(quad, unit), x).data]).toEqual(column.map((q) => expect.closeTo(q, 14)));
    }
  });
});
