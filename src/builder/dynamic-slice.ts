import { formatShape, formatType, isSymbol, ShapeError, type Dim } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, liftAs, scalar, type Operand } from './operand.ts';
import type { Tensor } from './tensor.ts';

/** Start indices: one per axis (JS integers or integer scalars, traced or not), or one i32[rank] array. */
export type StartIndices = readonly Operand[] | Operand;

const fail = (op: string, operands: readonly Tensor[], why: string) =>
  new ShapeError(op, why, operands.map(formatType), callSite());

/**
 * The start indices as i32[rank], a negative index counting from the end of its axis (once, as
 * JAX's dynamic_slice does); the primitive then clamps them into range.
 */
function startVector(op: string, x: Tensor, starts: StartIndices): Tensor {
  const ctx = x.ctx;
  const wrapAt = (i: number) => (isSymbol(x.shape[i]) ? 0 : (x.shape[i] as number));
  if (Array.isArray(starts)) {
    if (starts.length !== x.ndim) throw fail(op, [x], `needs one start index per axis (${x.ndim}), got ${starts.length}`);
    if (starts.every((s) => typeof s === 'number')) {
      starts.forEach((s) => {
        if (!Number.isInteger(s)) throw fail(op, [x], `start index ${s} is not an integer`);
      });
      const value = (starts as number[]).map((s, i) => (s < 0 ? s + wrapAt(i) : s));
      return emit(ctx, 'constant', [], { shape: [x.ndim], dtype: 'i32', value });
    }
    const scalars = (starts as readonly Operand[]).map((s, i) => {
      const t = typeof s === 'number' ? liftAs(op, ctx, s, 'i32') : lift(op, s);
      if (t.ndim !== 0 || (t.dtype !== 'i32' && t.dtype !== 'u32'))
        throw fail(op, [x, t], `start index ${i} must be an integer scalar, got ${formatType(t)}`);
      const k = t.dtype === 'i32' ? t : emit(ctx, 'cast', [t], { dtype: 'i32' });
      return emit(ctx, 'reshape', [wrapNegative(k, scalar(ctx, wrapAt(i), 'i32'))], { shape: [1] });
    });
    return scalars.length === 1 ? scalars[0] : emit(ctx, 'concatenate', scalars, { axis: 0 });
  }
  const t = lift(op, starts as Operand);
  if (t.ndim !== 1 || t.shape[0] !== x.ndim || (t.dtype !== 'i32' && t.dtype !== 'u32'))
    throw fail(op, [x, t], `start indices must be an integer vector of length ${x.ndim}, got ${formatType(t)}`);
  const k = t.dtype === 'i32' ? t : emit(ctx, 'cast', [t], { dtype: 'i32' });
  const sizes = emit(ctx, 'constant', [], { shape: [x.ndim], dtype: 'i32', value: x.shape.map((_, i) => wrapAt(i)) });
  return wrapNegative(k, sizes);
}

function wrapNegative(k: Tensor, size: Tensor): Tensor {
  const ctx = k.ctx;
  return emit(ctx, 'select', [emit(ctx, 'lt', [k, scalar(ctx, 0, 'i32')], {}), emit(ctx, 'add', [k, size], {}), k], {});
}

/** A window of `size` must fit its axis; a symbolic axis only whole. */
function checkWindow(op: string, operands: readonly Tensor[], axis: number, size: Dim, dim: Dim): void {
  if (size === dim) return;
  if (isSymbol(size) || isSymbol(dim) || !Number.isInteger(size) || size < 0 || size > dim)
    throw fail(op, operands, `axis ${axis}: a window of ${size} does not fit the axis of ${dim} (a symbolic axis can only be taken whole)`);
}

/**
 * JAX's `lax.dynamic_slice(x, startIndices, sizes)`: the window of shape `sizes` starting at
 * run-time indices (a negative one counts from the end), clamped so that the window stays inside
 * x (as XLA clamps: start in [0, dim - size]).
 *
 *     const row = ax.dynamicSlice(x, [i, 0], [1, 4]);   // i: an i32 scalar Tensor
 */
export function dynamicSlice(x: Operand, startIndices: StartIndices, sizes: readonly Dim[]): Tensor {
  const t = lift('dynamicSlice', x);
  if (sizes.length !== t.ndim) throw fail('dynamicSlice', [t], `sizes ${formatShape(sizes)} must give one size per axis (${t.ndim})`);
  sizes.forEach((s, i) => checkWindow('dynamicSlice', [t], i, s, t.shape[i]));
  if (t.ndim === 0) return t;
  return emit(t.ctx, 'dynamic_slice', [t, startVector('dynamicSlice', t, startIndices)], { sizes: [...sizes] });
}

/**
 * JAX's `lax.dynamic_update_slice(x, update, startIndices)`: x with the window at the run-time
 * start (clamped like dynamicSlice's) replaced by `update`, of x's dtype and rank. A number
 * update is taken in x's dtype.
 */
export function dynamicUpdateSlice(x: Operand, update: Operand, startIndices: StartIndices): Tensor {
  const t = lift('dynamicUpdateSlice', x);
  const u = typeof update === 'number' ? liftAs('dynamicUpdateSlice', t.ctx, update, t.dtype) : lift('dynamicUpdateSlice', update);
  if (u.dtype !== t.dtype) throw fail('dynamicUpdateSlice', [t, u], `the update's dtype ${u.dtype} differs from x's ${t.dtype}; cast it with astype`);
  if (u.ndim !== t.ndim) throw fail('dynamicUpdateSlice', [t, u], `the update must have x's rank ${t.ndim}, got ${u.ndim}`);
  u.shape.forEach((s, i) => checkWindow('dynamicUpdateSlice', [t, u], i, s, t.shape[i]));
  if (t.ndim === 0) return u;
  return emit(t.ctx, 'dynamic_update_slice', [t, u, startVector('dynamicUpdateSlice', t, startIndices)], {});
}
