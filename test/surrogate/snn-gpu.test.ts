import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { scaledError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { problem, simulate, trainStep } from './lif.ts';

/**
 * A leaky integrate-and-fire layer (10 time steps in one ax.loop) trained by SGD on WebGPU with a
 * surrogate gradient: the loss falls, and every step's loss and gradient match the float64
 * reference interpreter run on the same parameters. Fails, never skips, without an adapter.
 */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const LR = 0.1;

const UPDATES = 6;
const SURROGATES = [ax.surrogate.sigmoid(), ax.surrogate.superSpike(), ax.surrogate.multiGaussian(), ax.surrogate.rectangular()];

describe.each(SURROGATES.map((spike) => ({ spike, label: String(spike) })))('LIF layer with $label', ({ spike }) => {
  test(`${UPDATES} SGD steps on WebGPU lower the loss; loss and gradients match the reference to 1e-4`, async () => {
    const { params, x, y } = problem(7);
    const step = trainStep(spike, LR);
    const traced = ax.trace(step, params, x, y);
    const margin = ax.trace((w1: ax.Tensor, xs: ax.Tensor) => simulate(spike, w1, xs).margin, params.w1, x);
    const gpuStep = ax.jit(step, { backend });

    let current: { w1: HostTensor; w2: HostTensor } = params;
    const losses: number[] = [];
    for (let k = 0; k < UPDATES; k++) {
      // Spike decisions at least 1e-5 from threshold: float32 and float64 fire the same spikes.
      const closest = evaluate(margin, [current.w1, x])[0].data[0];
      expect(closest, `step ${k}: some |u − θ| is ${closest}`).toBeGreaterThan(1e-5);
      const [refLoss, refG1, refG2] = evaluate(traced, [current.w1, current.w2, x, y]);
      const out = await gpuStep(current, x, y);
      expect(out.loss.onGpu).toBe(true);
      const [loss, g1, g2] = await ax.readAll([out.loss, out.grads.w1, out.grads.w2]);
      expect(scaledError(loss, refLoss.data), `step ${k} loss`).toBeLessThanOrEqual(1e-4);
      expect(scaledError(g1, refG1.data), `step ${k} ∂L/∂w1 (through the surrogate)`).toBeLessThanOrEqual(1e-4);
      expect(scaledError(g2, refG2.data), `step ${k} ∂L/∂w2`).toBeLessThanOrEqual(1e-4);
      expect(Math.max(...g1.map(Math.abs)), 'the surrogate carries gradient to w1').toBeGreaterThan(1e-3);
      losses.push(loss[0]);
      current = { w1: await out.params.w1.toHostTensor(), w2: await out.params.w2.toHostTensor() };
    }
    expect(gpuStep.compileCount).toBe(1);
    expect(losses[UPDATES - 1], `losses ${losses.join(', ')}`).toBeLessThan(0.6 * losses[0]);
  });
});
