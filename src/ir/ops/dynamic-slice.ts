import { ShapeError } from '../errors.ts';
import { hostTensor, type HostTensor } from '../host-tensor.ts';
import { dimExpr, iadd, iand, ilt, isub, load, select, u32, type KExpr } from '../kexpr.ts';
import type { Value } from '../graph.ts';
import type { BatchContext, OpDef } from '../op-def.ts';
import type { OpName } from '../op-attrs.ts';
import { checkShapeAttr, formatShape, formatType, isSymbol, stridesOf, type Dim, type Shape, type TensorType } from '../shape.ts';
import { batchedAt } from './batching.ts';
import { flatIndex, gatherRef } from './movement.ts';

/**
 * dynamic_slice and dynamic_update_slice (lax's): a window of `x` whose start is known only at run
 * time. The start indices are one i32 operand, `starts: i32[...batch, r]`, one per window axis;
 * they are clamped so that the window stays inside `x` (start in [0, dim - size]), as XLA does.
 *
 * Leading batch axes, shared by every operand, give each example its own window: for
 * `starts: i32[B, r]`, `x` is `[B, ...r window axes]` and example b reads at starts[b]. This is
 * XLA's gather with batching dims, restricted to windows; it makes vmap of a batched start one
 * primitive again, and the VJP of one op is the other with the same batch axes.
 */

const minU = (a: KExpr, b: KExpr): KExpr => ({ k: 'binary', op: 'min', a, b, dtype: 'u32' });

interface Layout {
  /** Leading batch axes shared by all operands. */
  readonly batch: number;
  /** Window axes: the axes of x after the batch axes. */
  readonly rank: number;
}

/** Checks `starts` against `x` and returns how their axes split into batch and window axes. */
function layoutOf(op: OpName, x: TensorType, starts: TensorType, operands: string[]): Layout {
  const fail = (why: string) => new ShapeError(op, why, operands);
  if (starts.dtype !== 'i32') throw fail(`start indices must be i32, got ${starts.dtype}`);
  if (starts.shape.length === 0) throw fail('start indices must be a vector i32[r] (with leading batch axes: i32[..., r])');
  const r = starts.shape[starts.shape.length - 1];
  if (isSymbol(r)) throw fail(`the number of start indices must be a size, got ${r}`);
  const batch = starts.shape.length - 1;
  if (x.shape.length !== batch + r)
    throw fail(`${r} start indices and ${batch} batch axes do not fit an operand of rank ${x.shape.length}`);
  for (let i = 0; i < batch; i++)
    if (x.shape[i] !== starts.shape[i]) throw fail(`batch axis ${i} differs (${x.shape[i]} vs ${starts.shape[i]})`);
  return { batch, rank: r };
}

/** A window of `size` fits an axis of `dim`: at most the dim; a symbolic axis only whole. */
function checkWindow(op: OpName, axis: number, size: Dim, dim: Dim, operands: string[]): void {
  const whole = size === dim;
  if ((isSymbol(size) || isSymbol(dim)) && !whole)
    throw new ShapeError(op, `axis ${axis}: a window on a symbolic axis must take it whole (size ${size}, axis ${dim})`, operands);
  if (!whole && !((size as number) >= 0 && (size as number) <= (dim as number)))
    throw new ShapeError(op, `axis ${axis}: window size ${size} does not fit the axis of size ${dim}`, operands);
}

/** The start of a window of `size` on an axis of `dim`, clamped as XLA clamps it. */
const clampStart = (s: number, dim: number, size: number): number => Math.min(Math.max(s, 0), dim - size);

/** The clamped start (u32) of window axis j, read from operand `startsOperand` at the batch coordinates. */
function startExpr(startsOperand: number, batchCoords: readonly KExpr[], j: number, dim: Dim, size: Dim): KExpr {
  if (size === dim) return u32(0);
  const raw = load(startsOperand, [...batchCoords, u32(j)]);
  const nonNegative: KExpr = { k: 'binary', op: 'max', a: raw, b: { k: 'lit', dtype: 'i32', value: 0 }, dtype: 'i32' };
  return minU({ k: 'cast', arg: nonNegative, from: 'i32', dtype: 'u32' }, isub(dimExpr(dim), dimExpr(size)));
}

/** The clamped starts of batch element `b` (flat index over the batch axes). */
function startsOf(starts: HostTensor, b: number, dims: readonly number[], sizes: readonly number[]): number[] {
  const r = sizes.length;
  return sizes.map((size, j) => clampStart(starts.data[b * r + j], dims[j], size));
}

/**
 * B windows of one array x (no batch axes) at starts i32[B, r]: the rows of each window are
 * gathered first (B·size₀ rows, not B copies of x), then each example's window is cut from its
 * rows by the batched form, its first axis now taken whole.
 */
function sliceShared(ctx: BatchContext, x: Value, starts: Value, sizes: Shape): Value {
  const { e } = ctx;
  const [size, r] = starts.type.shape as [Dim, number];
  const column = (from: number, to: number) => e.op1('slice', [starts], { start: [0, from], limit: [size, to], stride: [1, 1] });
  const [d0, w0] = [x.type.shape[0] as number, sizes[0] as number];
  const first = e.binary('min', e.binary('max', column(0, 1), e.scalar(0, 'i32')), e.scalar(d0 - w0, 'i32'));
  const rows = e.add(first, e.op1('iota', [], { shape: [1, w0], dimension: 1, dtype: 'i32' }));
  const gathered = e.op1('gather', [x, rows], { axis: 0 });
  if (r === 1) return gathered;
  const rest = e.op1('concatenate', [e.full([size, 1], 0, 'i32'), column(1, r)], { axis: 1 });
  return e.op1('dynamic_slice', [gathered, rest], { sizes });
}

/** `dynamic_slice[sizes] x, starts`: the window of x of shape `sizes` at the clamped starts. */
export const dynamic_slice: OpDef<'dynamic_slice'> = {
  name: 'dynamic_slice',
  arity: 2,
  attrs: { sizes: 'shape' },
  infer([x, starts], { sizes }) {
    const operands = [formatType(x), formatType(starts)];
    checkShapeAttr('dynamic_slice', sizes, operands);
    const { batch, rank } = layoutOf('dynamic_slice', x, starts, operands);
    if (sizes.length !== rank)
      throw new ShapeError('dynamic_slice', `sizes ${formatShape(sizes)} must give one size per start index (${rank})`, operands);
    sizes.forEach((s, j) => checkWindow('dynamic_slice', batch + j, s, x.shape[batch + j], operands));
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, batch), ...sizes] }];
  },
  evalRef([x, starts], { sizes }) {
    const batch = starts.shape.length - 1;
    const batchShape = x.shape.slice(0, batch);
    const dims = x.shape.slice(batch);
    const sz = sizes as number[];
    return [
      gatherRef(x, [...batchShape, ...sz], (c) => {
        const at = startsOf(starts, flatIndex(c.slice(0, batch), batchShape), dims, sz);
        return flatIndex(c.map((v, i) => (i < batch ? v : at[i - batch] + v)), x.shape);
      }),
    ];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { sizes }, inputs: [x, starts], out }) => {
      const batch = starts.shape.length - 1;
      const lead = out.slice(0, batch);
      return load(0, out.map((c, i) => (i < batch ? c : iadd(startExpr(1, lead, i - batch, x.shape[i], sizes[i - batch]), c))));
    },
  },
  // Every operand batched at axis 0 (broadcast where it was not): one more shared batch axis.
  // An array shared by the examples is not broadcast to B copies where its first axis is cut.
  batch: (ctx, { inputs: [x, starts], attrs }) => {
    // (x unbatched means starts is batched: per example i32[r] is i32[B, r] here.)
    if (x.axis === undefined && starts.value.type.shape.length === 2 && attrs.sizes[0] !== x.value.type.shape[0])
      return [batchedAt(sliceShared(ctx, x.value, ctx.front(starts), attrs.sizes), 0)];
    return [batchedAt(ctx.e.op1('dynamic_slice', [ctx.materialize(x), ctx.materialize(starts)], attrs), 0)];
  },
  // The window's cotangent lands where the window was read; zeros elsewhere.
  vjp: ({ e }, { inputs: [x, starts], cts: [g] }) => [g && e.op1('dynamic_update_slice', [e.zerosLike(x), g, starts], {}), undefined],
};

/** `dynamic_update_slice x, update, starts`: x with the window at the clamped starts replaced by update. */
export const dynamic_update_slice: OpDef<'dynamic_update_slice'> = {
  name: 'dynamic_update_slice',
  arity: 3,
  attrs: {},
  infer([x, update, starts]) {
    const operands = [formatType(x), formatType(update), formatType(starts)];
    const fail = (why: string) => new ShapeError('dynamic_update_slice', why, operands);
    if (update.dtype !== x.dtype) throw fail(`update dtype ${update.dtype} differs from the operand's ${x.dtype}`);
    const { batch } = layoutOf('dynamic_update_slice', x, starts, operands);
    if (update.shape.length !== x.shape.length) throw fail(`update rank ${update.shape.length} differs from the operand's ${x.shape.length}`);
    for (let i = 0; i < batch; i++) if (update.shape[i] !== x.shape[i]) throw fail(`batch axis ${i} of the update differs (${update.shape[i]} vs ${x.shape[i]})`);
    for (let i = batch; i < x.shape.length; i++) checkWindow('dynamic_update_slice', i, update.shape[i], x.shape[i], operands);
    return [x];
  },
  evalRef([x, update, starts]) {
    const batch = starts.shape.length - 1;
    const dims = x.shape.slice(batch);
    const sizes = update.shape.slice(batch);
    const out = hostTensor(x.dtype, x.shape, x.data);
    const st = stridesOf(update.shape);
    for (let i = 0; i < update.data.length; i++) {
      const c = update.shape.map((d, ax) => Math.floor(i / st[ax]) % d);
      const at = startsOf(starts, flatIndex(c.slice(0, batch), x.shape.slice(0, batch)), dims, sizes);
      out.data[flatIndex(c.map((v, ax) => (ax < batch ? v : at[ax - batch] + v)), x.shape)] = update.data[i];
    }
    return [out];
  },
  kernel: {
    kind: 'expr',
    build: ({ inputs: [x, update, starts], out }) => {
      const batch = starts.shape.length - 1;
      if (update.shape.some((d) => d === 0)) return load(0, out);
      const lead = out.slice(0, batch);
      // A coordinate before the window wraps around in u32 and fails the `< size` test too.
      let inside: KExpr | undefined;
      const src = out.map((c, i) => {
        if (i < batch || update.shape[i] === x.shape[i]) return c;
        const size = update.shape[i] as number;
        const rel = isub(c, startExpr(2, lead, i - batch, x.shape[i], size));
        const ok = ilt(rel, u32(size));
        inside = inside ? iand(inside, ok) : ok;
        return minU(rel, u32(size - 1));
      });
      const written = load(1, src);
      return inside ? select(inside, written, load(0, out), x.dtype) : written;
    },
  },
  batch: (ctx, { inputs }) => [batchedAt(ctx.e.op1('dynamic_update_slice', inputs.map((x) => ctx.materialize(x)), {}), 0)],
  vjp: ({ e }, { inputs: [, update, starts], cts: [g] }) => {
    if (!g) return [undefined, undefined, undefined];
    const batch = starts.type.shape.length - 1;
    return [
      e.op1('dynamic_update_slice', [g, e.zerosLike(update), starts], {}),
      e.op1('dynamic_slice', [g, starts], { sizes: update.type.shape.slice(batch) }),
      undefined,
    ];
  },
};
