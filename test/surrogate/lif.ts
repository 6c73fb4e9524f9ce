import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { seededChooser } from '../helpers/random-chooser.ts';

/**
 * A small spiking network for the surrogate-gradient tests: one layer of leaky integrate-and-fire
 * neurons run for STEPS time steps as one ax.loop (membrane u ← βu + x_t W₁ − s·θ, spike
 * s = H(u − θ) through the surrogate, reset by subtraction), read out as firing rates times W₂.
 */
export const STEPS = 10;
export const BATCH = 8;
export const INPUTS = 4;
export const HIDDEN = 16;
export const OUTPUTS = 2;
const BETA = 0.9;
const THRESHOLD = 1;

export type Params = { w1: ax.Tensor; w2: ax.Tensor };

/**
 * Firing rates [BATCH, HIDDEN] of the layer for inputs x [STEPS, BATCH, INPUTS], and the smallest
 * |u − θ| seen over all steps (how far every spike decision was from flipping).
 */
export function simulate(spike: ax.surrogate.Surrogate, w1: ax.Tensor, x: ax.Tensor): { rates: ax.Tensor; margin: ax.Tensor } {
  const current = ax.matmul(x, w1);
  const zeros = ax.zeros([BATCH, HIDDEN]);
  const init = { u: zeros, s: zeros, count: zeros, margin: ax.full([], Infinity) };
  const final = ax.loop(
    STEPS,
    (st, t) => {
      const u = st.u.mul(BETA).add(ax.take(current, t, 0)).sub(st.s.mul(THRESHOLD));
      const centred = u.sub(THRESHOLD);
      const s = spike(centred);
      return { u, s, count: st.count.add(s), margin: ax.minimum(st.margin, ax.min(ax.abs(centred))) };
    },
    init,
  );
  return { rates: final.count.div(STEPS), margin: final.margin };
}

export const loss = (spike: ax.surrogate.Surrogate) => (p: Params, x: ax.Tensor, y: ax.Tensor): ax.Tensor =>
  ax.mean(ax.matmul(simulate(spike, p.w1, x).rates, p.w2).sub(y).square());

/** One SGD step: the loss before it, the gradient and the updated parameters. */
export const trainStep = (spike: ax.surrogate.Surrogate, lr: number) => (p: Params, x: ax.Tensor, y: ax.Tensor) => {
  const [value, grads] = ax.valueAndGrad(loss(spike))(p, x, y) as [ax.Tensor, Params];
  return { loss: value, grads, params: { w1: p.w1.sub(grads.w1.mul(lr)), w2: p.w2.sub(grads.w2.mul(lr)) } };
};

/** Reproducible data: inputs uniform in [0, 1), targets uniform in [0, 1), weights uniform. */
export function problem(seed: number): { params: { w1: HostTensor; w2: HostTensor }; x: HostTensor; y: HostTensor } {
  const c = seededChooser(seed);
  const uniform = (lo: number, hi: number) => lo + ((hi - lo) * c.int(0, 2 ** 30 - 1)) / 2 ** 30;
  const tensor = (shape: number[], lo: number, hi: number) =>
    hostTensor('f32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => uniform(lo, hi)));
  return {
    params: { w1: tensor([INPUTS, HIDDEN], -0.3, 0.9), w2: tensor([HIDDEN, OUTPUTS], -0.5, 0.5) },
    x: tensor([STEPS, BATCH, INPUTS], 0, 1),
    y: tensor([BATCH, OUTPUTS], 0, 1),
  };
}
