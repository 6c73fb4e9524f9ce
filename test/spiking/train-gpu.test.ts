import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import { resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { randomTensor, randomValues } from '../builder/helpers.ts';
import { scaledError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';

type T = ax.Tensor;
type Params = { w: T; r: T };
const STEPS = 16;
const BATCH = 8;

/**
 * Two classes of input current sequences [STEPS, BATCH, 4]: class 0 drives inputs 0–1, class 1
 * inputs 2–3, with noise. A LIF layer (4 → 16, reset by subtraction) read out by its firing
 * rates (16 → 2) and softmax cross-entropy; SGD by backpropagation through time (one scan and
 * its reverse scan).
 */
function data(): { x: HostTensor; y: HostTensor; labels: number[] } {
  const labels = Array.from({ length: BATCH }, (_, b) => b % 2);
  const noise = randomValues(11, STEPS * BATCH * 4, 0, 0.3);
  const x = hostTensor('f32', [STEPS, BATCH, 4], noise.map((n, i) => {
    const [b, k] = [Math.floor(i / 4) % BATCH, i % 4];
    return n + (Math.floor(k / 2) === labels[b] ? 0.7 : 0.05);
  }));
  const y = hostTensor('f32', [BATCH, 2], labels.flatMap((l) => (l ? [0, 1] : [1, 0])));
  return { x, y, labels };
}

const spike = ax.surrogate.superSpike({ alpha: 2 });
const logits = (p: Params, x: T) => ax.spiking.firingRate(ax.spiking.lifLayer({ w: p.w }, x, { spike }).spikes).matmul(p.r).mul(4);
const loss = (p: Params, x: T, y: T) => ax.logSoftmax(logits(p, x)).mul(y).sum().neg().div(BATCH);
const LR = 1.5;
const step = (p: Params, x: T, y: T) => {
  const [value, g] = ax.valueAndGrad(loss)(p, x, y) as [T, Params];
  return { loss: value, grads: g, params: { w: p.w.sub(g.w.mul(LR)), r: p.r.sub(g.r.mul(LR)) }, logits: logits(p, x) };
};
/** The smallest |u − θ| of the layer: how far every spike decision is from flipping. */
const margin = (w: T, x: T) => ax.min(ax.abs(ax.spiking.lifLayer({ w }, x, { spike }).membrane.sub(1)));

describe('a spiking network trained by BPTT on WebGPU', () => {
  let backend: GpuBackend;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  it('learns two classes of current patterns; each step one submission, the first step as the reference computes it', async () => {
    const { x, y, labels } = data();
    let params: { w: HostTensor; r: HostTensor } = { w: randomTensor(12, [4, 16], -0.2, 0.8), r: randomTensor(13, [16, 2], -0.3, 0.3) };
    const gpuStep = ax.jit(step, { backend });

    const closest = evaluate(ax.trace(margin, params.w, x), [params.w, x])[0].data[0];
    expect(closest, 'f32 and float64 fire the same spikes').toBeGreaterThan(1e-5);
    const expected = evaluate(ax.trace(step, params, x, y), [params.w, params.r, x, y]);
    const first = await gpuStep(params, x, y);
    const got = await ax.readAll([first.loss, first.grads.w, first.grads.r]);
    got.forEach((g, k) => expect(scaledError(g, expected[k].data), `output ${k}`).toBeLessThanOrEqual(1e-4));

    const losses: number[] = [];
    let correct = 0;
    for (let k = 0; k < 25; k++) {
      resetStats();
      const out = await gpuStep(params, x, y);
      expect(stats.submissions).toBe(1);
      const [value, scores] = await ax.readAll([out.loss, out.logits]);
      losses.push(value[0]);
      correct = labels.filter((l, b) => (scores[2 * b + 1] > scores[2 * b] ? 1 : 0) === l).length;
      params = { w: await out.params.w.toHostTensor(), r: await out.params.r.toHostTensor() };
    }
    expect(gpuStep.compileCount).toBe(1);
    expect(losses[losses.length - 1], `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`).toBeLessThan(0.5 * losses[0]);
    expect(correct, 'training accuracy at the last step').toBe(BATCH);
  });
});
