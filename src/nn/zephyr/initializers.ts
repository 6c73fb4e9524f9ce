import { clip, divide, multiply, add, log, ones as onesOf, random, zeros as zerosOf, type Operand, type Tensor } from '../../builder/index.ts';
import { ShapeError } from '../../ir/index.ts';

/** `initializer(key, shape)`: the initial value of a parameter (runs inside a trace). */
export type Initializer = (key: Operand, shape: readonly number[]) => Tensor;

export const zeros: Initializer = (_key, shape) => zerosOf(shape);
export const ones: Initializer = (_key, shape) => onesOf(shape);
/** U[0, 1). */
export const uniform: Initializer = (key, shape) => random.uniform(key, shape);
/** N(0, 1). */
export const normal: Initializer = (key, shape) => random.normal(key, shape);

/** N(0, 1) / √shape[−1]. */
export const normalScaledByRsqrt: Initializer = (key, shape) => {
  if (shape.length === 0) throw new ShapeError('zephyr.normalScaledByRsqrt', 'needs a shape of rank 1 or more', ['[]']);
  return divide(random.normal(key, shape), Math.sqrt(shape[shape.length - 1]));
};

/** erf(√2) = P(|Z| < 2) for a standard normal Z. */
const ERF_SQRT2 = 0.9544997361036416;
/** The largest float32 below 2: the clip that keeps values inside the open interval (−2, 2). */
const BELOW_TWO = 2 - 2 ** -22;

/**
 * erfinv on |x| ≤ erf(√2), Giles' single-precision polynomial for its central branch
 * (w = −ln(1 − x²) < 5, which holds here: w ≤ 2.42).
 */
function erfinvCentral(x: Tensor): Tensor {
  const w = add(log(multiply(add(1, x.neg()), add(1, x))).neg(), -2.5);
  const coefficients = [
    2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 2.1858087e-4, -1.25372503e-3, -4.17768164e-3,
    2.46640727e-1, 1.50140941,
  ];
  let p: Tensor | number = coefficients[0];
  for (const c of coefficients.slice(1)) p = add(multiply(p, w), c);
  return multiply(p, x);
}

/**
 * Standard normal restricted to (−2, 2), by the inverse CDF: z = √2·erfinv(u) with u uniform on
 * (−erf(√2), erf(√2)). Every value lies strictly inside (−2, 2).
 */
export const truncatedNormal: Initializer = (key, shape) => {
  const u = random.uniform(key, shape, { min: -ERF_SQRT2, max: ERF_SQRT2 });
  return clip(multiply(erfinvCentral(u), Math.SQRT2), -BELOW_TWO, BELOW_TWO);
};

/**
 * zephyr's default: rank ≥ 2 → truncated normal scaled by 1/√shape[0] (values in (−2s, 2s), std
 * 0.879626·s; shape[0] is the fan-in of a dense weight, the kernel size of a conv weight, as
 * upstream); rank < 2 → zeros.
 */
export const initializerBase: Initializer = (key, shape) =>
  shape.length >= 2 ? multiply(truncatedNormal(key, shape), 1 / Math.sqrt(shape[0])) : zerosOf(shape);
