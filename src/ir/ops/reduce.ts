import type { DType } from '../dtype.ts';
import type { Value } from '../graph.ts';
import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import { coord, load } from '../kexpr.ts';
import type { Combiner, OpDef } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';
import { formatType, stridesOf, type Dim, type TensorType } from '../shape.ts';
import { batchAtFront, shifted } from './batching.ts';

type ReduceOp = 'reduce_sum' | 'reduce_max' | 'reduce_min';

interface ReduceSpec {
  ref(acc: number, x: number): number;
  identity(dtype: DType): number;
  combiner: Combiner;
}

const SPECS: { [K in ReduceOp]: ReduceSpec } = {
  reduce_sum: { ref: (a, x) => a + x, identity: () => 0, combiner: 'sum' },
  reduce_max: {
    combiner: 'max',
    ref: Math.max,
    identity: (d) => (d === 'f32' ? -Infinity : d === 'i32' ? -2147483648 : 0),
  },
  reduce_min: {
    combiner: 'min',
    ref: Math.min,
    identity: (d) => (d === 'f32' ? Infinity : d === 'i32' ? 2147483647 : 4294967295),
  },
};

/** Checks axes are in range, sorted and unique (the builder normalises them before building). */
function checkAxes(op: string, x: TensorType, axes: readonly number[]): void {
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    if (!Number.isInteger(a) || a < 0 || a >= x.shape.length)
      throw new ShapeError(op, `axis ${a} out of range for rank ${x.shape.length}`, [formatType(x)]);
    if (i > 0 && axes[i - 1] >= a) throw new ShapeError(op, `axes must be sorted and unique, got [${axes}]`, [formatType(x)]);
  }
}

export function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function reduceDef<K extends ReduceOp>(name: K): OpDef<K> {
  const spec = SPECS[name];
  return {
    name,
    arity: 1,
    attrs: { axes: 'ints', keepdims: 'bool' } as OpDef<K>['attrs'],
    infer([x], { axes, keepdims }) {
      if (x.dtype === 'bool') throw new ShapeError(name, 'cannot reduce bool; cast to i32 or f32 first', [formatType(x)]);
      checkAxes(name, x, axes);
      return [{ dtype: x.dtype, shape: reducedShape(x.shape, axes, keepdims) }];
    },
    evalRef([x], { axes, keepdims }) {
      const outShape = reducedShape(x.shape, axes, keepdims) as number[];
      const out = hostTensor(x.dtype, outShape);
      out.data.fill(spec.identity(x.dtype));
      // Map each input element to its output slot: drop (or zero) the reduced coordinates.
      const inStrides = stridesOf(x.shape);
      const keptStrides = stridesOf(reducedShape(x.shape, axes, true) as number[]);
      for (let i = 0; i < x.data.length; i++) {
        let o = 0;
        for (let ax = 0; ax < x.shape.length; ax++) {
          if (axes.includes(ax)) continue;
          o += Math.floor(i / inStrides[ax]) % x.shape[ax] * keptStrides[ax];
        }
        out.data[o] = spec.ref(out.data[o], x.data[i]);
      }
      if (x.dtype === 'i32') out.data.forEach((v, i) => (out.data[i] = v | 0));
      if (x.dtype === 'u32') out.data.forEach((v, i) => (out.data[i] = v >>> 0));
      return [out];
    },
    kernel: {
      kind: 'reduce',
      combiner: spec.combiner,
      identity: spec.identity,
      build: ({ attrs: { axes }, inputs: [x] }) => ({
        space: x.shape,
        axes,
        expr: load(0, x.shape.map((_, i) => coord(i))),
      }),
    },
    vjp: ({ e }, { inputs: [x], outputs: [y], attrs: { axes }, cts: [g] }) => {
      if (!g) return [undefined];
      const kept = reducedShape(x.type.shape, axes, true);
      const spread = (v: Value) => e.broadcastTo(e.reshape(v, kept), x.type.shape);
      if (name === 'reduce_sum') return [spread(g)];
      // max/min: the cotangent goes to the elements equal to the result, split evenly on ties.
      const hits = e.cast(e.binary('eq', x, spread(y)), 'f32');
      const count = e.sum(hits, axes, true);
      return [e.div(e.mul(hits, spread(g)), e.broadcastTo(count, x.type.shape))];
    },
    batch: batchAtFront(name, ({ axes, keepdims }) => ({ axes: shifted(axes), keepdims }) as OpAttrs[K]),
  };
}

export const reduceOps = {
  reduce_sum: reduceDef('reduce_sum'),
  reduce_max: reduceDef('reduce_max'),
  reduce_min: reduceDef('reduce_min'),
};
