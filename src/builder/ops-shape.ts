import { formatShape, formatType, isSymbol, ShapeError, sizeOf, type Dim, type Shape } from '../ir/index.ts';
import { normalizeAxes, normalizeAxis } from './axes.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, liftAll, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';

const fail = (op: string, x: Tensor, why: string) => new ShapeError(op, why, [formatType(x)], callSite());

/** Resolves one -1 in a reshape target from the element count (symbolic counts too). */
function resolveShape(x: Tensor, shape: readonly Dim[]): Dim[] {
  const holes = shape.filter((d) => d === -1).length;
  for (const d of shape)
    if (!isSymbol(d) && d !== -1 && !(Number.isInteger(d) && d >= 0))
      throw fail('reshape', x, `${d} is not a dimension (use non-negative integers, names, or one -1)`);
  if (holes === 0) return [...shape];
  if (holes > 1) throw fail('reshape', x, `only one -1 is allowed in ${formatShape(shape)}`);
  const have = sizeOf(x.shape);
  const rest = sizeOf(shape.filter((d) => d !== -1));
  const remaining = [...have.symbols];
  for (const s of rest.symbols) {
    const i = remaining.indexOf(s);
    if (i < 0) throw fail('reshape', x, `cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}: ${s} is not a factor`);
    remaining.splice(i, 1);
  }
  const q = have.constant / rest.constant;
  const ok = Number.isInteger(q) && (remaining.length === 0 || (remaining.length === 1 && q === 1));
  if (!ok) throw fail('reshape', x, `cannot infer -1 in ${formatShape(shape)} from ${formatShape(x.shape)}`);
  const hole: Dim = remaining.length ? remaining[0] : q;
  return shape.map((d) => (d === -1 ? hole : d));
}

/** Same elements, new shape; one dim may be -1 (inferred). */
export function reshape(x: Operand, shape: Shape): Tensor {
  const t = lift('reshape', x);
  const target = resolveShape(t, shape);
  if (target.length === t.ndim && target.every((d, i) => d === t.shape[i])) return t;
  return emit(t.ctx, 'reshape', [t], { shape: target });
}

/** Flattens to one dimension. */
export const ravel = (x: Operand): Tensor => reshape(x, [-1]);

/** Permutes axes (default: reverses them); negative entries count from the end. */
export function transpose(x: Operand, perm?: readonly number[]): Tensor {
  const t = lift('transpose', x);
  const p = perm ? perm.map((a) => normalizeAxis('transpose', a, t.ndim, t)) : [...Array(t.ndim).keys()].reverse();
  if (p.length === t.ndim && p.every((a, i) => a === i)) return t;
  return emit(t.ctx, 'transpose', [t], { perm: p });
}

/** Swaps two axes. */
export function swapaxes(x: Operand, a: number, b: number): Tensor {
  const t = lift('swapaxes', x);
  const perm = [...Array(t.ndim).keys()];
  const i = normalizeAxis('swapaxes', a, t.ndim, t);
  const j = normalizeAxis('swapaxes', b, t.ndim, t);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return transpose(t, perm);
}

/** NumPy broadcasting to `shape` (trailing axes aligned; size-1 axes stretch). */
export function broadcastTo(x: Operand, shape: Shape): Tensor {
  const t = lift('broadcastTo', x);
  if (shape.length < t.ndim) throw fail('broadcastTo', t, `cannot broadcast to lower rank ${formatShape(shape)}`);
  if (shape.length === t.ndim && shape.every((d, i) => d === t.shape[i])) return t;
  const offset = shape.length - t.ndim;
  return emit(t.ctx, 'broadcast_in_dim', [t], { shape, dims: t.shape.map((_, i) => i + offset) });
}

/** Inserts size-1 axes at the given positions of the result. */
export function expandDims(x: Operand, axis: number | readonly number[]): Tensor {
  const t = lift('expandDims', x);
  const list = typeof axis === 'number' ? [axis] : axis;
  const rank = t.ndim + list.length;
  const probe = { dtype: t.dtype, shape: new Array<Dim>(rank).fill(1) };
  const axes = normalizeAxes('expandDims', probe, list);
  const shape: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : t.shape[k++]);
  return reshape(t, shape);
}

/** Removes size-1 axes: the given ones (each must have size 1), or all of them. */
export function squeeze(x: Operand, axis?: number | readonly number[]): Tensor {
  const t = lift('squeeze', x);
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', t, axis);
  for (const a of axes) if (t.shape[a] !== 1) throw fail('squeeze', t, `axis ${a} has size ${t.shape[a]}, not 1`);
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Joins arrays along an existing axis (dtypes promoted together). */
export function concatenate(xs: readonly Operand[], axis = 0): Tensor {
  const { ctx, tensors } = liftAll('concatenate', xs);
  if (tensors.length === 0) throw new ShapeError('concatenate', 'needs at least one array', [], callSite());
  const a = normalizeAxis('concatenate', axis, tensors[0].ndim, tensors[0]);
  return tensors.length === 1 ? tensors[0] : emit(ctx, 'concatenate', tensors, { axis: a });
}

/** Joins arrays along a new axis. */
export function stack(xs: readonly Operand[], axis = 0): Tensor {
  const { tensors } = liftAll('stack', xs);
  if (tensors.length === 0) throw new ShapeError('stack', 'needs at least one array', [], callSite());
  return concatenate(tensors.map((t) => expandDims(t, axis < 0 ? axis + t.ndim + 1 : axis)), axis);
}

/**
 * NumPy take: elements at `indices` along `axis` (of the flattened array when omitted). Negative
 * indices count from the end; indices out of range are clamped.
 */
export function take(x: Operand, indices: Operand | readonly number[], axis?: number): Tensor {
  let t = lift('take', x);
  const ctx = t.ctx;
  if (axis === undefined) t = ravel(t);
  const ax = normalizeAxis('take', axis ?? 0, t.ndim, t);
  let idx: Tensor;
  if (Array.isArray(indices)) {
    idx = emit(ctx, 'constant', [], { shape: [indices.length], dtype: 'i32', value: indices });
  } else {
    const raw = indices as Operand;
    idx = typeof raw === 'number' ? liftAs('take', ctx, raw, 'i32') : lift('take', raw);
  }
  const n = t.shape[ax];
  if (idx.dtype === 'i32' && !isSymbol(n)) {
    const zero = liftAs('take', ctx, 0, 'i32');
    const wrapped = emit(ctx, 'add', [idx, liftAs('take', ctx, n, 'i32')], {});
    idx = emit(ctx, 'select', [emit(ctx, 'lt', [idx, zero], {}), wrapped, idx], {});
  }
  return emit(ctx, 'gather', [t, idx], { axis: ax });
}

export type PadWidth = number | readonly [number, number] | readonly (readonly [number, number])[];

/** Pads with a constant: `width` is one [low, high] pair per axis, one pair for all, or a number. */
export function pad(x: Operand, width: PadWidth, value = 0): Tensor {
  const t = lift('pad', x);
  const pairs: (readonly [number, number])[] =
    typeof width === 'number'
      ? t.shape.map(() => [width, width] as const)
      : typeof width[0] === 'number'
        ? t.shape.map(() => width as readonly [number, number])
        : [...(width as readonly (readonly [number, number])[])];
  if (pairs.length !== t.ndim) throw fail('pad', t, `needs ${t.ndim} [low, high] pairs, got ${pairs.length}`);
  return emit(t.ctx, 'pad', [t], { low: pairs.map((p) => p[0]), high: pairs.map((p) => p[1]), value });
}

/**
 * lax.slice: elements from `starts` up to (not including) `limits` with `strides` (default 1),
 * one entry per axis. Negative starts and limits count from the end of a known-size axis; a
 * symbolic axis can only be kept whole (start 0, limit its name).
 */
export function slice(x: Operand, starts: readonly number[], limits: readonly Dim[], strides?: readonly number[]): Tensor {
  const t = lift('slice', x);
  const fromEnd = (v: number, i: number) => (v < 0 && !isSymbol(t.shape[i]) ? v + (t.shape[i] as number) : v);
  const start = starts.map(fromEnd);
  const limit = limits.map((d, i) => (isSymbol(d) ? d : fromEnd(d, i)));
  // The slice rule accepts symbolic limits (its schema kind is 'shape'); OpAttrs types them as numbers.
  return emit(t.ctx, 'slice', [t], { start, limit: limit as number[], stride: strides ?? t.shape.map(() => 1) });
}

/** x[i] along axis 0 (that axis removed). */
export function index(x: Operand, i: number): Tensor {
  const t = lift('index', x);
  if (t.ndim === 0) throw fail('index', t, 'cannot index a scalar');
  const n = t.shape[0];
  if (!Number.isInteger(i)) throw fail('index', t, `index ${i} is not an integer`);
  if (!isSymbol(n) && (i < -n || i >= n))
    throw fail('index', t, `index ${i} is out of range for axis 0 of size ${n}: use an index in ${-n} … ${n - 1}`);
  if (isSymbol(n) && i < 0) throw fail('index', t, `index ${i} counts from the end of axis 0, whose size ${n} is symbolic: use an index >= 0`);
  const k = i < 0 && !isSymbol(n) ? i + (n as number) : i;
  const limits = t.shape.map((d, ax) => (ax === 0 ? k + 1 : d));
  return reshape(slice(t, t.shape.map((_, ax) => (ax === 0 ? k : 0)), limits), t.shape.slice(1));
}
