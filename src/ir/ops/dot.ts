import { ShapeError } from '../errors.ts';
import { hostTensor } from '../host-tensor.ts';
import { coord, load, type KExpr } from '../kexpr.ts';
import type { BatchRule, ContractionSpec, OpDef } from '../op-def.ts';
import type { Value } from '../graph.ts';
import type { OpAttrs } from '../op-attrs.ts';
import { formatType, stridesOf, type Dim, type TensorType } from '../shape.ts';
import { batchedAt, shifted } from './batching.ts';

type DotAttrs = OpAttrs['dot_general'];

/** The axes of an operand that are neither batch nor contracting, in order. */
export const freeAxes = (rank: number, batch: readonly number[], contracting: readonly number[]): number[] =>
  [...Array(rank).keys()].filter((i) => !batch.includes(i) && !contracting.includes(i));

/**
 * dot_general as a contraction: each operand read at its axes' positions among the anchor's
 * coordinates, lhs (batch..., m..., k...) and rhs (batch..., k..., n...).
 */
export function dotContraction(lhs: TensorType, rhs: TensorType, a: DotAttrs): ContractionSpec {
  const lFree = freeAxes(lhs.shape.length, a.lhs_batch, a.lhs_contracting);
  const rFree = freeAxes(rhs.shape.length, a.rhs_batch, a.rhs_contracting);
  const nb = a.lhs_batch.length;
  const nk = a.lhs_contracting.length;
  const lhsCoords: KExpr[] = new Array(lhs.shape.length);
  a.lhs_batch.forEach((ax, i) => (lhsCoords[ax] = coord(i)));
  lFree.forEach((ax, i) => (lhsCoords[ax] = coord(nb + i)));
  a.lhs_contracting.forEach((ax, i) => (lhsCoords[ax] = coord(nb + lFree.length + i)));
  const rhsCoords: KExpr[] = new Array(rhs.shape.length);
  a.rhs_batch.forEach((ax, i) => (rhsCoords[ax] = coord(i)));
  a.rhs_contracting.forEach((ax, i) => (rhsCoords[ax] = coord(nb + i)));
  rFree.forEach((ax, i) => (rhsCoords[ax] = coord(nb + nk + i)));
  return {
    batch: a.lhs_batch.map((ax) => lhs.shape[ax]),
    m: lFree.map((ax) => lhs.shape[ax]),
    n: rFree.map((ax) => rhs.shape[ax]),
    k: a.lhs_contracting.map((ax) => lhs.shape[ax]),
    lhs: load(0, lhsCoords),
    rhs: load(1, rhsCoords),
  };
}

export function dotShape(lhs: TensorType, rhs: TensorType, a: DotAttrs): Dim[] {
  const operands = [formatType(lhs), formatType(rhs)];
  const fail = (why: string) => new ShapeError('dot_general', why, operands);
  if (lhs.dtype !== rhs.dtype) throw fail(`operand dtypes differ (${lhs.dtype} vs ${rhs.dtype})`);
  if (lhs.dtype === 'bool') throw fail('bool operands are not supported; cast first');
  if (a.lhs_batch.length !== a.rhs_batch.length) throw fail('lhs_batch and rhs_batch differ in length');
  if (a.lhs_contracting.length !== a.rhs_contracting.length) throw fail('lhs_contracting and rhs_contracting differ in length');
  const check = (axes: readonly number[], t: TensorType, side: string) => {
    for (const ax of axes) if (!Number.isInteger(ax) || ax < 0 || ax >= t.shape.length) throw fail(`${side} axis ${ax} out of range`);
    if (new Set(axes).size !== axes.length) throw fail(`${side} axes repeat`);
  };
  check([...a.lhs_batch, ...a.lhs_contracting], lhs, 'lhs');
  check([...a.rhs_batch, ...a.rhs_contracting], rhs, 'rhs');
  a.lhs_batch.forEach((l, i) => {
    const r = a.rhs_batch[i];
    if (lhs.shape[l] !== rhs.shape[r]) throw fail(`batch axis lhs ${l} (${lhs.shape[l]}) != rhs ${r} (${rhs.shape[r]})`);
  });
  a.lhs_contracting.forEach((l, i) => {
    const r = a.rhs_contracting[i];
    if (lhs.shape[l] !== rhs.shape[r])
      throw fail(`contracting axis lhs ${l} (${lhs.shape[l]}) != rhs ${r} (${rhs.shape[r]})`);
  });
  return [
    ...a.lhs_batch.map((i) => lhs.shape[i]),
    ...freeAxes(lhs.shape.length, a.lhs_batch, a.lhs_contracting).map((i) => lhs.shape[i]),
    ...freeAxes(rhs.shape.length, a.rhs_batch, a.rhs_contracting).map((i) => rhs.shape[i]),
  ];
}

/**
 * Both operands batched: the batch axis is one more dot batch dimension, the first, so the result
 * is batched at 0. One operand batched: its batch axis is a free axis of that side, which the
 * result lists after the batch dims (lhs) or after the lhs free axes (rhs).
 */
const batchDot: BatchRule<DotAttrs> = (ctx, { inputs: [l, r], attrs }) => {
  const lhs = ctx.front(l);
  const rhs = ctx.front(r);
  const lOn = l.axis !== undefined;
  const rOn = r.axis !== undefined;
  const side = (axes: readonly number[], on: boolean) => (on ? shifted(axes) : [...axes]);
  const both = lOn && rOn;
  const out = ctx.e.op1('dot_general', [lhs, rhs], {
    lhs_contracting: side(attrs.lhs_contracting, lOn),
    rhs_contracting: side(attrs.rhs_contracting, rOn),
    lhs_batch: both ? [0, ...shifted(attrs.lhs_batch)] : side(attrs.lhs_batch, lOn),
    rhs_batch: both ? [0, ...shifted(attrs.rhs_batch)] : side(attrs.rhs_batch, rOn),
  });
  const nb = attrs.lhs_batch.length;
  const lhsFree = freeAxes(lhs.type.shape.length, attrs.lhs_batch, attrs.lhs_contracting).length;
  return [batchedAt(out, both ? 0 : lOn ? nb : nb + lhsFree)];
};

export const dot_general: OpDef<'dot_general'> = {
  name: 'dot_general',
  arity: 2,
  attrs: { lhs_contracting: 'ints', rhs_contracting: 'ints', lhs_batch: 'ints', rhs_batch: 'ints' },
  infer([lhs, rhs], attrs) {
    return [{ dtype: lhs.dtype, shape: dotShape(lhs, rhs, attrs) }];
  },
  evalRef([lhs, rhs], a) {
    const shape = dotShape(lhs, rhs, a) as number[];
    const out = hostTensor(lhs.dtype, shape);
    const lFree = freeAxes(lhs.shape.length, a.lhs_batch, a.lhs_contracting);
    const rFree = freeAxes(rhs.shape.length, a.rhs_batch, a.rhs_contracting);
    const kShape = a.lhs_contracting.map((i) => lhs.shape[i]);
    const kCount = kShape.reduce((x, y) => x * y, 1);
    const kStrides = stridesOf(kShape);
    const ls = stridesOf(lhs.shape);
    const rs = stridesOf(rhs.shape);
    const os = stridesOf(shape);
    const nb = a.lhs_batch.length;
    // Integer products can exceed 2^53, where float64 drops the low bits that 32-bit wrapping keeps.
    const integer = lhs.dtype !== 'f32';
    for (let o = 0; o < out.data.length; o++) {
      const c = shape.map((d, ax) => Math.floor(o / os[ax]) % d);
      let lBase = 0;
      let rBase = 0;
      a.lhs_batch.forEach((ax, i) => (lBase += c[i] * ls[ax]));
      a.rhs_batch.forEach((ax, i) => (rBase += c[i] * rs[ax]));
      lFree.forEach((ax, i) => (lBase += c[nb + i] * ls[ax]));
      rFree.forEach((ax, i) => (rBase += c[nb + lFree.length + i] * rs[ax]));
      let acc = 0;
      for (let k = 0; k < kCount; k++) {
        let lo = lBase;
        let ro = rBase;
        kShape.forEach((d, j) => {
          const kc = Math.floor(k / kStrides[j]) % d;
          lo += kc * ls[a.lhs_contracting[j]];
          ro += kc * rs[a.rhs_contracting[j]];
        });
        acc = integer ? (acc + Math.imul(lhs.data[lo], rhs.data[ro])) | 0 : acc + lhs.data[lo] * rhs.data[ro];
      }
      out.data[o] = lhs.dtype === 'u32' ? acc >>> 0 : acc;
    }
    return [out];
  },
  kernel: { kind: 'contraction', build: ({ attrs, inputs: [lhs, rhs] }) => dotContraction(lhs, rhs, attrs) },
  batch: batchDot,
  vjp: ({ e }, { inputs: [lhs, rhs], attrs, cts: [g] }) => {
    if (!g) return [undefined, undefined];
    const { lhs_batch: lb, rhs_batch: rb, lhs_contracting: lc, rhs_contracting: rc } = attrs;
    const lr = lhs.type.shape.length;
    const rr = rhs.type.shape.length;
    const lFree = freeAxes(lr, lb, lc);
    const rFree = freeAxes(rr, rb, rc);
    const nb = lb.length;
    const gBatch = [...Array(nb).keys()];
    const gLhsFree = lFree.map((_, i) => nb + i);
    const gRhsFree = rFree.map((_, i) => nb + lFree.length + i);
    // One operand's cotangent: contract g's free axes of the other side with the other operand's
    // free axes, then permute [batch, own free, own contracting (in the other's axis order)] back.
    const side = (
      other: Value, otherBatch: readonly number[], otherFree: readonly number[], gOtherFree: readonly number[],
      ownBatch: readonly number[], ownFree: readonly number[], ownContract: readonly number[], otherContract: readonly number[], rank: number,
    ): Value => {
      const raw = e.op1('dot_general', [g, other], {
        lhs_contracting: gOtherFree, rhs_contracting: otherFree, lhs_batch: gBatch, rhs_batch: otherBatch,
      });
      // The other operand's remaining axes are its contracting axes, in increasing order.
      const remaining = [...otherContract].sort((a, b) => a - b).map((ax) => ownContract[otherContract.indexOf(ax)]);
      const order = [...ownBatch, ...ownFree, ...remaining];
      const perm = [...Array(rank).keys()].map((ax) => order.indexOf(ax));
      return e.transpose(raw, perm);
    };
    return [
      side(rhs, rb, rFree, gRhsFree, lb, lFree, lc, rc, lr),
      side(lhs, lb, lFree, gLhsFree, rb, rFree, rc, lc, rr),
    ];
  },
};
