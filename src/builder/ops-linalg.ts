import { formatType, ShapeError, type DType } from '../ir/index.ts';
import { broadcastShapes } from '../ir/ops/broadcast.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { astypeIn, liftAll, type Operand } from './operand.ts';
import { multiply } from './ops-binary.ts';
import { broadcastTo, expandDims, ravel, squeeze } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';
import type { TraceContext } from './trace-context.ts';

/**
 * Operands of a contraction, promoted together (an integer with a float operand gives f32,
 * decision D-PN-6); bool counts as i32, since dot_general does not multiply bools.
 */
export function contractionOperands(op: string, xs: readonly Operand[]): { ctx: TraceContext; tensors: Tensor[] } {
  const { ctx, tensors, dtype } = liftAll(op, xs);
  const d: DType = dtype === 'bool' ? 'i32' : dtype;
  return { ctx, tensors: tensors.map((t) => astypeIn(ctx, t, d)) };
}

function contracted(ctx: TraceContext, x: Tensor, y: Tensor, lhs: number, rhs: number, batch: number): Tensor {
  const b = [...Array(batch).keys()];
  return emit(ctx, 'dot_general', [x, y], { lhs_contracting: [lhs], rhs_contracting: [rhs], lhs_batch: b, rhs_batch: b });
}

function checkInner(op: string, x: Tensor, y: Tensor, kx: number, ky: number): void {
  if (x.shape[kx] !== y.shape[ky])
    throw new ShapeError(
      op,
      `contracted dimensions differ: ${x.shape[kx]} (axis ${kx} of the first) vs ${y.shape[ky]} (axis ${ky} of the second)`,
      [formatType(x), formatType(y)],
      callSite(),
    );
}

/**
 * NumPy matmul: [..., m, k] @ [..., k, n] -> [..., m, n] with the batch axes broadcast; a 1-D
 * first operand is a row vector and a 1-D second operand a column vector, and their unit axis is
 * removed from the result.
 */
export function matmul(a: Operand, b: Operand): Tensor {
  const { ctx, tensors } = contractionOperands('matmul', [a, b]);
  const [x0, y0] = tensors;
  if (x0.ndim === 0 || y0.ndim === 0)
    throw new ShapeError('matmul', 'operands must be at least 1-D (use multiply for scalars)', [formatType(x0), formatType(y0)],
      callSite());
  const x = x0.ndim === 1 ? expandDims(x0, 0) : x0;
  const y = y0.ndim === 1 ? expandDims(y0, 1) : y0;
  checkInner('matmul', x0, y0, x0.ndim - 1, Math.max(0, y0.ndim - 2));
  let out: Tensor;
  if (y.ndim === 2) {
    // [..., m, k] x [k, n]: the lhs free axes already come out in order; no batch broadcast.
    out = contracted(ctx, x, y, x.ndim - 1, 0, 0);
  } else {
    let batch;
    try {
      batch = broadcastShapes('matmul', [
        { dtype: x.dtype, shape: x.shape.slice(0, -2) },
        { dtype: y.dtype, shape: y.shape.slice(0, -2) },
      ]);
    } catch (e) {
      throw e instanceof ShapeError ? new ShapeError('matmul', `batch axes: ${e.detail}`, [formatType(x0), formatType(y0)], callSite()) : e;
    }
    const xb = broadcastTo(x, [...batch, ...x.shape.slice(-2)]);
    const yb = broadcastTo(y, [...batch, ...y.shape.slice(-2)]);
    out = contracted(ctx, xb, yb, batch.length + 1, batch.length, batch.length);
  }
  if (x0.ndim === 1) out = squeeze(out, -2);
  if (y0.ndim === 1) out = squeeze(out, -1);
  return out;
}

/**
 * NumPy dot: scalars multiply; otherwise the last axis of `a` is contracted with the only axis of
 * a 1-D `b`, or with the second-to-last axis of `b` (result: a's free axes, then b's).
 */
export function dot(a: Operand, b: Operand): Tensor {
  const { ctx, tensors } = contractionOperands('dot', [a, b]);
  const [x, y] = tensors;
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  const ky = y.ndim === 1 ? 0 : y.ndim - 2;
  checkInner('dot', x, y, x.ndim - 1, ky);
  return contracted(ctx, x, y, x.ndim - 1, ky, 0);
}

/** Outer product of two vectors (flattened first, as NumPy does). */
export function outer(a: Operand, b: Operand): Tensor {
  const { tensors } = liftAll('outer', [a, b]);
  const [x, y] = tensors.map(ravel);
  return multiply(expandDims(x, 1), expandDims(y, 0));
}
