import { add, mean, multiply, rsqrt, square, subtract, type Tensor } from '../../../builder/index.ts';
import { normalizeAxis } from '../../../builder/axes.ts';
import { flexible } from '../holes.ts';
import { ones, zeros, type Initializer } from '../initializers.ts';
import type { Params } from '../trace.ts';
import { validate } from '../validate.ts';
import { identity, type Activation } from './linear.ts';

export interface LayerNormOptions {
  createScale?: boolean;
  createOffset?: boolean;
  eps?: number;
  scaleInitializer?: Initializer;
  offsetInitializer?: Initializer;
  activation?: Activation;
}

/**
 * `act(scale · (x − μ)/√(v + eps) + offset)` over one axis, with the population variance `v`.
 * `params.scale` and `params.offset` have x's rank, `x.shape[axis]` on `axis` and 1 elsewhere.
 */
export const layerNorm = flexible(function layerNorm(params: Params, x: Tensor, axis: number, opts: LayerNormOptions = {}): Tensor {
  const {
    createScale = true, createOffset = true, eps = 1e-16, scaleInitializer = ones, offsetInitializer = zeros, activation = identity,
  } = opts;
  const a = normalizeAxis('zephyr.nets.layerNorm', axis, x.ndim, x);
  const centered = subtract(x, mean(x, a, true));
  let y = multiply(centered, rsqrt(add(mean(square(centered), a, true), eps)));
  const shape = x.shape.map((d, i) => (i === a ? d : 1));
  if (createScale) y = multiply(y, validate(params.scale, shape, scaleInitializer));
  if (createOffset) y = add(y, validate(params.offset, shape, offsetInitializer));
  return activation(y);
});
