import { customVjp } from '../custom-vjp.ts';
import { loop } from '../loop.ts';
import type { Operand } from '../operand.ts';
import { where } from '../ops-binary.ts';
import { full, zeros } from '../ops-create.ts';
import { max, min } from '../ops-reduce.ts';
import type { Tensor } from '../tensor.ts';
import {
  batchDims, colIndex, contract, floatOperand, identityLike, matrixT, mm, permutationMatrix, pick, rowIndex, squareSize, tril, triu,
} from './matrix.ts';
import { triangularInverse } from './triangular.ts';

/** A packed LU factorization: P a = L U with P = eye[permutation]. */
export interface LuFactors {
  /** [..., n, n]: U on and above the diagonal, L's multipliers below it (L's unit diagonal is implicit). */
  lu: Tensor;
  /** i32 [..., 1, n]: row i of P a is row permutation[i] of a. */
  permutation: Tensor;
}

/**
 * Gaussian elimination with partial pivoting, one column per trip. Rows are not swapped: each
 * trip picks, among the rows not yet used as pivots, the first one with the largest |entry| in
 * column j (LAPACK's choice), records it in the permutation, and eliminates column j from the
 * other free rows, storing their multipliers in column j. Row permutation[j] then holds row j of
 * the packed factors, and one permutation matmul at the end puts the rows in order. About 28
 * primitives per trip, all elementwise or [..., n]-vector work except one matrix update.
 *
 * A zero pivot (a singular column) skips the division, as LAPACK's getrf does, so a singular
 * matrix gives finite factors with a zero on U's diagonal: det 0, slogdet (0, -inf). A NaN in the
 * column is taken as the pivot, so NaN inputs give NaN factors.
 */
export function luFactor(a: Tensor): LuFactors {
  const n = a.shape[a.ndim - 1] as number;
  const batch = batchDims(a);
  const rows = rowIndex(n);
  const cols = colIndex(n);
  const [reduced, , permutation] = loop(
    n,
    ([s, free, perm, j]: [Tensor, Tensor, Tensor, Tensor]) => {
      const column = pick(s, j, -1); // [..., n, 1]
      const magnitude = where(free, column.abs(), -1);
      const best = max(magnitude, -2, true); // [..., 1, 1]
      const hit = magnitude.eq(best).or(magnitude.ne(magnitude));
      const p = min(where(hit, rows, n), -2, true); // [..., 1, 1] i32
      const isPivot = rows.eq(p); // [..., n, 1]
      const pivotRow = contract(isPivot.astype('f32'), s, -2, -2); // [..., 1, n]: row p
      const pivot = pick(pivotRow, j, -1); // [..., 1, 1]
      const stillFree = free.and(rows.ne(p));
      const eliminated = stillFree.and(pivot.ne(0));
      const ratio = column.div(pivot);
      const multipliers = where(eliminated, ratio, 0);
      const updated = s.sub(multipliers.mul(where(cols.gt(j), pivotRow, 0)));
      const isColumnJ = cols.eq(j);
      const next = where(isColumnJ, where(eliminated, ratio, column), updated);
      return [next, stillFree, where(isColumnJ, p, perm), j.add(1)];
    },
    [a, full([...batch, n, 1], true, 'bool'), zeros([...batch, 1, n], 'i32'), zeros([1], 'i32')],
  );
  return { lu: mm(permutationMatrix(permutation), reduced), permutation };
}

/**
 * LU with the closed-form VJP: JAX's JVP rule (F = L⁻¹ P ȧ U⁻¹, L̇ = L tril₋₁(F), U̇ = triu(F) U)
 * transposed: ā = Pᵀ L⁻ᵀ (tril₋₁(Lᵀ ḡ) + triu(ḡ Uᵀ)) U⁻ᵀ, with L⁻¹ and U⁻¹ from
 * `triangularInverse` (two loops, in the backward pass only; their rules are matmuls, so this
 * differentiates to any order). det and slogdet are differentiated through it, which gives their
 * textbook rules (det · a⁻ᵀ, a⁻ᵀ).
 */
const luRule = customVjp(
  (a: Tensor) => {
    const { lu, permutation } = luFactor(a);
    return [lu, permutation];
  },
  (_inputs, [lu, permutation], [g]) => {
    const lInv = triangularInverse(lu, true, true);
    const uInv = triangularInverse(lu, false, false);
    const l = tril(lu, -1).add(identityLike(lu));
    const u = triu(lu);
    const m = tril(mm(matrixT(l), g), -1).add(triu(mm(g, matrixT(u))));
    return mm(matrixT(permutationMatrix(permutation)), mm(mm(matrixT(lInv), m), matrixT(uInv)));
  },
);

/**
 * jax.lax.linalg.lu for square matrices: the packed factors of P a = L U with partial pivoting,
 * and the permutation (P = eye[permutation]) as i32 [..., n]. LAPACK's swap list (`pivots`) is
 * not returned. Singular matrices give a zero on U's diagonal, not an error.
 */
export function lu(a: Operand): { lu: Tensor; permutation: Tensor } {
  const ta = floatOperand('lu', a);
  squareSize('lu', ta);
  const [factors, permutation] = luRule(ta);
  return { lu: factors, permutation: permutation.reshape([...batchDims(ta), ta.shape[ta.ndim - 1]]) };
}

/** The factors with their VJP, permutation kept as [..., 1, n], for det and slogdet. */
export function luWithVjp(a: Tensor): LuFactors {
  const [factors, permutation] = luRule(a);
  return { lu: factors, permutation };
}
