import { coerce } from '../dtype.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor, type HostTensor } from '../host-tensor.ts';
import {
  delinearize, dimExpr, iadd, ilt, imul, isub, linearize, load, lit, select, u32, type KExpr,
} from '../kexpr.ts';
import type { OpDef } from '../op-def.ts';
import { batchAtFront, shifted } from './batching.ts';
import {
  checkShapeAttr, formatShape, formatType, isSymbol, sameSize, sizeOf, stridesOf, type Dim, type TensorType,
} from '../shape.ts';

/**
 * Evaluates `out[i] = x[source(coords of i)]` for every output element; a source of -1 reads
 * `fill` instead (padding).
 */
export function gatherRef(x: HostTensor, outShape: number[], source: (c: number[]) => number, fill = 0): HostTensor {
  const out = hostTensor(x.dtype, outShape);
  const st = stridesOf(outShape);
  const c = new Array<number>(outShape.length);
  for (let i = 0; i < out.data.length; i++) {
    for (let ax = 0; ax < outShape.length; ax++) c[ax] = Math.floor(i / st[ax]) % outShape[ax];
    const src = source(c);
    out.data[i] = src < 0 ? fill : x.data[src];
  }
  return out;
}

export const flatIndex = (c: readonly number[], shape: readonly number[]): number => c.reduce((acc, v, i) => acc * shape[i] + v, 0);
const minU = (a: KExpr, b: KExpr): KExpr => ({ k: 'binary', op: 'min', a, b, dtype: 'u32' });

export const reshape: OpDef<'reshape'> = {
  name: 'reshape',
  arity: 1,
  attrs: { shape: 'shape' },
  infer([x], { shape }) {
    checkShapeAttr('reshape', shape, [formatType(x)]);
    if (!sameSize(sizeOf(x.shape), sizeOf(shape)))
      throw new ShapeError('reshape', `cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}: element counts differ`, [formatType(x)]);
    return [{ dtype: x.dtype, shape }];
  },
  evalRef([x], { shape }) {
    return [{ dtype: x.dtype, shape: shape as number[], data: x.data.slice() }];
  },
  kernel: {
    kind: 'expr',
    build: ({ inputs: [x], output, out }) => load(0, delinearize(linearize(out, output.shape), x.shape)),
  },
  vjp: ({ e }, { inputs: [x], cts: [g] }) => [g && e.reshape(g, x.type.shape)],
  batch: batchAtFront('reshape', ({ shape }, { size }) => ({ shape: [size, ...shape] })),
};

export const broadcast_in_dim: OpDef<'broadcast_in_dim'> = {
  name: 'broadcast_in_dim',
  arity: 1,
  attrs: { shape: 'shape', dims: 'ints' },
  infer([x], { shape, dims }) {
    const bad = (why: string) => new ShapeError('broadcast_in_dim', `${why} (target ${formatShape(shape)}, dims [${dims}])`, [formatType(x)]);
    checkShapeAttr('broadcast_in_dim', shape, [formatType(x)]);
    if (dims.length !== x.shape.length) throw bad(`dims must name one output axis per operand axis`);
    dims.forEach((d, i) => {
      if (d < 0 || d >= shape.length || (i > 0 && dims[i - 1] >= d)) throw bad('dims must be increasing output axes');
      if (x.shape[i] !== 1 && x.shape[i] !== shape[d]) throw bad(`operand axis ${i} (${x.shape[i]}) cannot stretch to ${shape[d]}`);
    });
    return [{ dtype: x.dtype, shape }];
  },
  evalRef([x], { shape, dims }) {
    return [gatherRef(x, shape as number[], (c) => flatIndex(dims.map((d, i) => (x.shape[i] === 1 ? 0 : c[d])), x.shape))];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { dims }, inputs: [x], out }) => load(0, dims.map((d, i) => (x.shape[i] === 1 ? u32(0) : out[d]))),
  },
  batch: batchAtFront('broadcast_in_dim', ({ shape, dims }, { size }) => ({ shape: [size, ...shape], dims: [0, ...shifted(dims)] })),
  vjp: ({ e }, { inputs: [x], outputs: [y], attrs: { dims }, cts: [g] }) => {
    if (!g) return [undefined];
    // Sum over the new axes and over the axes that stretched from 1, then drop them.
    const axes = y.type.shape.map((_, i) => i).filter((i) => {
      const j = dims.indexOf(i);
      return j < 0 || (x.type.shape[j] === 1 && y.type.shape[i] !== 1);
    });
    return [e.reshape(e.sum(g, axes, true), x.type.shape)];
  },
};

export const transpose: OpDef<'transpose'> = {
  name: 'transpose',
  arity: 1,
  attrs: { perm: 'ints' },
  infer([x], { perm }) {
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.shape.length || sorted.some((p, i) => p !== i))
      throw new ShapeError('transpose', `perm [${perm}] is not a permutation of the ${x.shape.length} axes`, [formatType(x)]);
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }];
  },
  evalRef([x], { perm }) {
    const outShape = perm.map((p) => x.shape[p]);
    return [
      gatherRef(x, outShape, (c) => {
        const src = new Array<number>(perm.length);
        perm.forEach((p, j) => (src[p] = c[j]));
        return flatIndex(src, x.shape);
      }),
    ];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { perm }, out }) => {
      const src: KExpr[] = new Array(perm.length);
      perm.forEach((p, j) => (src[p] = out[j]));
      return load(0, src);
    },
  },
  batch: batchAtFront('transpose', ({ perm }) => ({ perm: [0, ...shifted(perm)] })),
  vjp: ({ e }, { attrs: { perm }, cts: [g] }) => {
    const inverse: number[] = [];
    perm.forEach((p, i) => (inverse[p] = i));
    return [g && e.transpose(g, inverse)];
  },
};

function sliceShape(x: TensorType, start: readonly number[], limit: readonly Dim[], stride: readonly number[]): Dim[] {
  const bad = (why: string) =>
    new ShapeError('slice', `${why} (start [${start}], limit [${limit}], stride [${stride}])`, [formatType(x)]);
  const rank = x.shape.length;
  if (start.length !== rank || limit.length !== rank || stride.length !== rank) throw bad(`need one start/limit/stride per axis`);
  return x.shape.map((d, i) => {
    if (isSymbol(d) || isSymbol(limit[i])) {
      if (start[i] !== 0 || stride[i] !== 1 || limit[i] !== d) throw bad(`symbolic axis ${i} (${d}) can only be kept whole`);
      return d;
    }
    const lim = limit[i] as number;
    if (start[i] < 0 || lim > d || start[i] > lim || stride[i] < 1) throw bad(`axis ${i}: need 0 <= start <= limit <= ${d}, stride >= 1`);
    return Math.ceil((lim - start[i]) / stride[i]);
  });
}

export const slice: OpDef<'slice'> = {
  name: 'slice',
  arity: 1,
  attrs: { start: 'ints', limit: 'shape', stride: 'ints' },
  infer([x], { start, limit, stride }) {
    return [{ dtype: x.dtype, shape: sliceShape(x, start, limit, stride) }];
  },
  evalRef([x], { start, limit, stride }) {
    const outShape = x.shape.map((_, i) => Math.ceil(((limit[i] as number) - start[i]) / stride[i]));
    return [gatherRef(x, outShape, (c) => flatIndex(c.map((v, i) => start[i] + v * stride[i]), x.shape))];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { start, stride }, out }) => load(0, out.map((c, i) => iadd(u32(start[i]), imul(c, u32(stride[i]))))),
  },
  batch: batchAtFront('slice', ({ start, limit, stride }, { size }) => ({ start: [0, ...start], limit: [size, ...limit], stride: [1, ...stride] })),
  vjp: ({ e }, { inputs: [x], attrs: { start, limit, stride }, cts: [g] }) => {
    if (!g) return [undefined];
    // Strided axes: scatter by gathering from [g, 0] with indices that point at the zero where
    // no sliced element lands. Unit-stride axes: pad with zeros.
    let out = g;
    stride.forEach((s, ax) => {
      if (s === 1) return;
      const d = x.type.shape[ax] as number;
      const n = out.type.shape[ax] as number;
      const zeroShape = out.type.shape.map((dim, i) => (i === ax ? 1 : dim));
      const extended = e.op1('concatenate', [out, e.full(zeroShape, 0, g.type.dtype)], { axis: ax });
      const idx = Array.from({ length: d }, (_, j) => {
        const k = j - start[ax];
        return k >= 0 && k % s === 0 && k / s < n ? k / s : n;
      });
      out = e.op1('gather', [extended, e.op1('constant', [], { shape: [d], dtype: 'i32', value: idx })], { axis: ax });
    });
    const low = start.map((v, i) => (stride[i] === 1 ? v : 0));
    const high = x.type.shape.map((d, i) => (stride[i] === 1 && !isSymbol(d) ? d - (limit[i] as number) : 0));
    const padded = low.some((v) => v) || high.some((v) => v) ? e.op1('pad', [out], { low, high, value: 0 }) : out;
    return [padded];
  },
};

export const pad: OpDef<'pad'> = {
  name: 'pad',
  arity: 1,
  attrs: { low: 'ints', high: 'ints', value: 'number' },
  infer([x], { low, high }) {
    const rank = x.shape.length;
    if (low.length !== rank || high.length !== rank)
      throw new ShapeError('pad', `need one low/high pair per axis (low [${low}], high [${high}])`, [formatType(x)]);
    return [
      {
        dtype: x.dtype,
        shape: x.shape.map((d, i) => {
          if (low[i] < 0 || high[i] < 0) throw new ShapeError('pad', `negative padding on axis ${i}; use slice to crop`, [formatType(x)]);
          if (isSymbol(d)) {
            if (low[i] || high[i]) throw new ShapeError('pad', `cannot pad symbolic axis ${i} (${d})`, [formatType(x)]);
            return d;
          }
          return low[i] + d + high[i];
        }),
      },
    ];
  },
  evalRef([x], { low, high, value }) {
    const outShape = x.shape.map((d, i) => low[i] + d + high[i]);
    const source = (c: number[]) => {
      const src = c.map((v, i) => v - low[i]);
      return src.every((v, i) => v >= 0 && v < x.shape[i]) ? flatIndex(src, x.shape) : -1;
    };
    return [gatherRef(x, outShape, source, coerce(x.dtype, value))];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { low, high, value }, inputs: [x], out }) => {
      // A coordinate left of the padding wraps around in u32 and fails the `< size` test too.
      let inside: KExpr | undefined;
      const src = out.map((c, i) => {
        const shifted = isub(c, u32(low[i]));
        if (low[i] !== 0 || high[i] !== 0) {
          const ok = ilt(shifted, dimExpr(x.shape[i]));
          inside = inside ? { k: 'binary', op: 'and', a: inside, b: ok, dtype: 'bool' } : ok;
        }
        return minU(shifted, isub(dimExpr(x.shape[i]), u32(1)));
      });
      const loaded = load(0, src);
      return inside ? select(inside, loaded, lit(x.dtype, coerce(x.dtype, value)), x.dtype) : loaded;
    },
  },
  batch: batchAtFront('pad', ({ low, high, value }) => ({ low: [0, ...low], high: [0, ...high], value })),
  vjp: ({ e }, { inputs: [x], attrs: { low }, cts: [g] }) => [
    g && e.op1('slice', [g], { start: low, limit: x.type.shape.map((d, i) => (isSymbol(d) ? d : low[i] + d)), stride: low.map(() => 1) }),
  ],
};
