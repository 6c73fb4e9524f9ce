import { customVjp } from '../custom-vjp.ts';
import { loop } from '../loop.ts';
import type { Operand } from '../operand.ts';
import { where } from '../ops-binary.ts';
import { zeros } from '../ops-create.ts';
import { any } from '../ops-reduce.ts';
import { rsqrt } from '../ops-unary.ts';
import type { Tensor } from '../tensor.ts';
import { colIndex, floatOperand, matrixT, mm, pick, rowIndex, squareSize, tril } from './matrix.ts';
import { triangularInverse } from './triangular.ts';

/**
 * The lower Cholesky factor by the right-looking (outer-product) algorithm, one column per trip:
 * column j is the current column over sqrt of its diagonal entry, and its outer product is taken
 * out of the trailing matrix. Only the lower triangle is read and kept correct; the upper one
 * holds leftovers, cleared at the end. Twelve primitives per trip.
 *
 * A matrix that is not positive definite meets a pivot ≤ 0 (or NaN): sqrt gives NaN, which
 * spreads. As JAX does (LAPACK potrf's failure mapped to NaN), such a matrix comes out all NaN.
 */
function choleskyFactor(a: Tensor): Tensor {
  const n = a.shape[a.ndim - 1] as number;
  const rows = rowIndex(n);
  const cols = colIndex(n);
  const [factored] = loop(
    n,
    ([s, j]: [Tensor, Tensor]) => {
      const column = pick(s, j, -1); // [..., n, 1]
      const pivot = pick(column, j, -2); // [..., 1, 1]
      const l = column.mul(rsqrt(pivot));
      const lBelow = where(rows.ge(j), l, 0);
      // Columns k ≥ j lose l lᵀ; column j then stores l (its rows above j are leftovers).
      const trailing = s.sub(l.mul(matrixT(lBelow)));
      return [where(cols.eq(j), l, trailing), j.add(1)];
    },
    [a, zeros([1], 'i32')],
  );
  const l = tril(factored);
  const failed = any(l.ne(l), [-2, -1], true);
  return where(failed, NaN, l);
}

/** x with the diagonal halved: Φ of Murray (2016), the map JAX's Cholesky JVP rule uses. */
function halveDiagonal(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return where(rowIndex(n).eq(colIndex(n)), x.mul(0.5), x);
}

/**
 * Cholesky of a symmetric input with the closed-form VJP, JAX's JVP rule
 * L̇ = L Φ(L⁻¹ Σ̇ L⁻ᵀ) transposed: Σ̄ = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, with L⁻¹ from `triangularInverse` (one
 * loop, in the backward pass only; its own rule is matmuls, so this differentiates to any order).
 * The rule holds for symmetric perturbations, which is why `cholesky` symmetrizes its input
 * first: the symmetrization's own VJP then makes the gradient symmetric.
 */
const choleskyRule = customVjp(
  (a: Tensor) => choleskyFactor(a),
  (_inputs, l, g) => {
    const lInv = triangularInverse(l, true, false);
    return mm(mm(matrixT(lInv), halveDiagonal(tril(mm(matrixT(l), g)))), lInv);
  },
);

export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (a = Uᵀ U) instead of the lower one. */
  upper?: boolean;
}

/**
 * jax.numpy.linalg.cholesky: the lower-triangular L with a = L Lᵀ for a symmetric positive
 * definite `a` [..., n, n] (the upper factor with `upper`). The input is symmetrized first,
 * (a + aᵀ) / 2, as JAX does by default. A matrix that is not positive definite gives a matrix of
 * NaNs (JAX's convention; no exception).
 *
 *     const l = ax.linalg.cholesky(a);   // l.matmul(l.T) ≈ a
 */
export function cholesky(a: Operand, opts: CholeskyOptions = {}): Tensor {
  const ta = floatOperand('cholesky', a);
  squareSize('cholesky', ta);
  const l = choleskyRule(ta.add(matrixT(ta)).mul(0.5));
  return opts.upper ? matrixT(l) : l;
}
