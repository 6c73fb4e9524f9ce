import type { DType } from '../dtype.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import type { OpDef } from '../op-def.ts';
import { formatType } from '../shape.ts';
import { batchAxisKept, batchElementwise } from './batching.ts';
import { broadcastedShape, broadcastIndexers, broadcastShapes } from './broadcast.ts';
import { clampI32, clampU32 } from './scalar-math.ts';

/** select(pred, a, b) = pred ? a : b, elementwise with broadcasting. */
export const select: OpDef<'select'> = {
  name: 'select',
  arity: 3,
  attrs: {},
  infer([p, a, b]) {
    const operands = [p, a, b].map(formatType);
    if (p.dtype !== 'bool') throw new ShapeError('select', `predicate must be bool, got ${p.dtype}`, operands);
    if (a.dtype !== b.dtype) throw new ShapeError('select', `branch dtypes differ (${a.dtype} vs ${b.dtype})`, operands);
    return [{ dtype: a.dtype, shape: broadcastShapes('select', [p, a, b]) }];
  },
  evalRef([p, a, b]) {
    const shape = broadcastedShape([p, a, b]);
    const out = hostTensor(a.dtype, shape);
    const [ip, ia, ib] = broadcastIndexers(shape, [p.shape, a.shape, b.shape]);
    for (let i = 0; i < out.data.length; i++) out.data[i] = p.data[ip(i)] ? a.data[ia(i)] : b.data[ib(i)];
    return [out];
  },
  kernel: { kind: 'elementwise' },
  vjp: ({ e }, { inputs: [p, a, b], cts: [g] }) => {
    if (!g) return [undefined, undefined, undefined];
    const zero = e.zerosLike(g);
    return [undefined, e.sumTo(e.select(p, g, zero), a.type.shape), e.sumTo(e.select(p, zero, g), b.type.shape)];
  },
  batch: (ctx, { inputs, attrs }) => batchElementwise(ctx, 'select', inputs, attrs),
};

/** Converts a value as WGSL's conversions do: floats truncate and saturate, i32/u32 reinterpret bits. */
export function castScalar(v: number, from: DType, to: DType): number {
  if (from === to) return v;
  switch (to) {
    case 'f32':
      return v;
    case 'bool':
      // NaN is not zero, so it converts to true, as WGSL's `x != 0.0` (and NumPy, JAX) do.
      return v !== 0 ? 1 : 0;
    case 'i32':
      return from === 'f32' ? clampI32(v) : v | 0;
    case 'u32':
      return from === 'f32' ? clampU32(v) : v >>> 0;
  }
}

export const cast: OpDef<'cast'> = {
  name: 'cast',
  arity: 1,
  attrs: { dtype: 'dtype' },
  infer([x], { dtype }) {
    return [{ dtype, shape: x.shape }];
  },
  evalRef([x], { dtype }) {
    const out = hostTensor(dtype, x.shape);
    for (let i = 0; i < out.data.length; i++) out.data[i] = castScalar(x.data[i], x.dtype, dtype);
    return [out];
  },
  kernel: { kind: 'elementwise' },
  // Only float -> float carries a gradient (integers and bools have no tangent space).
  vjp: (_ctx, { inputs: [x], outputs: [y], cts: [g] }) => [x.type.dtype === 'f32' && y.type.dtype === 'f32' ? g : undefined],
  batch: batchAxisKept('cast'),
};

