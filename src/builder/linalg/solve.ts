import { customVjp } from '../custom-vjp.ts';
import type { Operand } from '../operand.ts';
import { broadcastTo, reshape } from '../ops-shape.ts';
import type { Tensor } from '../tensor.ts';
import { luFactor } from './lu.ts';
import { batchDims, broadcastBatch, floatOperand, identityLike, matrixT, mm, permutationMatrix, shapeError, squareSize } from './matrix.ts';
import { triangularSolveCore } from './triangular.ts';

/** x = a⁻¹ b from P a = L U: U⁻¹ L⁻¹ P b (forward substitution with L, back substitution with U). */
function luSolve(lu: Tensor, permutation: Tensor, b: Tensor): Tensor {
  const y = triangularSolveCore(lu, mm(permutationMatrix(permutation), b), { leftSide: true, lower: true, transposeA: false, unitDiagonal: true });
  return triangularSolveCore(lu, y, { leftSide: true, lower: false, transposeA: false, unitDiagonal: false });
}

/**
 * a⁻¹ with the VJP of a matrix inverse, −a⁻ᵀ ḡ a⁻ᵀ: matmuls of its own result, so it
 * differentiates again to any order without another custom rule.
 */
const invRule = customVjp(
  (a: Tensor) => {
    const { lu, permutation } = luFactor(a);
    return luSolve(lu, permutation, identityLike(a));
  },
  (_inputs, x, g) => {
    const xT = matrixT(x);
    return mm(mm(xT, g), xT).neg();
  },
);

/**
 * The solve with the closed-form VJP of a linear solve (JAX's custom_linear_solve): b̄ = a⁻ᵀ ḡ,
 * ā = −b̄ xᵀ, with a⁻¹ from `invRule` (computed in the backward pass only, where its LU is the
 * forward pass's LU again, which simplify's CSE can share once both are inlined). Its rule is
 * matmuls, so this differentiates to any order and never differentiates (unrolls) a loop. a
 * [..., n, n] and b [..., n, k] share their batch dims.
 */
const solveRule = customVjp(
  (a: Tensor, b: Tensor) => {
    const { lu, permutation } = luFactor(a);
    return luSolve(lu, permutation, b);
  },
  ([a], x, g) => {
    const gb = mm(matrixT(invRule(a)), g);
    return [mm(gb, matrixT(x)).neg(), gb];
  },
);

/**
 * jax.numpy.linalg.solve: x with a · x = b, by LU with partial pivoting. a is [..., n, n]; b is
 * a vector [n] (result [..., n]) or a stack of matrices [..., n, k] (result [..., n, k]); batch
 * axes broadcast. A singular a gives inf or NaN entries, as in JAX; nothing is checked.
 *
 *     const x = ax.linalg.solve(a, b);   // a.matmul(x) ≈ b
 */
export function solve(a: Operand, b: Operand): Tensor {
  const fn = 'solve';
  const ta = floatOperand(fn, a);
  const tb = floatOperand(fn, b);
  const n = squareSize(fn, ta);
  if (tb.ndim === 1) {
    if (tb.shape[0] !== n) throw shapeError(fn, `b must have ${n} entries to match a's ${n} x ${n} matrices, got ${tb.shape[0]}`, [ta, tb]);
    const x = solveRule(ta, broadcastTo(reshape(tb, [n, 1]), [...batchDims(ta), n, 1]));
    return reshape(x, x.shape.slice(0, -1));
  }
  if (tb.ndim === 0 || tb.shape[tb.ndim - 2] !== n)
    throw shapeError(fn, `b must be a vector [${n}] or a stack of matrices [..., ${n}, k] to match a's ${n} x ${n} matrices`, [ta, tb]);
  const batch = broadcastBatch(fn, ta, tb, batchDims(tb));
  const k = tb.shape[tb.ndim - 1];
  return solveRule(broadcastTo(ta, [...batch, n, n]), broadcastTo(tb, [...batch, n, k]));
}

/**
 * jax.numpy.linalg.inv: a⁻¹ for a [..., n, n], as solve(a, I) by LU with partial pivoting. Its
 * VJP is −a⁻ᵀ ḡ a⁻ᵀ. A singular a gives inf or NaN entries.
 */
export function inv(a: Operand): Tensor {
  const ta = floatOperand('inv', a);
  squareSize('inv', ta);
  return invRule(ta);
}
