import { abs as absOf, clip, less, greaterEqual, maximum, minimum, where, add, type Operand, type Tensor } from '../../builder/index.ts';
import { identity as straightThrough, sign, type Unary } from './vjp.ts';

/** Heaviside step with H(0) = 1 (decision D-PN-5); NaN stays NaN. */
export function heaviside(x: Tensor): Tensor {
  return where(greaterEqual(x, 0), 1, where(less(x, 0), 0, x));
}

/** `H(x)` forward, straight-through backward: the firing of a neuron. */
export const binary: Unary = straightThrough(heaviside);

/** `max(x, 0)`, straight-through backward (no dying units). */
export const relu: Unary = straightThrough((x) => maximum(x, 0));

/** `min(max(x, 0), n)`, straight-through backward. */
export const relun = (n: number): Unary => straightThrough((x) => minimum(maximum(x, 0), n));

/** `clip(x, 0, 1)`, straight-through backward. */
export const relu1: Unary = relun(1);

/**
 * `binary(x) + relu1(x)` ∈ {0} ∪ [1, 2]: firing and rate. The sum itself is straight-through, so
 * its VJP is `ȳ`, not the `2ȳ` the two straight-through terms would give.
 */
export const vector: Unary = straightThrough((x) => add(heaviside(x), clip(x, 0, 1)));

/** `|x|` with the VJP `ȳ · sign(x)` (0 at x = 0), as `mae` uses it. */
export const abs: Unary = sign((x) => absOf(x));

/** The identity function (ordinary VJP). */
export const identity = <T extends Operand>(x: T): T => x;
