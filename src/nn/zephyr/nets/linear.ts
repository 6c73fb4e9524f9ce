import { add, matmul, reshape, type Tensor } from '../../../builder/index.ts';
import { ShapeError, formatType } from '../../../ir/index.ts';
import { flexible } from '../holes.ts';
import { initializerBase, type Initializer } from '../initializers.ts';
import type { Params } from '../trace.ts';
import { validate } from '../validate.ts';

export type Activation = (x: Tensor) => Tensor;
export const identity: Activation = (x) => x;

/** The size of the last axis, which parameter shapes are made of. */
export function lastDim(op: string, x: Tensor): number {
  const d = x.shape[x.ndim - 1];
  if (x.ndim === 0 || typeof d !== 'number')
    throw new ShapeError(op, `needs an input whose last axis has a known size, got ${formatType(x)}`, [formatType(x)]);
  return d;
}

export interface LinearOptions {
  useBias?: boolean;
  weightsInitializer?: Initializer;
  biasInitializer?: Initializer;
  activation?: Activation;
}

/** `act(x @ W + b)` with `params.weights: [x.shape[−1], outDim]`, `params.bias: [outDim]`. */
export const linear = flexible(function linear(params: Params, x: Tensor, outDim: number, opts: LinearOptions = {}): Tensor {
  const { useBias = true, weightsInitializer = initializerBase, biasInitializer = initializerBase, activation = identity } = opts;
  const w = validate(params.weights, [lastDim('zephyr.nets.linear', x), outDim], weightsInitializer);
  const z = matmul(x, w);
  return activation(useBias ? add(z, validate(params.bias, [outDim], biasInitializer)) : z);
});

export interface BranchLinearOptions {
  withBias?: boolean;
  weightsInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/**
 * `k` branches of the last axis `e`: one `linear` to `e·k` on the same params (`weights: [e, e·k]`,
 * `bias: [e·k]`), reshaped to `[..., k, e]`; branch j reads columns j·e … (j+1)·e − 1.
 */
export const branchLinear = flexible(function branchLinear(
  params: Params,
  x: Tensor,
  numBranches: number,
  opts: BranchLinearOptions = {},
): Tensor {
  const { withBias = true, weightsInitializer, biasInitializer } = opts;
  const e = lastDim('zephyr.nets.branchLinear', x);
  const z = linear(params, x, e * numBranches, { useBias: withBias, weightsInitializer, biasInitializer });
  return reshape(z, [...z.shape.slice(0, -1), numBranches, e]);
});
