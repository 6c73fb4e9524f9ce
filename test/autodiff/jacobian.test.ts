import { beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { rng } from './fd.ts';
import { fdAlong, run, run1 } from './run.ts';

/**
 * jacrev, jacfwd and hessian against central differences in float64 (one column per input
 * element), each other, and closed forms; then on WebGPU against the reference.
 */
type T = ax.Tensor;
const r = rng(41);
const A = r.tensor([4, 6]);
const B = r.tensor([4, 6]);

/** R^{2×3} → R^{4}: a matmul, a softmax and a tanh, so every kind of VJP rule takes part. */
const f = (x: T) => {
  const v = ax.reshape(x, [6]);
  return ax.tanh(ax.matmul(A as never, v)).mul(ax.softmax(ax.matmul(B as never, v.square())));
};

/** The Jacobian of `g` at x by central differences: [...out, ...in], out-major. */
function jacobianByFd(g: (x: T) => T, x: HostTensor): number[] {
  const at = (v: HostTensor) => run1(g, v);
  const outSize = at(x).data.length;
  const n = x.data.length;
  const columns = Array.from({ length: n }, (_, j) => fdAlong(at, x, hostTensor('f32', x.shape, Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)))));
  return Array.from({ length: outSize * n }, (_, k) => columns[k % n][Math.floor(k / n)]);
}

describe('Jacobians in float64', () => {
  const x = r.tensor([2, 3]);

  test('jacrev and jacfwd of R^{2×3} → R^4 match central differences to 1e-6 and each other to 1e-12', () => {
    const [rev, fwd] = run((v: T) => [ax.jacrev(f)(v), ax.jacfwd(f)(v)], x);
    expect([...rev.shape]).toEqual([4, 2, 3]);
    expect([...fwd.shape]).toEqual([4, 2, 3]);
    expect(maxRelError(rev.data, jacobianByFd(f, x))).toBeLessThanOrEqual(1e-6);
    expect(maxRelError(fwd.data, rev.data)).toBeLessThanOrEqual(1e-12);
  });

  test('argnums picks the argument; the others are held fixed', () => {
    const g = (a: T, b: T) => ax.sin(a.mul(b));
    const a = r.tensor([3]);
    const b = r.tensor([3]);
    const [ja, jb] = run((u: T, v: T) => [ax.jacrev(g, { argnums: 1 })(u, v), ax.jacfwd(g, { argnums: 0 })(u, v)], a, b);
    // d sin(a·b)/db = diag(a cos(a·b)), d/da = diag(b cos(a·b)).
    const diag = (w: HostTensor) => Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? w.data[k / 4] * Math.cos(a.data[k / 4] * b.data[k / 4]) : 0));
    expect(maxRelError(ja.data, diag(a))).toBeLessThanOrEqual(1e-12);
    expect(maxRelError(jb.data, diag(b))).toBeLessThanOrEqual(1e-12);
  });

  test('hessian of xᵀMx is M + Mᵀ; of Σ logsumexp rows it matches differences of the gradient', () => {
    const m = r.tensor([3, 3]);
    const h = run1((v: T) => ax.hessian((u: T) => ax.sum(u.mul(ax.matmul(m as never, u))))(v), r.tensor([3]));
    const expected = Array.from({ length: 9 }, (_, k) => m.data[k] + m.data[(k % 3) * 3 + Math.floor(k / 3)]);
    expect(maxRelError(h.data, expected)).toBeLessThanOrEqual(1e-12);

    const lse = (u: T) => ax.sum(ax.logsumexp(u, 1));
    const y = r.tensor([2, 2]);
    const hl = run1((v: T) => ax.hessian(lse)(v), y);
    expect([...hl.shape]).toEqual([2, 2, 2, 2]);
    const byFd = jacobianByFd((v: T) => ax.grad(lse)(v), y);
    expect(maxRelError(hl.data, byFd)).toBeLessThanOrEqual(1e-6);
    // Symmetric: H[i,j] = H[j,i].
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(hl.data[i * 4 + j]).toBeCloseTo(hl.data[j * 4 + i], 12);
  });

  test('a scalar function of a scalar: jacrev is the derivative, hessian the second derivative', () => {
    const [d1, d2] = run((v: T) => [ax.jacrev(ax.tanh)(v), ax.hessian(ax.tanh)(v)], hostTensor('f32', [], [0.5]));
    const t = Math.tanh(0.5);
    expect(d1.data[0]).toBeCloseTo(1 - t * t, 12);
    expect(d2.data[0]).toBeCloseTo(-2 * t * (1 - t * t), 12);
  });
});

describe('typed errors', () => {
  test('a symbolic size, a tree argument, an integer argument and an out-of-range argnums say what to change', () => {
    expect(() => ax.trace((v: T) => ax.jacrev(ax.tanh)(v), ax.spec('f32', ['N']))).toThrow(/symbolic shape \[N\].*concrete sizes/);
    expect(() => ax.trace((v: T) => ax.jacfwd((p: { a: T }) => p.a)({ a: v } as never), ax.spec('f32', [2]))).toThrow(/must be a single array/);
    expect(() => ax.trace((v: T) => ax.jacrev((u: T) => u.astype('f32'))(v), ax.spec('i32', [2]))).toThrow(ax.ShapeError);
    expect(() => ax.trace((v: T) => ax.jacrev(ax.tanh, { argnums: 2 })(v), ax.spec('f32', [2]))).toThrow(/argnums 2 is out of range/);
  });
});

describe('Jacobians on WebGPU', () => {
  let backend: Awaited<ReturnType<typeof gpuBackend>>;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  test('jit(jacrev) and jit(hessian) match the reference interpreter', async () => {
    const x = r.tensor([2, 3]);
    const fn = (v: T) => [ax.jacrev(f)(v), ax.hessian((u: T) => ax.sum(ax.tanh(u).mul(u)))(v)];
    const want = run(fn, x);
    const got = await ax.jit(fn, { backend })(x);
    for (const [k, a] of got.entries()) {
      expect(a.onGpu).toBe(true);
      expect([...a.shape]).toEqual([...want[k].shape]);
      expect(maxRelError(await a.data(), want[k].data), `result ${k}`).toBeLessThanOrEqual(1e-4);
    }
  });
});
