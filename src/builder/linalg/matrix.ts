import { formatType, isSymbol, ShapeError, type Shape } from '../../ir/index.ts';
import { broadcastShapes } from '../../ir/ops/broadcast.ts';
import { emit } from '../emit.ts';
import { callSite } from '../location.ts';
import { lift, liftF32, type Operand } from '../operand.ts';
import { where } from '../ops-binary.ts';
import { iota } from '../ops-create.ts';
import { sum } from '../ops-reduce.ts';
import { broadcastTo, pad, reshape, slice, swapaxes } from '../ops-shape.ts';
import type { Tensor } from '../tensor.ts';

/**
 * Matrix helpers shared by the linalg functions. Every function here works on stacks of
 * matrices `[..., m, n]` (any number of leading batch dims, symbolic ones included) and costs a
 * fixed, small number of primitives, so that the loops built from them stay cheap per trip.
 */

/** The linalg function's name as errors show it. */
export const opName = (fn: string): string => `linalg.${fn}`;

/** A ShapeError naming the linalg function and the operands' types. */
export const shapeError = (fn: string, why: string, operands: readonly Tensor[]): ShapeError =>
  new ShapeError(opName(fn), why, operands.map(formatType), callSite());

/** The operand as f32 (integers are promoted, as jnp.linalg does). */
export const floatOperand = (fn: string, x: Operand): Tensor => liftF32(opName(fn), x);

/**
 * Checks that `a` is a stack of square matrices of known size and returns that size: the loops
 * run one trip per row, so the size must be a number at trace time.
 */
export function squareSize(fn: string, a: Tensor): number {
  if (a.ndim < 2) throw shapeError(fn, `a must be a (stack of) square matrices [..., n, n], got rank ${a.ndim}`, [a]);
  const [m, n] = a.shape.slice(-2);
  if (isSymbol(m) || isSymbol(n))
    throw shapeError(fn, `a must have a known matrix size (its last two axes are ${m} x ${n}); batch axes may be symbolic`, [a]);
  if (m !== n) throw shapeError(fn, `a must be square in its last two axes, got ${m} x ${n}`, [a]);
  return n;
}

/** The leading (batch) dims of a stack of matrices. */
export const batchDims = (x: Tensor): Shape => x.shape.slice(0, -2);

/** The broadcast of two batch shapes, or a ShapeError naming both operands. */
export function broadcastBatch(fn: string, a: Tensor, b: Tensor, bBatch: Shape): Shape {
  try {
    return broadcastShapes(opName(fn), [
      { dtype: a.dtype, shape: batchDims(a) },
      { dtype: b.dtype, shape: bBatch },
    ]);
  } catch (e) {
    if (e instanceof ShapeError) throw shapeError(fn, `batch axes do not broadcast: ${e.detail}`, [a, b]);
    throw e;
  }
}

/** Swaps the last two axes. */
export const matrixT = (x: Tensor): Tensor => swapaxes(x, -1, -2);

/** Row indices [n, 1] and column indices [1, n] (i32): masks compare against them. */
export const rowIndex = (n: number): Tensor => iota('i32', [n, 1], 0);
export const colIndex = (n: number): Tensor => iota('i32', [1, n], 1);

/** The entries on or below diagonal k (k < 0: strictly below), zeros elsewhere (jnp.tril). */
export function tril(x: Tensor, k = 0): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return where(colIndex(n).sub(rowIndex(x.shape[x.ndim - 2] as number)).le(k), x, 0);
}

/** The entries on or above diagonal k (k > 0: strictly above), zeros elsewhere (jnp.triu). */
export function triu(x: Tensor, k = 0): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return where(colIndex(n).sub(rowIndex(x.shape[x.ndim - 2] as number)).ge(k), x, 0);
}

/** The main diagonal of each square matrix: [..., n, n] -> [..., n]. */
export function diagonal(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return sum(where(rowIndex(n).eq(colIndex(n)), x, 0), -1);
}

/** Identity matrices shaped like `x` ([..., n, n]). */
export function identityLike(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return broadcastTo(rowIndex(n).eq(colIndex(n)).astype('f32'), x.shape);
}

/**
 * lax-style gather of one index along `axis`, keeping the axis: `index` is an i32 [1], so
 * `pick(a, j, -1)` is column j as [..., n, 1]. Emitted directly (ax.take would add the
 * negative-index wrap, three more primitives per loop trip).
 */
export function pick(x: Tensor, index: Tensor, axis: number): Tensor {
  const [t, i] = inCurrentTrace('pick', [x, index]);
  return emit(t.ctx, 'gather', [t, i], { axis: axis < 0 ? axis + x.ndim : axis });
}

/**
 * The operands as tensors of the innermost trace: inside a loop body, tensors of the enclosing
 * function become body inputs (what the ax functions do for their operands).
 */
function inCurrentTrace(fn: string, xs: readonly Tensor[]): Tensor[] {
  return xs.map((x) => lift(opName(fn), x));
}

/**
 * Σ_k x[..., k at xAxis] y[..., k at yAxis] for operands with the same batch dims (all but their
 * last two axes): one dot_general, whose result is [...batch, x's free axis, y's free axis].
 */
export function contract(x: Tensor, y: Tensor, xAxis: number, yAxis: number): Tensor {
  const nb = x.ndim - 2;
  const batch = [...Array(nb).keys()];
  const [tx, ty] = inCurrentTrace('contract', [x, y]);
  return emit(tx.ctx, 'dot_general', [tx, ty], {
    lhs_contracting: [xAxis < 0 ? xAxis + x.ndim : xAxis],
    rhs_contracting: [yAxis < 0 ? yAxis + y.ndim : yAxis],
    lhs_batch: batch,
    rhs_batch: batch,
  });
}

/** x @ y for stacks with the same batch dims (no broadcast copies). */
export const mm = (x: Tensor, y: Tensor): Tensor => contract(x, y, -1, -2);

/**
 * The product over the last axis, with no product primitive: a pairwise tree of multiplies
 * (padded with ones to a power of two), ⌈log2 n⌉ levels of two slices and a multiply, so it is
 * exact for products of signs and ±0, and differentiable by the primitives' own rules.
 */
export function prodLastAxis(x: Tensor): Tensor {
  const axis = x.ndim - 1;
  let t = x;
  let n = x.shape[axis] as number;
  if (n === 0) return sum(t, -1).add(1);
  let width = 1;
  while (width < n) width *= 2;
  if (width > n) t = pad(t, x.shape.map((_, i) => (i === axis ? [0, width - n] : [0, 0])) as [number, number][], 1);
  for (n = width; n > 1; n /= 2) {
    const starts = t.shape.map(() => 0);
    const half = n / 2;
    const lo = slice(t, starts, t.shape.map((d, i) => (i === axis ? half : d)));
    const hi = slice(t, starts.map((_, i) => (i === axis ? half : 0)), t.shape);
    t = lo.mul(hi);
  }
  return reshape(t, x.shape.slice(0, -1));
}

/**
 * The one-hot matrices of a stack of permutations: for perm [..., 1, n], P[..., i, r] =
 * (perm[i] == r), so (P @ a)[i] = a[perm[i]] and Pᵀ undoes it.
 */
export function permutationMatrix(perm: Tensor): Tensor {
  const n = perm.shape[perm.ndim - 1] as number;
  return matrixT(perm).eq(colIndex(n)).astype('f32');
}

/**
 * The sign of each permutation in a stack [..., 1, n] as f32 ±1: (−1) to the number of
 * inversions (pairs i < k with perm[i] > perm[k]), counted in one [..., n, n] comparison.
 */
export function permutationSign(perm: Tensor): Tensor {
  const n = perm.shape[perm.ndim - 1] as number;
  const inverted = matrixT(perm).gt(perm).and(rowIndex(n).lt(colIndex(n)));
  const count = sum(inverted, [-2, -1]);
  return count.mod(2).astype('f32').mul(-2).add(1);
}
