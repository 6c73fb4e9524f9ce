/**
 * What the browser page computes on navigator.gpu and the test recomputes on the float64
 * reference interpreter: each check is a function and its inputs, shared by both sides.
 */
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/index.ts';

type T = ax.Tensor;

/** Deterministic inputs in [-scale, scale): the page and the test build the same arrays. */
export function grid(shape: readonly number[], seed: number, scale = 1): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return hostTensor('f32', shape, Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 12.9898 + i * 78.233)));
}

export interface Check {
  readonly name: string;
  readonly about: string;
  readonly fn: (...args: any[]) => unknown;
  readonly inputs: () => unknown[];
}

const mlpLoss = (p: { w1: T; b1: T; w2: T }, x: T, y: T) =>
  ax.tanh(x.matmul(p.w1).add(p.b1)).matmul(p.w2).sub(y).square().mean();

export const CHECKS: readonly Check[] = [
  {
    name: 'jit',
    about: 'a jit function: softmax(tanh(x·w + b)) over 16 rows',
    fn: (w: T, b: T, x: T) => ax.softmax(ax.tanh(x.matmul(w).add(b))),
    inputs: () => [grid([24, 10], 1, 0.3), grid([10], 2), grid([16, 24], 3)],
  },
  {
    name: 'grad',
    about: "grad of an MLP's mean squared error with respect to its parameters",
    fn: (p: { w1: T; b1: T; w2: T }, x: T, y: T) => ax.grad(mlpLoss)(p, x, y),
    inputs: () => [{ w1: grid([3, 32], 4, 0.5), b1: grid([32], 5, 0.1), w2: grid([32, 1], 6, 0.3) }, grid([20, 3], 7), grid([20, 1], 8)],
  },
  {
    name: 'loop',
    about: 'a 50-step ax.loop of relaxation dynamics s ← s + 0.1·(−s + tanh(s·W + x)), one submission',
    fn: (s: T, w: T, x: T) => ax.loop(50, (st: T) => st.add(st.neg().add(ax.tanh(st.matmul(w).add(x))).mul(0.1)), s),
    inputs: () => [grid([8, 32], 9, 0.5), grid([32, 32], 10, 0.25), grid([8, 32], 11)],
  },
];

/** The AOT artifact the page runs through axonic/runtime: examples/browser/tiny.axon, compiled by `npm run build:web`. */
export const ARTIFACT = {
  model: 'tiny.axon',
  about: 'the forward schedule of tiny.axon (linear 16 tanh, linear 3, softmax), compiled ahead of time',
  input: (): HostTensor => grid([5, 4], 31),
};
