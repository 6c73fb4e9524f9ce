import type { Operand } from '../operand.ts';
import { where } from '../ops-binary.ts';
import { sum } from '../ops-reduce.ts';
import { sign } from '../ops-unary.ts';
import type { Tensor } from '../tensor.ts';
import { luWithVjp } from './lu.ts';
import { diagonal, floatOperand, permutationSign, prodLastAxis, squareSize } from './matrix.ts';

/**
 * jax.numpy.linalg.det for a [..., n, n]: sign(P) · Π U_ii from the LU factorization (the
 * product as a multiply tree, since there is no product primitive). Its gradient, through LU's
 * rule, is det · a⁻ᵀ. A singular matrix gives exactly 0 (its gradient is then inf/NaN, where
 * JAX's cofactor rule gives the adjugate).
 */
export function det(a: Operand): Tensor {
  const ta = floatOperand('det', a);
  squareSize('det', ta);
  const { lu, permutation } = luWithVjp(ta);
  return permutationSign(permutation).mul(prodLastAxis(diagonal(lu)));
}

/** slogdet's result: det = sign · exp(logabsdet). */
export interface SlogdetResult {
  /** ±1, or 0 for a singular matrix. */
  sign: Tensor;
  /** log |det|; -inf for a singular matrix. */
  logabsdet: Tensor;
}

/**
 * jax.numpy.linalg.slogdet for a [..., n, n]: the sign and log |det| from the LU diagonal,
 * log |det| = Σ log |U_ii| (no overflow where det itself would), sign = sign(P) · Π sign(U_ii).
 * The gradient of logabsdet is a⁻ᵀ (through LU's rule); sign has none.
 */
export function slogdet(a: Operand): SlogdetResult {
  const ta = floatOperand('slogdet', a);
  squareSize('slogdet', ta);
  const { lu, permutation } = luWithVjp(ta);
  const d = diagonal(lu);
  const signs = permutationSign(permutation).mul(prodLastAxis(sign(d)));
  // A singular matrix's sign is +0, as JAX's (the product may give −0).
  return { sign: where(signs.eq(0), 0, signs), logabsdet: sum(d.abs().log(), -1) };
}
