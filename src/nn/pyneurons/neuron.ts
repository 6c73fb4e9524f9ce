import { matmul, negative, add, multiply, slice, random, type Operand, type Tensor } from '../../builder/index.ts';
import type { Concrete } from '../../builder/concrete.ts';
import { runOnHost } from '../on-host.ts';

/** A parameter: traced inside a function under ax.jit / ax.trace, concrete outside. */
export type Param = Tensor | Concrete;

/** A neuron's parameters: weights `[n, 1]` and bias `[1, 1]`. */
export type NeuronTree = readonly [w: Param, b: Param];

/** The golden ratio φ = (1 + √5)/2, the mean of fresh weights. */
export const PHI = (1 + Math.sqrt(5)) / 2;

/** `0.1 · z`, `z ~ N(0, 1)` i.i.d. from `key`. */
export const param = (key: Operand, shape: readonly number[]): Param =>
  runOnHost('pyneurons.param', (k: Operand) => multiply(random.normal(k, shape), 0.1), [key]);

/** `param(key, shape) + φ`: mean φ, standard deviation 0.1. */
export const weight = (key: Operand, shape: readonly number[]): Param =>
  runOnHost('pyneurons.weight', (k: Operand) => add(param(k, shape) as Operand, PHI), [key]);

/** `−weight(key, shape)`: mean −φ, standard deviation 0.1. */
export const bias = (key: Operand, shape: readonly number[]): Param =>
  runOnHost('pyneurons.bias', (k: Operand) => negative(weight(k, shape) as Operand), [key]);

/**
 * A neuron with `n` inputs: `w = weight(key, [n, 1])` and `b = −w[0, 0]` as `[1, 1]` — the bias's
 * noise is the first variate of the weights' stream (decision D-PN-1), so a 1-input neuron has
 * `b = −w` exactly, as upstream's reuse of one key gives.
 */
export function create(key: Operand, n: number): NeuronTree {
  return runOnHost(
    'pyneurons.create',
    (k: Operand) => {
      const w = weight(k, [n, 1]) as Tensor;
      return [w, negative(slice(w, [0, 0], [1, 1]))] as const;
    },
    [key],
  );
}

/** `x @ w + b`: `x: [..., n]` → `[..., 1]` (integer inputs promote to f32, decision D-PN-6). */
export function apply(neuron: NeuronTree, x: Operand): Tensor {
  const [w, b] = neuron;
  return add(matmul(x, w), b);
}
