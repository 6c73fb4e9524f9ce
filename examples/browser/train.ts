/**
 * The model the browser page trains: an MLP 1 → 16 → 1 (tanh) fitting y = sin(3x) on 64 points
 * of [-1, 1], full-batch gradient descent. Shared with the test, which replays the training on
 * the reference interpreter.
 */
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/index.ts';
import { grid } from './checks.ts';

type T = ax.Tensor;
export type Params = { w1: T; b1: T; w2: T; b2: T };

export const STEPS = 200;
export const LEARNING_RATE = 0.1;
const POINTS = 64;
const HIDDEN = 16;

export function trainingData(): { x: HostTensor; y: HostTensor } {
  const xs = Array.from({ length: POINTS }, (_, i) => -1 + (2 * i) / (POINTS - 1));
  return { x: hostTensor('f32', [POINTS, 1], xs), y: hostTensor('f32', [POINTS, 1], xs.map((v) => Math.sin(3 * v))) };
}

export function initialParams(): { w1: HostTensor; b1: HostTensor; w2: HostTensor; b2: HostTensor } {
  return { w1: grid([1, HIDDEN], 21, 3), b1: grid([HIDDEN], 22, 1), w2: grid([HIDDEN, 1], 23, 0.3), b2: hostTensor('f32', [1], [0]) };
}

const loss = (p: Params, x: T, y: T) => ax.tanh(x.matmul(p.w1).add(p.b1)).matmul(p.w2).add(p.b2).sub(y).square().mean();

/** One step: the loss before it and the parameters after it. */
export function trainStep(p: Params, x: T, y: T) {
  const [value, grads] = ax.valueAndGrad(loss)(p, x, y) as [T, Params];
  return { loss: value, params: ax.treeMap((w: T, g: T) => w.sub(g.mul(LEARNING_RATE)), p, grads) as Params };
}
