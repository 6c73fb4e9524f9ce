import type { Operand } from './operand.ts';
import type { Tensor } from './tensor.ts';
import type { Tree } from './tree.ts';

/**
 * Static types for grad and valueAndGrad: the gradient has the tree structure of the argument it
 * differentiates, with a Tensor at every leaf (as in JAX, where grad returns a pytree like the
 * primal). Untyped trees (`Tree<…>`, `any`) stay untyped: mapping them member by member would
 * never end.
 */

type IsAny<T> = 0 extends 1 & T ? true : false;

/** A parameter type as a caller may fill it: every Tensor leaf also takes numbers and arrays. */
export type OperandsOf<T> =
  IsAny<T> extends true
    ? any
    : [Tree<Tensor>] extends [T]
      ? T | Tree<Operand>
      : T extends Tensor
        ? Operand
        : T extends readonly unknown[] | Record<string, unknown>
          ? { [K in keyof T]: OperandsOf<T[K]> }
          : T;

/** The gradient type of an argument of type T: the same tree, a Tensor at every leaf. */
export type GradOf<T> =
  IsAny<T> extends true
    ? any
    : [Tree<Tensor>] extends [T]
      ? Tree<Tensor>
      : T extends Operand
        ? Tensor
        : T extends readonly unknown[] | Record<string, unknown>
          ? { -readonly [K in keyof T]: GradOf<T[K]> }
          : T; // a tree node (a model class): its gradient is an instance of the same class

/** The gradients for `argnums` N: one tree, or a tuple of trees for a list of argnums. */
export type GradsOf<P extends readonly unknown[], N> = N extends number
  ? GradOf<P[N]>
  : N extends readonly number[]
    ? { -readonly [K in keyof N]: N[K] extends number ? GradOf<P[N[K]]> : never }
    : Tree<Tensor>;

/** The aux part of a `hasAux` function's result [output, aux]. */
export type AuxOf<R> = R extends readonly [unknown, infer A] ? A : Tree<Tensor>;

/** A function's argument list as a caller may fill it (its own types, or operands at Tensor leaves). */
export type ArgsOf<P extends readonly unknown[]> = P | { [K in keyof P]: OperandsOf<P[K]> };
