import { relu, type Tensor } from '../../../builder/index.ts';
import { flexible } from '../holes.ts';
import type { Initializer } from '../initializers.ts';
import type { Params } from '../trace.ts';
import { identity, linear, type Activation } from './linear.ts';

export interface MlpOptions {
  /** After every layer but the last (default relu). */
  activation?: Activation;
  /** After the last layer (default identity). */
  activationFinal?: Activation;
  useBias?: boolean;
  weightInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** Layers `params[i]` = `linear` to `outDims[i]`, i = 0 … m−1. */
export const mlp = flexible(function mlp(params: Params, x: Tensor, outDims: readonly number[], opts: MlpOptions = {}): Tensor {
  const { activation = relu, activationFinal = identity, useBias = true, weightInitializer, biasInitializer } = opts;
  let h = x;
  outDims.forEach((outDim, i) => {
    const last = i === outDims.length - 1;
    h = linear(params[i], h, outDim, {
      useBias,
      weightsInitializer: weightInitializer,
      biasInitializer,
      activation: last ? activationFinal : activation,
    });
  });
  return h;
});
