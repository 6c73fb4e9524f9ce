import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor, walkNodes, type HostTensor } from '../../src/ir/index.ts';
import { inlineCustomVjp } from '../../passes/inline-calls.ts';
import { fdStep } from '../autodiff/fd.ts';
import { scaledError } from '../helpers/compare.ts';
import { randomValues } from './helpers.ts';
import { boosted, identity, matmul, matrixOf, maxDiff, randomMatrix, reference, spd, stackOf, transpose } from './linalg-helpers.ts';

/**
 * Reverse mode (grad), forward mode (jvp) and grad of grad through every linalg function, against
 * central differences of the float64 reference interpreter along random directions, plus the
 * textbook closed forms (∇ det = det · a⁻ᵀ, ∇ log |det| = a⁻ᵀ). Central differences with h = 1e-6
 * are good to ~1e-9 here; the bound 1e-6 is far above that and far below any wrong rule.
 */
const RTOL = 1e-6;
type Tensor = ax.Tensor;
type Fn = (...xs: Tensor[]) => Tensor;

interface Case {
  readonly name: string;
  readonly fn: Fn;
  readonly inputs: (n: number) => HostTensor[];
}

const general = (seed: number) => (n: number) => stackOf([], () => boosted(seed + n, n, 2));
const positiveDefinite = (seed: number) => (n: number) => stackOf([], () => spd(seed + n, n));
const rhs = (seed: number, k: number) => (n: number) => stackOf([], () => randomMatrix(seed + n, n, k));
const vector = (seed: number) => (n: number) => hostTensor('f32', [n], randomValues(seed + n, n));

const CASES: Case[] = [
  { name: 'cholesky', fn: (a) => ax.linalg.cholesky(a), inputs: (n) => [positiveDefinite(1)(n)] },
  { name: 'cholesky (upper)', fn: (a) => ax.linalg.cholesky(a, { upper: true }), inputs: (n) => [positiveDefinite(2)(n)] },
  {
    name: 'triangularSolve (left, lower)',
    fn: (a, b) => ax.linalg.triangularSolve(a, b, { leftSide: true, lower: true }),
    inputs: (n) => [general(3)(n), rhs(4, 2)(n)],
  },
  {
    name: 'triangularSolve (right, upper, transposeA, unitDiagonal)',
    fn: (a, b) => ax.linalg.triangularSolve(a, b, { transposeA: true, unitDiagonal: true }),
    inputs: (n) => [general(5)(n), stackOf([], () => randomMatrix(6 + n, 3, n))],
  },
  { name: 'solve (matrix b)', fn: (a, b) => ax.linalg.solve(a, b), inputs: (n) => [general(7)(n), rhs(8, 3)(n)] },
  { name: 'solve (vector b)', fn: (a, b) => ax.linalg.solve(a, b), inputs: (n) => [general(9)(n), vector(10)(n)] },
  { name: 'inv', fn: (a) => ax.linalg.inv(a), inputs: (n) => [general(11)(n)] },
  { name: 'det', fn: (a) => ax.linalg.det(a), inputs: (n) => [general(12)(n)] },
  { name: 'slogdet logabsdet', fn: (a) => ax.linalg.slogdet(a).logabsdet, inputs: (n) => [general(13)(n)] },
  { name: 'lu (packed factors)', fn: (a) => ax.linalg.lu(a).lu, inputs: (n) => [general(14)(n)] },
];

const axpy = (s: number, v: HostTensor, x: HostTensor): HostTensor => ({ ...x, data: x.data.map((xi, i) => xi + s * v.data[i]) });
const directionsFor = (xs: readonly HostTensor[], seed: number): HostTensor[] =>
  xs.map((x, k) => hostTensor('f32', x.shape, randomValues(seed + 17 * k, x.data.length)));
const dot = (a: HostTensor, b: HostTensor) => a.data.reduce((s, v, i) => s + v * b.data[i], 0);
const argnums = (xs: readonly unknown[]) => xs.map((_, i) => i);

/** d/dh g(xs + h vs) at 0 by a central difference, for an array-valued g. */
function fdAlong(g: (xs: HostTensor[]) => HostTensor, xs: readonly HostTensor[], vs: readonly HostTensor[]): HostTensor {
  const h = fdStep(Math.max(...xs.flatMap((x) => [...x.data].map(Math.abs))));
  const plus = g(xs.map((x, k) => axpy(h, vs[k], x)));
  const minus = g(xs.map((x, k) => axpy(-h, vs[k], x)));
  return { ...plus, data: plus.data.map((p, i) => (p - minus.data[i]) / (2 * h)) };
}

/** The gradient of Σ w ⊙ fn(xs) with respect to every input. */
const gradOfWeighted = (fn: Fn, w: HostTensor, xs: readonly HostTensor[]): HostTensor[] =>
  reference((wt, ...ys) => ax.grad((...zs: Tensor[]) => ax.sum(fn(...zs).mul(wt)), { argnums: argnums(ys) })(...ys) as Tensor[], w, ...xs);

describe.each(CASES)('$name', ({ fn, inputs }) => {
  test.each([1, 2, 3, 8])('n = %i: grad (VJP) and jvp agree with central differences', (n) => {
    const xs = inputs(n);
    const vs = directionsFor(xs, 50 + n);
    const value = (ys: HostTensor[]) => reference(fn, ...ys)[0];
    const fd = fdAlong(value, xs, vs);
    const w = hostTensor('f32', fd.shape, randomValues(90 + n, fd.data.length));
    const grads = gradOfWeighted(fn, w, xs);
    const vjpAlong = grads.reduce((s, g, k) => s + dot(g, vs[k]), 0);
    expect(Math.abs(vjpAlong - dot(w, fd)), `⟨ḡ, v⟩ = ${vjpAlong} vs ⟨w, fd⟩ = ${dot(w, fd)}`).toBeLessThanOrEqual(RTOL * Math.max(1, Math.abs(vjpAlong)));
    const [, tangent] = reference((...all) => ax.jvp(fn, all.slice(0, xs.length), all.slice(xs.length)) as Tensor[], ...xs, ...vs);
    expect([...tangent.shape]).toEqual([...fd.shape]);
    expect(scaledError(tangent.data, fd.data)).toBeLessThanOrEqual(RTOL);
  });

  test('grad of grad (a Hessian-vector product) agrees with central differences of grad', () => {
    const xs = inputs(3);
    const vs = directionsFor(xs, 70);
    const w = hostTensor('f32', reference(fn, ...xs)[0].shape, randomValues(71, reference(fn, ...xs)[0].data.length));
    const loss = (wt: Tensor) => (...zs: Tensor[]) => ax.sum(fn(...zs).mul(wt));
    const hvp = reference((wt, ...rest) => {
      const ys = rest.slice(0, xs.length);
      const dirs = rest.slice(xs.length);
      const gradDotV = (...zs: Tensor[]) => {
        const g = ax.grad(loss(wt), { argnums: argnums(zs) })(...zs) as Tensor[];
        return g.reduce((s: Tensor, gk, k) => s.add(ax.sum(gk.mul(dirs[k]))), ax.zeros([]));
      };
      return ax.grad(gradDotV, { argnums: argnums(ys) })(...ys) as Tensor[];
    }, w, ...xs, ...vs);
    hvp.forEach((h, k) => {
      const fd = fdAlong((ys) => gradOfWeighted(fn, w, ys)[k], xs, vs);
      expect(scaledError(h.data, fd.data), `input ${k}`).toBeLessThanOrEqual(RTOL);
    });
  });

  test('n = 33, and a batch of two: grad along a direction agrees with central differences', () => {
    // Matrices are stacked (the second one scaled); a vector b stays one vector for the whole batch.
    const batchOf = (x: HostTensor) => (x.shape.length < 2 ? x : stackOf([2], (k) => matrixOf(x).map((row) => row.map((v) => v * (1 + 0.1 * k)))));
    for (const xs of [inputs(33), inputs(3).map(batchOf)]) {
      const vs = directionsFor(xs, 80);
      const fd = fdAlong((ys) => reference(fn, ...ys)[0], xs, vs);
      const w = hostTensor('f32', fd.shape, randomValues(81, fd.data.length));
      const along = gradOfWeighted(fn, w, xs).reduce((s, g, k) => s + dot(g, vs[k]), 0);
      expect(Math.abs(along - dot(w, fd)), `shapes ${xs.map((x) => x.shape.join('x'))}`).toBeLessThanOrEqual(RTOL * Math.max(1, Math.abs(along)));
    }
  });
});

describe('closed forms of the gradients', () => {
  test('∇ det = det · a⁻ᵀ: for 3 x 3, the cofactor matrix', () => {
    const a = boosted(3, 3, 1);
    const cofactor = a.map((_, i) =>
      a.map((__, j) => {
        const minor = a.filter((_r, r) => r !== i).map((row) => row.filter((_c, c) => c !== j));
        return (-1) ** (i + j) * (minor[0][0] * minor[1][1] - minor[0][1] * minor[1][0]);
      }),
    );
    const [g] = reference((x) => ax.grad((y: Tensor) => ax.linalg.det(y))(x) as Tensor, stackOf([], () => a));
    expect(maxDiff(matrixOf(g), cofactor)).toBeLessThanOrEqual(1e-13);
  });

  test('∇ log |det| = a⁻ᵀ, so a · (∇)ᵀ = I; the sign has zero gradient', () => {
    const a = boosted(4, 8, 2);
    const [g, gs] = reference(
      (x) => [ax.grad((y: Tensor) => ax.linalg.slogdet(y).logabsdet)(x) as Tensor, ax.grad((y: Tensor) => ax.linalg.slogdet(y).sign)(x) as Tensor],
      stackOf([], () => a),
    );
    expect(maxDiff(matmul(a, transpose(matrixOf(g))), identity(8))).toBeLessThanOrEqual(1e-13);
    expect([...gs.data].every((v) => v === 0)).toBe(true);
  });
});

/**
 * The gradient program as it is compiled (custom_vjp inlined, then simplified) keeps a fixed
 * number of loops: the forward factorization and solves, and the inverses the rules use (LU
 * shared by CSE), never one copy of a loop body per trip.
 */
describe('reverse mode does not unroll the loops', () => {
  const shape = (fn: Fn, n: number) => {
    const traced = ax.trace((a: Tensor) => ax.grad((y: Tensor) => ax.sum(fn(y)))(a) as Tensor, ax.spec('f32', [n, n]));
    const g = ax.simplify(inlineCustomVjp(traced));
    const ops = [...walkNodes(g)].map((node) => node.op);
    return { nodes: ops.length, loops: ops.filter((op) => op === 'loop').length };
  };
  test.each([
    ['cholesky', 2, (a: Tensor) => ax.linalg.cholesky(a)],
    ['solve', 5, (a: Tensor) => ax.linalg.solve(a, a.sum(0))],
    ['inv', 3, (a: Tensor) => ax.linalg.inv(a)],
    ['slogdet', 3, (a: Tensor) => ax.linalg.slogdet(a).logabsdet],
    ['triangularSolve', 2, (a: Tensor) => ax.linalg.triangularSolve(a, a, { lower: true })],
  ] as const)('%s: the compiled gradient graph has the same size for n = 8 and n = 64, with %i loops', (_name, loops, fn) => {
    const small = shape(fn, 8);
    expect(small.loops).toBe(loops);
    expect(shape(fn, 64)).toEqual(small);
  });
});
