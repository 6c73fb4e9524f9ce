import { customVjp, multiply, sign as signOf, type Operand, type Tensor } from '../../builder/index.ts';

/** A one-input function of tensors, as the VJP decorators take and return it. */
export type Unary = (x: Operand) => Tensor;

/**
 * `identity(f)`: `f` with a straight-through VJP, `x̄ = ȳ` (SEMANTICS 1.3). `f` must keep the
 * shape of its input.
 */
export function identity(f: (x: Tensor) => Tensor): Unary {
  const wrapped = customVjp((x: Tensor) => f(x), (_inputs, _output, cotangent) => cotangent);
  return (x) => wrapped(x);
}

/** `sign(f)`: `f` with the VJP `x̄ = ȳ · sign(x)` (0 at x = 0). */
export function sign(f: (x: Tensor) => Tensor): Unary {
  const wrapped = customVjp((x: Tensor) => f(x), ([x], _output, cotangent) => multiply(cotangent, signOf(x)));
  return (x) => wrapped(x);
}
