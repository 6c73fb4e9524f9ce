import { formatShape, formatType, isSymbol, ShapeError, type DType, type Dim, type OpAttrs, type OpName } from '../ir/index.ts';
import { customVjp } from './custom-vjp.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, liftAs, scalar, type Operand } from './operand.ts';
import { reshape } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';
import { requireTrace } from './trace-context.ts';

/** What `x.at(...)` accepts: an integer, a list of them, or an integer Tensor / array of any shape. */
export type RowIndex = number | readonly number[] | Operand;

const fail = (op: string, x: Tensor, why: string) => new ShapeError(op, why, [formatType(x)], callSite());

/**
 * The rows `index` names along axis 0 of `x`, as i32 with negative indices wrapped once (NumPy).
 * JS numbers are checked against the axis; traced indices cannot be, and out-of-range ones are
 * clamped by `get` and dropped by the updates, as JAX does.
 */
function rowIndex(op: string, x: Tensor, index: RowIndex): Tensor {
  const n = x.shape[0];
  if (typeof index === 'number' || Array.isArray(index)) {
    const list: readonly number[] = typeof index === 'number' ? [index] : index;
    for (const i of list) {
      if (!Number.isInteger(i)) throw fail(op, x, `index ${i} is not an integer`);
      if (isSymbol(n) && i < 0) throw fail(op, x, `index ${i} counts from the end of axis 0, whose size ${n} is not known when tracing`);
      if (!isSymbol(n) && (i < -n || i >= n)) throw fail(op, x, `index ${i} is out of range for axis 0 of size ${n}`);
    }
    const rows = list.map((i) => (i < 0 ? i + (n as number) : i));
    return typeof index === 'number' ? konst(rows[0], 'i32') : prim('constant', [], { shape: [rows.length], dtype: 'i32', value: rows });
  }
  const t = lift(op, index as Operand);
  if (t.dtype !== 'i32' && t.dtype !== 'u32')
    throw fail(op, t, `indices must be integers (i32 or u32), got ${formatType(t)}; boolean masks are not supported, use ax.where`);
  const i = t.dtype === 'i32' ? t : prim('cast', [t], { dtype: 'i32' });
  if (isSymbol(n)) return i;
  return prim('select', [prim('lt', [i, konst(0, 'i32')], {}), prim('add', [i, konst(n, 'i32')], {}), i], {});
}

/**
 * Adds a primitive to the trace running now, importing operands of enclosing traces: the same
 * helpers serve the forward trace and the regions of the custom VJP of `add`.
 */
function prim<K extends OpName>(op: K, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor {
  const ctx = requireTrace(op);
  return emit(ctx, op, inputs.map((t) => liftAs(op, ctx, t, t.dtype)), attrs);
}
const konst = (v: number, dtype: DType): Tensor => scalar(requireTrace('constant'), v, dtype);

/** The scatter of updates `upd: [m, ...rest]` at rows `idx: i32[m]` into `x: [n, ...rest]`, as masks. */
class Scatter {
  readonly n: Dim;
  readonly m: Dim;
  /** [n, m]: whether update m lands on row n. An index outside [0, n) lands on no row. */
  readonly lands: Tensor;

  constructor(
    readonly x: Tensor,
    readonly idx: Tensor,
    readonly upd: Tensor,
  ) {
    this.n = x.shape[0];
    this.m = idx.shape[0];
    const nm = [this.n, this.m];
    const rows = prim('iota', [], { shape: nm, dimension: 0, dtype: 'i32' });
    this.lands = prim('eq', [prim('broadcast_in_dim', [idx], { shape: nm, dims: [1] }), rows], {});
  }

  /** [n, m, ...rest]: update m where it lands on row n, `fill` elsewhere. */
  masked(u: Tensor, fill: number): Tensor {
    const full = [this.n, this.m, ...u.shape.slice(1)];
    const spreadU = prim('broadcast_in_dim', [u], { shape: full, dims: u.shape.map((_, i) => i + 1) });
    const lands = prim('broadcast_in_dim', [this.lands], { shape: full, dims: [0, 1] });
    return prim('select', [lands, spreadU, konst(fill, u.dtype)], {});
  }
  /** Reduces axis 1 (the updates) away. */
  over(op: 'reduce_sum' | 'reduce_max' | 'reduce_min', t: Tensor): Tensor {
    return prim(op, [t], { axes: [1], keepdims: false });
  }
  /** i32 scalar: the size of axis 0 (a sum of ones when it is symbolic). */
  rows(): Tensor {
    if (!isSymbol(this.n)) return konst(this.n, 'i32');
    return prim('reduce_sum', [prim('constant', [], { shape: [this.n], dtype: 'i32', value: [1] })], { axes: [0], keepdims: false });
  }
}

/** The product over axis 1 of [n, k, ...rest], by halving: multiply the two halves until one is left. */
function productOverAxis1(t: Tensor, k: number): Tensor {
  let cur = t;
  let len = k;
  const bounds = (from: number, to: number) => ({
    start: cur.shape.map((_, i) => (i === 1 ? from : 0)),
    limit: cur.shape.map((d, i) => (i === 1 ? to : d)) as number[],
    stride: cur.shape.map(() => 1),
  });
  while (len > 1) {
    if (len % 2 === 1) {
      cur = prim('pad', [cur], { low: cur.shape.map(() => 0), high: cur.shape.map((_, i) => (i === 1 ? 1 : 0)), value: 1 });
      len += 1;
    }
    const half = len / 2;
    cur = prim('mul', [prim('slice', [cur], bounds(0, half)), prim('slice', [cur], bounds(half, len))], {});
    len = half;
  }
  return reshape(cur, cur.shape.filter((_, i) => i !== 1));
}

const IDENTITY: Record<'min' | 'max', Record<Exclude<DType, 'bool'>, number>> = {
  min: { f32: Infinity, i32: 2147483647, u32: 4294967295 },
  max: { f32: -Infinity, i32: -2147483648, u32: 0 },
};

/**
 * `x.at(index)`: JAX's `.at[]` along axis 0. `get()` gathers the rows (clamped, as JAX's
 * retrieval is); `set/add/mul/min/max(v)` return x with the rows updated: v broadcasts to
 * x[index]'s shape and is cast to x's dtype, and traced indices out of range update nothing (JAX
 * drops them). Repeated indices: add, mul, min and max combine every update of a row (as JAX
 * does); set keeps the last one in index order (JAX leaves the choice unspecified; NumPy also
 * keeps the last). Gradients: add passes g to x and gathers g for the updates; set passes g to
 * rows not overwritten and to the winning updates; mul, min and max follow from their primitives.
 */
export class IndexUpdate {
  constructor(
    private readonly x: Tensor,
    private readonly index: RowIndex,
  ) {}

  get(): Tensor {
    const x = this.operand('at.get');
    return prim('gather', [x, rowIndex('at.get', x, this.index)], { axis: 0 });
  }

  set(v: Operand): Tensor {
    const s = this.scatter('at.set', v, true);
    if (!s) return this.operand('at.set');
    // The last update landing on each row (-1: none), then a gather of it.
    const position = prim('iota', [], { shape: [s.n, s.m], dimension: 1, dtype: 'i32' });
    const last = s.over('reduce_max', prim('select', [s.lands, position, konst(-1, 'i32')], {}));
    const picked = prim('gather', [s.upd, prim('max', [last, konst(0, 'i32')], {})], { axis: 0 });
    const written = prim('broadcast_in_dim', [prim('ge', [last, konst(0, 'i32')], {})], { shape: s.x.shape, dims: [0] });
    return prim('select', [written, picked, s.x], {});
  }

  add(v: Operand): Tensor {
    const s = this.scatter('at.add', v);
    if (!s) return this.operand('at.add');
    const rest = s.x.shape.slice(1);
    const valid = prim('and', [prim('ge', [s.idx, konst(0, 'i32')], {}), prim('lt', [s.idx, s.rows()], {})], {});
    const validRows = prim('broadcast_in_dim', [valid], { shape: [s.m, ...rest], dims: [0] });
    // The cotangent of the updates is the cotangent gathered at their rows (zero where dropped):
    // O(m) work, where differentiating the masked sum would spread it over all n x m pairs.
    const scatterAdd = customVjp(
      (x: Tensor, u: Tensor) => prim('add', [x, s.over('reduce_sum', s.masked(u, 0))], {}),
      (_ins, _y, g: Tensor) => [g, prim('select', [validRows, prim('gather', [g, s.idx], { axis: 0 }), konst(0, g.dtype)], {})],
    );
    return scatterAdd(s.x, s.upd);
  }

  mul(v: Operand): Tensor {
    const s = this.scatter('at.mul', v);
    if (!s) return this.operand('at.mul');
    if (isSymbol(s.m)) throw fail('at.mul', s.idx, `needs an index count known at trace time, got ${s.m}`);
    return prim('mul', [s.x, productOverAxis1(s.masked(s.upd, 1), s.m)], {});
  }

  min(v: Operand): Tensor {
    return this.extremum('min', v);
  }
  max(v: Operand): Tensor {
    return this.extremum('max', v);
  }

  private extremum(which: 'min' | 'max', v: Operand): Tensor {
    const op = `at.${which}`;
    const s = this.scatter(op, v);
    if (!s) return this.operand(op);
    const identity = IDENTITY[which][s.x.dtype as Exclude<DType, 'bool'>];
    const best = s.over(which === 'min' ? 'reduce_min' : 'reduce_max', s.masked(s.upd, identity));
    return prim(which, [s.x, best], {});
  }

  private operand(op: string): Tensor {
    const x = lift(op, this.x);
    if (x.ndim === 0) throw fail(op, x, 'cannot index a scalar: x.at() indexes axis 0');
    return x;
  }

  /** The flattened scatter, or undefined when there are no updates (x is returned as it is). */
  private scatter(op: string, v: Operand, boolOk = false): Scatter | undefined {
    const x = this.operand(op);
    if (x.dtype === 'bool' && !boolOk) throw fail(op, x, 'bool arrays have no arithmetic; cast with astype first');
    const idx = rowIndex(op, x, this.index);
    const target = [...idx.shape, ...x.shape.slice(1)];
    const u = liftAs(op, x.ctx, v, x.dtype);
    const offset = target.length - u.ndim;
    if (offset < 0 || u.shape.some((d, i) => d !== 1 && d !== target[i + offset]))
      throw new ShapeError(op, `updates ${formatType(u)} do not broadcast to the indexed shape ${formatShape(target)}`, [formatType(x), formatType(u)], callSite());
    const flatIdx = reshape(idx, [-1]);
    if (flatIdx.shape[0] === 0) return undefined;
    const spread = offset === 0 && u.shape.every((d, i) => d === target[i]) ? u : prim('broadcast_in_dim', [u], { shape: target, dims: u.shape.map((_, i) => i + offset) });
    return new Scatter(x, flatIdx, reshape(spread, [flatIdx.shape[0], ...x.shape.slice(1)]));
  }
}
