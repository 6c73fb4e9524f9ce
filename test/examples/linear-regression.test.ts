import { beforeAll, describe, expect, test } from 'vitest';
import { fitLinearRegression } from '../../examples/linear-regression.ts';
import * as ax from '../../src/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/** The tutorial's linear regression (SEMANTICS.md 5.2, 5.3 b) on WebGPU; fails without an adapter. */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const relError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('linear regression on WebGPU', () => {
  test('the example fits y = 10x + 4 plus noise (seed 004, 25 points) to within 0.5', async () => {
    const { m, b, loss, adapter } = await fitLinearRegression();
    expect(adapter).toBe(ax.describeBackend(backend));
    expect(adapter).toMatch(/^WebGPU on /);
    expect(Math.abs(m - 10), `m = ${m}`).toBeLessThan(0.5);
    expect(Math.abs(b - 4), `b = ${b}`).toBeLessThan(0.5);
    // With unit noise the least-squares loss is about 1; an unconverged fit would be far above.
    expect(loss).toBeGreaterThan(0.1);
    expect(loss).toBeLessThan(3);
  });

  test('noise-free data follows SEMANTICS 5.3 b step by step (float32)', async () => {
    // Hand-written gradients of mean((m x + b - y)^2), lr 0.1; returns the loss before the update.
    const step = ax.jit(
      (theta: ax.Tensor, x: ax.Tensor, y: ax.Tensor) => {
        const [m, b] = theta;
        const r = x.mul(m).add(b).sub(y);
        const grad = ax.stack([r.mul(x).mul(2).mean(), r.mul(2).mean()]);
        return { loss: r.square().mean(), theta: theta.sub(grad.mul(0.1)) };
      },
      { backend },
    );
    const xs = Array.from({ length: 25 }, (_, i) => -2 + (4 * i) / 24);
    const x = await ax.devicePut(ax.array(xs, [25]));
    const y = await ax.devicePut(ax.array(xs.map((v) => 10 * v + 4), [25]));
    let theta = ax.array([0, 0], [2]);
    const seen = new Map<number, { theta: number[]; loss: number }>();
    for (let update = 0; update < 101; update++) {
      const out = (await step(theta, x, y)) as { loss: ax.DeviceArray; theta: ax.DeviceArray };
      if ([0, 5, 10, 50].includes(update)) {
        const [t, l] = await ax.readAll([theta, out.loss]);
        seen.set(update, { theta: Array.from(t), loss: l[0] });
      }
      theta = out.theta;
    }
    expect(step.compileCount).toBe(1);

    expect(relError(seen.get(0)!.loss, 160.444)).toBeLessThan(1e-5);
    const at5 = seen.get(5)!;
    expect(relError(at5.theta[0], 8.18161)).toBeLessThan(1e-5);
    expect(relError(at5.theta[1], 2.68928)).toBeLessThan(1e-5);
    expect(relError(at5.loss, 6.49411)).toBeLessThan(1e-5);
    const at10 = seen.get(10)!;
    expect(relError(at10.theta[0], 9.66935)).toBeLessThan(1e-5);
    expect(relError(at10.theta[1], 3.5705)).toBeLessThan(1e-5);
    expect(relError(at10.loss, 0.342392)).toBeLessThan(1e-5);
    // 3.25948e-9 is float64's; in float32 the residuals (about 6e-5) carry rounding noise of
    // about 1e-6 from terms near 24, so the loss agrees to a few percent only.
    expect(relError(seen.get(50)!.loss, 3.25948e-9)).toBeLessThan(0.05);
    const [m, b] = Array.from(await theta.data());
    expect(Math.abs(m - 10), `m = ${m}`).toBeLessThan(1e-5);
    expect(Math.abs(b - 4), `b = ${b}`).toBeLessThan(1e-5);
  });
});
