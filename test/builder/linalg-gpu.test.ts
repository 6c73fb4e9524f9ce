import { beforeAll, describe, expect, test } from 'vitest';
import { resetStats, stats } from '../../runtime/index.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { scaledError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { randomMatrix, reference, spd, stackOf } from './linalg-helpers.ts';

/**
 * ax.linalg on WebGPU (float32) against the float64 reference, on a batch of four 64 x 64
 * matrices: symmetric positive definite ones (eigenvalues in [1, ~2]) and I + R/(2√n) with R
 * uniform in [-1, 1] (singular values near 1, det of moderate size). Errors are max |gpu − ref| /
 * max |ref| per result. Measured on lavapipe when written: 2.6e-7 (cholesky), 4.5e-7
 * (triangularSolve), 5.2e-7 (solve), 6.9e-7 (inv), 3.6e-6 (det), 7.2e-6 (logabsdet: a sum of 64
 * logs, scaled by its own small value), 6.2e-7 (the gradient); each bound is about ten times that.
 *
 * Each call is one submission; its dispatch count is bounded by what the loops cost today (one
 * kernel per primitive, about 5 per trip for a triangular solve, 12 for Cholesky, 28 for LU), so
 * a change that makes them cost more per trip fails here. Fusion will only lower the counts.
 */
const N = 64;
const BATCH = 4;
type Tensor = ax.Tensor;

/** Rounded to f32 first, so that the GPU and the reference read the same numbers. */
const rounded = (t: HostTensor): HostTensor => hostTensor('f32', t.shape, [...t.data].map(Math.fround));
const positiveDefinite = rounded(stackOf([BATCH], (k) => spd(300 + k, N)));
const general = rounded(stackOf([BATCH], (k) => randomMatrix(400 + k, N, N).map((row, i) => row.map((v, j) => (i === j ? 1 : 0) + v / (2 * Math.sqrt(N))))));
const rhs = rounded(stackOf([BATCH], (k) => randomMatrix(500 + k, N, 3)));

interface GpuCase {
  readonly name: string;
  readonly fn: (...xs: Tensor[]) => Tensor | Tensor[];
  readonly args: HostTensor[];
  /** Scaled error allowed for every result. */
  readonly rtol: number;
  /** Dispatches per call at most (measured at n = 64 when written, rounded up). */
  readonly maxDispatches: number;
}

const CASES: GpuCase[] = [
  { name: 'cholesky', fn: (a) => ax.linalg.cholesky(a), args: [positiveDefinite], rtol: 3e-6, maxDispatches: 800 },
  {
    name: 'triangularSolve (left, lower)',
    fn: (a, b) => ax.linalg.triangularSolve(a, b, { leftSide: true, lower: true }),
    args: [positiveDefinite, rhs],
    rtol: 5e-6,
    maxDispatches: 340,
  },
  { name: 'solve', fn: (a, b) => ax.linalg.solve(a, b), args: [general, rhs], rtol: 5e-6, maxDispatches: 2480 },
  { name: 'inv', fn: (a) => ax.linalg.inv(a), args: [general], rtol: 7e-6, maxDispatches: 2480 },
  {
    name: 'det and slogdet',
    fn: (a) => {
      const s = ax.linalg.slogdet(a);
      return [ax.linalg.det(a), s.sign, s.logabsdet];
    },
    args: [general],
    rtol: 7e-5,
    maxDispatches: 1900,
  },
  {
    name: 'grad of log|det| + Σ sin(cholesky) + Σ solve',
    fn: (a, p) =>
      ax.grad((x: Tensor) =>
        ax.linalg.slogdet(x).logabsdet.sum().add(ax.sum(ax.sin(ax.linalg.cholesky(p.add(x.mul(0.01)))))).add(ax.sum(ax.linalg.solve(x, p))),
      )(a) as Tensor,
    args: [general, positiveDefinite],
    rtol: 6e-6,
    maxDispatches: 5000,
  },
];

describe('ax.linalg on WebGPU, [4, 64, 64] in float32', () => {
  let backend: Awaited<ReturnType<typeof gpuBackend>>;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  test.each(CASES)('$name matches the float64 reference in one submission', async ({ fn, args, rtol, maxDispatches }) => {
    const want = reference(fn, ...args);
    const f = ax.jit(fn, { backend }) as unknown as (...xs: HostTensor[]) => Promise<ax.DeviceArray | ax.DeviceArray[]>;
    await f(...args); // compile, and warm the pipelines
    resetStats();
    const out = await f(...args);
    const { dispatches, submissions } = stats;
    const got = Array.isArray(out) ? out : [out];
    expect(got.length).toBe(want.length);
    for (const [k, array] of got.entries()) {
      expect(array.onGpu).toBe(true);
      expect([...array.shape]).toEqual([...want[k].shape]);
      const err = scaledError(await array.data(), want[k].data);
      expect(err, `result ${k}: scaled error ${err}`).toBeLessThanOrEqual(rtol);
    }
    expect(submissions).toBe(1);
    expect(dispatches).toBeLessThanOrEqual(maxDispatches);
  });
});
