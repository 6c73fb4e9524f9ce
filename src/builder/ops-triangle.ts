import { formatType, isSymbol, ShapeError, type Dim } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, scalar, type Operand } from './operand.ts';
import { reshape, slice } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';

/** NumPy's tril, triu and diag: masks built from iotas, and a strided slice of the flattened matrix. */

const fail = (op: string, x: Tensor, why: string) => new ShapeError(op, why, [formatType(x)], callSite());

function checkOffset(op: string, x: Tensor, k: number): void {
  if (!Number.isInteger(k)) throw fail(op, x, `the diagonal offset k must be an integer, got ${k}`);
}

/** i32[n, m]: column index minus row index (which diagonal each element is on). */
function diagonalIndex(x: Tensor, n: Dim, m: Dim): Tensor {
  const ctx = x.ctx;
  const rows = emit(ctx, 'iota', [], { shape: [n, m], dimension: 0, dtype: 'i32' });
  const cols = emit(ctx, 'iota', [], { shape: [n, m], dimension: 1, dtype: 'i32' });
  return emit(ctx, 'sub', [cols, rows], {});
}

/** x where the mask over its last two axes holds, zero elsewhere. */
function keepWhere(op: string, x: Operand, k: number, keep: 'le' | 'ge'): Tensor {
  const t = lift(op, x);
  checkOffset(op, t, k);
  if (t.ndim < 2) throw fail(op, t, 'needs an array of rank 2 or more (a matrix, or a stack of them)');
  const [n, m] = t.shape.slice(-2);
  const mask = emit(t.ctx, keep, [diagonalIndex(t, n, m), scalar(t.ctx, k, 'i32')], {});
  return emit(t.ctx, 'select', [mask, t, scalar(t.ctx, 0, t.dtype)], {});
}

/** NumPy's tril: the elements on and below the k-th diagonal (k > 0 above the main one), zeros above. */
export const tril = (x: Operand, k = 0): Tensor => keepWhere('tril', x, k, 'le');

/** NumPy's triu: the elements on and above the k-th diagonal, zeros below. */
export const triu = (x: Operand, k = 0): Tensor => keepWhere('triu', x, k, 'ge');

/**
 * NumPy's diag: a 1-D array v becomes the square matrix with v on its k-th diagonal (size
 * len(v) + |k|); a 2-D array gives its k-th diagonal as a 1-D array.
 */
export function diag(x: Operand, k = 0): Tensor {
  const t = lift('diag', x);
  checkOffset('diag', t, k);
  if (t.ndim === 1) return diagMatrix(t, k);
  if (t.ndim === 2) return diagonal(t, k);
  throw fail('diag', t, 'needs a 1-D array (to build a matrix) or a 2-D one (to read a diagonal)');
}

function diagMatrix(v: Tensor, k: number): Tensor {
  const ctx = v.ctx;
  const [n] = v.shape;
  if (isSymbol(n) && k !== 0) throw fail('diag', v, `an offset diagonal needs a known length, got ${n}`);
  const size: Dim = isSymbol(n) ? n : n + Math.abs(k);
  const padded = k === 0 ? v : emit(ctx, 'pad', [v], { low: [0], high: [Math.abs(k)], value: 0 });
  // Row i of the k-th diagonal (k >= 0) holds v[i]; column j of a k < 0 one holds v[j].
  const spread = emit(ctx, 'broadcast_in_dim', [padded], { shape: [size, size], dims: [k >= 0 ? 0 : 1] });
  const onDiagonal = emit(ctx, 'eq', [diagonalIndex(v, size, size), scalar(ctx, k, 'i32')], {});
  return emit(ctx, 'select', [onDiagonal, spread, scalar(ctx, 0, v.dtype)], {});
}

function diagonal(x: Tensor, k: number): Tensor {
  const [n, m] = x.shape;
  if (isSymbol(n) || isSymbol(m)) throw fail('diag', x, 'reading a diagonal needs a matrix of known size');
  // The k-th diagonal of x is the main diagonal of the block right of (k >= 0) or below it.
  const rows = k >= 0 ? n : Math.max(n + k, 0);
  const cols = k >= 0 ? Math.max(m - k, 0) : m;
  const length = Math.min(rows, cols);
  if (length === 0) return emit(x.ctx, 'constant', [], { shape: [0], dtype: x.dtype, value: [0] });
  const block = slice(x, [k >= 0 ? 0 : -k, k >= 0 ? k : 0], [k >= 0 ? rows : n, m]);
  // In the row-major block the main diagonal is every (cols + 1)-th element.
  return slice(reshape(block, [rows * cols]), [0], [(length - 1) * (cols + 1) + 1], [cols + 1]);
}
