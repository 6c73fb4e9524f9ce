import { customVjp } from '../custom-vjp.ts';
import { loop } from '../loop.ts';
import type { Operand } from '../operand.ts';
import { full } from '../ops-create.ts';
import { broadcastTo, reshape } from '../ops-shape.ts';
import type { Tensor } from '../tensor.ts';
import {
  batchDims, broadcastBatch, diagonal, floatOperand, identityLike, matrixT, mm, pick, shapeError, squareSize, tril, triu,
} from './matrix.ts';

/** jax.lax.linalg.triangular_solve's options, with its defaults (all false). */
export interface TriangularSolveOptions {
  /** Solve op(a) · x = b when true; x · op(a) = b when false (the default, as in lax). */
  leftSide?: boolean;
  /** Read the lower triangle of a when true; the upper one when false (the default). The other triangle is ignored. */
  lower?: boolean;
  /** op(a) = aᵀ when true; a when false. */
  transposeA?: boolean;
  /** Take the diagonal of a to be ones (it is not read). */
  unitDiagonal?: boolean;
}

type Options = Required<TriangularSolveOptions>;

/**
 * x with (I + N) x = b for a strictly triangular N, by substitution one column of N per trip:
 * forward (j = 0, 1, …) for a lower N, backward (j = n − 1, …, 0) for an upper one. After trip j,
 * row j of x is final and its part is taken out of the rows still to come (x -= N[:, j] x[j, :];
 * N[:, j] is zero on the rows already done, so no mask is needed). Five primitives per trip: two
 * gathers, a multiply, a subtract and the counter. N: [..., n, n], b: [..., n, k].
 */
function unitSubstitution(strict: Tensor, b: Tensor, lower: boolean): Tensor {
  const n = strict.shape[strict.ndim - 1] as number;
  const [x] = loop(
    n,
    ([x, j]: [Tensor, Tensor]) => {
      const column = pick(strict, j, -1); // [..., n, 1]
      const row = pick(x, j, -2); // [..., 1, k]
      return [x.sub(column.mul(row)), j.add(lower ? 1 : -1)];
    },
    [b, full([1], lower ? 0 : n - 1, 'i32')],
  );
  return x;
}

/**
 * x with t x = b for a triangular t (only the `lower` or upper triangle is read). Rows are divided
 * by the diagonal first, (D⁻¹ t) x = D⁻¹ b, so that the loop has a unit diagonal and no division.
 */
function triangularLeftSolve(t: Tensor, b: Tensor, lower: boolean, unitDiagonal: boolean): Tensor {
  const strict = lower ? tril(t, -1) : triu(t, 1);
  if (unitDiagonal) return unitSubstitution(strict, b, lower);
  const d = diagonal(t);
  const rowScale = reshape(d, [...d.shape, 1]);
  return unitSubstitution(strict.div(rowScale), b.div(rowScale), lower);
}

/**
 * The solve itself, every case reduced to a left-side one: x op(a) = b is op(a)ᵀ xᵀ = bᵀ, and
 * op(a) = aᵀ swaps the triangles. a and b share their batch dims. No VJP of its own: callers
 * differentiate through `triangularSolve`'s rule.
 */
export function triangularSolveCore(a: Tensor, b: Tensor, o: Options): Tensor {
  if (!o.leftSide) return matrixT(triangularSolveCore(a, matrixT(b), { ...o, leftSide: true, transposeA: !o.transposeA }));
  return triangularLeftSolve(o.transposeA ? matrixT(a) : a, b, o.lower !== o.transposeA, o.unitDiagonal);
}

/**
 * The inverse of a's triangle t (the `lower` or upper one, with ones on the diagonal when
 * `unitDiagonal`), with the VJP of a matrix inverse, t̄ = −xᵀ ḡ xᵀ restricted to that triangle.
 * The rule is matmuls of its own result, so it differentiates again to any order without
 * another custom rule: it is what the other rules call when they need t⁻¹, so that none of them
 * recurses (customVjp traces a rule when it is called, so a rule calling itself never ends).
 */
export function triangularInverse(a: Tensor, lower: boolean, unitDiagonal: boolean): Tensor {
  return triangularInverseRule(lower, unitDiagonal)(a);
}

function triangularInverseRule(lower: boolean, unitDiagonal: boolean): (a: Tensor) => Tensor {
  const triangle = (x: Tensor) => (lower ? tril(x, unitDiagonal ? -1 : 0) : triu(x, unitDiagonal ? 1 : 0));
  return customVjp(
    (a: Tensor) => triangularSolveCore(a, identityLike(a), { leftSide: true, lower, transposeA: false, unitDiagonal }),
    (_inputs, x, g) => triangle(mm(mm(matrixT(x), g), matrixT(x)).neg()),
  );
}

/**
 * The solve with its closed-form VJP (JAX's transpose rule for b, its JVP rule for a, transposed):
 * with r = t⁻¹ the inverse of a's triangle t, b̄ = op(r)ᵀ ḡ (left side) or ḡ op(r)ᵀ (right side),
 * and op(a)'s cotangent is −b̄ xᵀ (left) or −xᵀ b̄ (right), restricted to the triangle read.
 * r comes from `triangularInverse` (one loop, in the backward pass only), so the rule is matmuls
 * of results and rules that need no further rule: it differentiates to any order and never
 * differentiates (unrolls) a loop.
 */
function triangularSolveRule(o: Options): (a: Tensor, b: Tensor) => Tensor {
  return customVjp(
    (a: Tensor, b: Tensor) => triangularSolveCore(a, b, o),
    ([a], x, g) => {
      const r = triangularInverse(a, o.lower, o.unitDiagonal);
      const opR = o.transposeA ? matrixT(r) : r;
      const gb = o.leftSide ? mm(matrixT(opR), g) : mm(g, matrixT(opR));
      const gOp = (o.leftSide ? mm(gb, matrixT(x)) : mm(matrixT(x), gb)).neg();
      const ga = o.transposeA ? matrixT(gOp) : gOp;
      const offset = o.unitDiagonal ? 1 : 0;
      return [o.lower ? tril(ga, -offset) : triu(ga, offset), gb];
    },
  );
}

/**
 * jax.lax.linalg.triangular_solve: x with op(a) · x = b (`leftSide`) or x · op(a) = b (the
 * default), for a triangular `a` [..., m, m] and b [..., m, k] (left side) or [..., k, m]
 * (right side). Only the triangle `lower` names is read (and not its diagonal with
 * `unitDiagonal`). Batch axes broadcast (lax wants them equal). A zero on the diagonal gives
 * inf/NaN, as LAPACK's trsm does; nothing is checked.
 *
 *     const x = ax.linalg.triangularSolve(l, b, { leftSide: true, lower: true }); // l x = b
 */
export function triangularSolve(a: Operand, b: Operand, opts: TriangularSolveOptions = {}): Tensor {
  const fn = 'triangularSolve';
  const o: Options = {
    leftSide: opts.leftSide ?? false,
    lower: opts.lower ?? false,
    transposeA: opts.transposeA ?? false,
    unitDiagonal: opts.unitDiagonal ?? false,
  };
  const ta = floatOperand(fn, a);
  const tb = floatOperand(fn, b);
  const m = squareSize(fn, ta);
  if (tb.ndim < 2)
    throw shapeError(fn, `b must be a (stack of) matrices, [..., ${m}, k] with leftSide or [..., k, ${m}] without; got rank ${tb.ndim}`, [ta, tb]);
  const [rows, cols] = tb.shape.slice(-2);
  if ((o.leftSide ? rows : cols) !== m)
    throw shapeError(
      fn,
      o.leftSide
        ? `op(a) · x = b needs b with ${m} rows ([..., ${m}, k]), got ${rows} x ${cols}`
        : `x · op(a) = b needs b with ${m} columns ([..., k, ${m}]), got ${rows} x ${cols}`,
      [ta, tb],
    );
  const batch = broadcastBatch(fn, ta, tb, batchDims(tb));
  return triangularSolveRule(o)(broadcastTo(ta, [...batch, m, m]), broadcastTo(tb, [...batch, rows, cols]));
}
