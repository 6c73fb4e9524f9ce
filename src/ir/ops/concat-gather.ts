import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import { dimExpr, ilt, isub, load, select, u32, type KExpr } from '../kexpr.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, isSymbol, normAxis, stridesOf, type Dim } from '../shape.ts';
import { batchedAt } from './batching.ts';
import { batchGather } from './gather-batch.ts';
import { flatIndex } from './movement.ts';

const minU = (a: KExpr, b: KExpr): KExpr => ({ k: 'binary', op: 'min', a, b, dtype: 'u32' });

export const concatenate: OpDef<'concatenate'> = {
  name: 'concatenate',
  arity: 'variadic',
  attrs: { axis: 'int' },
  infer(xs, { axis }) {
    const operands = xs.map(formatType);
    if (xs.length === 0) throw new ShapeError('concatenate', 'needs at least one operand', operands);
    const first = xs[0];
    if (normAxis(axis, first.shape.length) !== axis)
      throw new ShapeError('concatenate', `axis ${axis} out of range for rank ${first.shape.length}`, operands);
    let total: Dim = 0;
    for (const x of xs) {
      if (x.dtype !== first.dtype) throw new ShapeError('concatenate', 'operand dtypes differ', operands);
      if (x.shape.length !== first.shape.length) throw new ShapeError('concatenate', 'operand ranks differ', operands);
      x.shape.forEach((d, i) => {
        if (i !== axis && d !== first.shape[i]) throw new ShapeError('concatenate', `axis ${i} differs (${first.shape[i]} vs ${d})`, operands);
      });
      const d = x.shape[axis];
      if (xs.length > 1 && isSymbol(d)) throw new ShapeError('concatenate', `cannot join along symbolic axis ${axis} (${d})`, operands);
      total = xs.length === 1 ? d : (total as number) + (d as number);
    }
    return [{ dtype: first.dtype, shape: first.shape.map((d, i) => (i === axis ? total : d)) }];
  },
  evalRef(xs, { axis }) {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis], 0);
    const out = hostTensor(xs[0].dtype, shape);
    const st = stridesOf(shape);
    for (let i = 0; i < out.data.length; i++) {
      const c = shape.map((d, ax) => Math.floor(i / st[ax]) % d);
      let j = 0;
      while (c[axis] >= xs[j].shape[axis]) c[axis] -= xs[j++].shape[axis];
      out.data[i] = xs[j].data[flatIndex(c, xs[j].shape)];
    }
    return [out];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { axis }, inputs, output, out }) => {
      if (inputs.length === 1) return load(0, out);
      // Nested selects from the last operand back; out-of-range coordinates are clamped because
      // both branches of a select are evaluated.
      const offsets: number[] = [];
      let acc = 0;
      for (const x of inputs) {
        offsets.push(acc);
        acc += x.shape[axis] as number;
      }
      const at = (j: number): KExpr =>
        load(
          j,
          out.map((c, ax) => (ax === axis ? minU(isub(c, u32(offsets[j])), u32((inputs[j].shape[axis] as number) - 1)) : c)),
        );
      let expr = at(inputs.length - 1);
      for (let j = inputs.length - 2; j >= 0; j--) expr = select(ilt(out[axis], u32(offsets[j + 1])), at(j), expr, output.dtype);
      return expr;
    },
  },
  // Unbatched operands are broadcast to the batch: every example joins the same pieces.
  batch: (ctx, { inputs, attrs: { axis } }) => [batchedAt(ctx.e.op1('concatenate', inputs.map((x) => ctx.materialize(x)), { axis: axis + 1 }), 0)],
  vjp: ({ e }, { inputs, attrs: { axis }, cts: [g] }) => {
    if (!g) return inputs.map(() => undefined);
    if (inputs.length === 1) return [g];
    let offset = 0;
    return inputs.map((x) => {
      const size = x.type.shape[axis] as number;
      const start = x.type.shape.map((_, i) => (i === axis ? offset : 0));
      const limit = x.type.shape.map((d, i) => (i === axis ? offset + size : d));
      offset += size;
      return e.op1('slice', [g], { start, limit, stride: start.map(() => 1) });
    });
  },
};

/**
 * gather (NumPy `take` along one axis): `out = x.shape[:axis] + idx.shape + x.shape[axis+1:]`.
 * Indices are clamped into range, as JAX does by default.
 */
export const gather: OpDef<'gather'> = {
  name: 'gather',
  arity: 2,
  attrs: { axis: 'int' },
  infer([x, idx], { axis }) {
    const operands = [formatType(x), formatType(idx)];
    if (normAxis(axis, x.shape.length) !== axis) throw new ShapeError('gather', `axis ${axis} out of range for rank ${x.shape.length}`, operands);
    if (idx.dtype !== 'i32' && idx.dtype !== 'u32') throw new ShapeError('gather', `indices must be i32 or u32, got ${idx.dtype}`, operands);
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
  },
  evalRef([x, idx], { axis }) {
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    const out = hostTensor(x.dtype, shape);
    const st = stridesOf(shape);
    const r = idx.shape.length;
    for (let i = 0; i < out.data.length; i++) {
      const c = shape.map((d, ax) => Math.floor(i / st[ax]) % d);
      const ic = c.slice(axis, axis + r);
      const k = Math.min(Math.max(idx.data[flatIndex(ic, idx.shape)], 0), x.shape[axis] - 1);
      out.data[i] = x.data[flatIndex([...c.slice(0, axis), k, ...c.slice(axis + r)], x.shape)];
    }
    return [out];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { axis }, inputs: [x, idx], out }) => {
      const r = idx.shape.length;
      const raw = load(1, out.slice(axis, axis + r));
      const last = isub(dimExpr(x.shape[axis]), u32(1));
      const asU32: KExpr =
        idx.dtype === 'i32'
          ? { k: 'cast', from: 'i32', dtype: 'u32', arg: { k: 'binary', op: 'max', a: raw, b: { k: 'lit', dtype: 'i32', value: 0 }, dtype: 'i32' } }
          : raw;
      return load(0, [...out.slice(0, axis), minU(asU32, last), ...out.slice(axis + r)]);
    },
  },
  batch: batchGather,
  // Scatter-add as a contraction with a one-hot matrix of the (clamped) indices: deterministic and
  // written in primitives, at the cost of an |indices| x D intermediate.
  vjp: ({ e }, { inputs: [x, idx], attrs: { axis }, cts: [g] }) => {
    if (!g) return [undefined, undefined];
    const D = x.type.shape[axis];
    const r = idx.type.shape.length;
    const it = idx.type.dtype;
    // The indices as the forward pass used them: clamped into [0, D - 1].
    const size = typeof D === 'number' ? e.scalar(D, it) : e.sum(e.full([D], 1, it), [0]);
    let clamped = e.binary('min', idx, e.sub(size, e.scalar(1, it)));
    if (it === 'i32') clamped = e.binary('max', clamped, e.scalar(0, 'i32'));
    const oneHotShape = [...idx.type.shape, D];
    const positions = e.op1('iota', [], { shape: oneHotShape, dimension: r, dtype: it });
    const spread = e.broadcastInDim(clamped, oneHotShape, [...Array(r).keys()]);
    const oneHot = e.cast(e.binary('eq', spread, positions), g.type.dtype);
    const contracted = e.op1('dot_general', [g, oneHot], {
      lhs_contracting: [...Array(r).keys()].map((i) => axis + i),
      rhs_contracting: [...Array(r).keys()],
      lhs_batch: [],
      rhs_batch: [],
    });
    const rank = x.type.shape.length;
    const perm = [...Array(rank).keys()].map((i) => (i < axis ? i : i === axis ? rank - 1 : i - 1));
    return [e.transpose(contracted, perm), undefined];
  },
};
