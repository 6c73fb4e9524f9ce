import * as ax from '../../src/index.ts';
import { hostTensor, type DType, type HostTensor } from '../../src/ir/index.ts';

type T = ax.Tensor;

/** Deterministic values in [lo, hi): the same on every run, so failures reproduce. */
export function values(dtype: DType, shape: readonly number[], seed: number, lo = -1, hi = 1): HostTensor {
  let state = (seed * 2654435761) >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const u = state / 2 ** 32;
    return dtype === 'f32' ? lo + u * (hi - lo) : Math.floor(lo + u * (hi - lo));
  });
  return hostTensor(dtype, shape, data);
}

/**
 * A function to export: `args` as ax.trace takes them, with specs for the model's inputs and
 * arrays for its parameters (initializers); each run gives values for the spec leaves, in order,
 * at some binding of the symbolic dims.
 */
export interface ExportCase {
  readonly name: string;
  readonly fn: (...args: any[]) => unknown;
  readonly args: readonly ax.ArgTree[];
  readonly runs: readonly (readonly HostTensor[])[];
}

const f32 = (shape: readonly number[], seed: number, lo?: number, hi?: number) => values('f32', shape, seed, lo, hi);

/** A small MLP classifier step: the training examples' loss, its gradient, and an SGD update. */
function trainStep(params: { w1: T; b1: T; w2: T; b2: T }, x: T, labels: T) {
  const loss = (p: typeof params) => {
    const h = ax.tanh(x.matmul(p.w1).add(p.b1));
    const logits = h.matmul(p.w2).add(p.b2);
    return ax.nn.logSoftmax(logits).mul(ax.nn.oneHot(labels, 3)).sum(1).mean().neg();
  };
  const [value, grads] = ax.valueAndGrad(loss)(params) as [T, typeof params];
  return { loss: value, params: ax.treeMap((p: T, g: T) => p.sub(g.mul(0.5)), params, grads) };
}

const zephyrMlp = ax.zephyr.nets.mlp(ax.zephyr._, ax.zephyr._, [8, 2]);

const ste = ax.customVjp((x: T) => ax.sign(x), (_x, _y, g) => g);

export const EXPORT_CASES: readonly ExportCase[] = [
  {
    name: 'MLP training step (valueAndGrad, logSoftmax, one-hot labels) with parameters as initializers',
    fn: trainStep,
    args: [
      { w1: f32([4, 6], 1), b1: f32([6], 2), w2: f32([6, 3], 3), b2: f32([3], 4) },
      ax.spec('f32', ['N', 4]),
      ax.spec('i32', ['N']),
    ],
    runs: [
      [f32([5, 4], 5), values('i32', [5], 6, 0, 3)],
      [f32([2, 4], 7), values('i32', [2], 8, 0, 3)],
    ],
  },
  {
    name: "zephyr's MLP (README's taste), its parameter tree exported as initializers",
    fn: (p: ax.zephyr.Params, x: T) => zephyrMlp(p, x),
    args: [ax.zephyr.trace(zephyrMlp, ax.random.key(1), ax.spec('f32', ['N', 3])) as ax.ArgTree, ax.spec('f32', ['N', 3])],
    runs: [[f32([4, 3], 24)], [f32([1, 3], 25)]],
  },
  {
    name: 'relaxation: a 50-step loop with a loop-invariant weight',
    fn: (s: T, w: T, x: T) => ax.loop(50, (st: T) => st.add(st.neg().add(ax.tanh(st.matmul(w).add(x))).mul(0.1)), s),
    args: [ax.spec('f32', ['N', 8]), f32([8, 8], 9, -0.5, 0.5), ax.spec('f32', ['N', 8])],
    runs: [[f32([3, 8], 10), f32([3, 8], 11)]],
  },
  {
    name: 'custom VJP (straight-through sign) exported as its forward, and cond/switch as If',
    fn: (x: T, k: T) => {
      const y = ste(x).mul(ax.cond(x.sum().gt(0), (v: T) => v.mul(2), (v: T) => v.neg(), x));
      return [y, ax.switch(k, [ax.sin, ax.cos, ax.tanh], x)];
    },
    args: [ax.spec('f32', ['N', 3]), ax.spec('i32', [])],
    runs: [
      [f32([4, 3], 12, -0.2, 1), hostTensor('i32', [], [1])],
      [f32([2, 3], 13, -1, 0.2), hostTensor('i32', [], [7])],
    ],
  },
  {
    name: 'movement: pad, strided slice, flip, concatenate, take (clamped), dynamic slices, tril, roll, tile',
    fn: (x: T, idx: T, at: T) => {
      const padded = ax.pad(x, [[1, 2], [0, 1]], 0.5);
      const strided = ax.slice(padded, [0, 1], [7, 5], [2, 2]);
      const window = ax.dynamicSlice(x, at, [2, 3]);
      const updated = ax.dynamicUpdateSlice(x, window.mul(10), ax.add(at, 1));
      return [
        ax.concatenate([ax.flip(strided, 1), strided], 1),
        ax.take(x, idx, 0),
        updated,
        ax.tril(ax.roll(x, 1, 0)),
        ax.tile(window, [1, 2]),
        ax.transpose(x.mul(padded.sum())),
      ];
    },
    args: [ax.spec('f32', [4, 4]), ax.spec('i32', [5]), ax.spec('i32', [2])],
    runs: [[f32([4, 4], 14), hostTensor('i32', [5], [0, 3, -2, 9, 1]), hostTensor('i32', [2], [1, 3])]],
  },
  {
    name: 'contractions (batched matmul, einsum with two contracted axes) and reductions over a symbolic batch',
    fn: (a: T, b: T, c: T) => [
      a.matmul(b),
      ax.einsum('nij,jik->nk', a, c),
      ax.max(a, [1, 2]),
      ax.min(a, 2, true),
      ax.argmax(a, 2),
      ax.logsumexp(a, 1),
    ],
    args: [ax.spec('f32', ['N', 3, 4]), ax.spec('f32', ['N', 4, 2]), f32([4, 3, 5], 15)],
    runs: [[f32([2, 3, 4], 16), f32([2, 4, 2], 17)]],
  },
  {
    name: 'elementwise: transcendental functions near their awkward points, comparisons and selects',
    fn: (x: T, y: T) => [
      ax.log1p(x.mul(1e-3)),
      ax.expm1(x.mul(1e-3)),
      ax.erf(x),
      ax.arctan2(x, y),
      ax.arcsinh(x).add(ax.arctanh(x.mul(0.5))).add(ax.arccos(x.mul(0.9))),
      ax.where(x.gt(y), ax.sqrt(ax.abs(x)), ax.power(ax.abs(y).add(1), x)),
      ax.sigmoid(x).add(ax.round(x.mul(3))).add(ax.mod(x.mul(5), 2)),
      ax.rsqrt(ax.abs(x).add(0.5)).add(ax.floor(x.mul(4))).add(ax.ceil(y.mul(4))).add(ax.tan(x)),
      ax.arcsin(x.mul(0.9)).add(ax.arctan(y.mul(3))).add(ax.sinh(x)).add(ax.cosh(y)).add(ax.arccosh(ax.abs(x).add(1))),
      ax.maximum(x, y).sub(ax.minimum(x, y)).mul(ax.greaterEqual(x, y).astype('f32')),
    ],
    args: [ax.spec('f32', ['N']), ax.spec('f32', ['N'])],
    runs: [[f32([64], 18), f32([64], 19)]],
  },
  {
    name: 'integers: shifts, bitwise ops, remainders and floor division of i32 and u32',
    fn: (a: T, b: T, u: T) => [
      ax.leftShift(a, b),
      ax.rightShift(a, b),
      ax.rightShift(u, b.astype('u32')),
      ax.bitwiseXor(ax.bitwiseAnd(a, 0x0ff0), ax.invert(b)),
      ax.remainder(a, b.add(40)),
      ax.fmod(a, b.add(40)),
      ax.floorDivide(a, b.add(40)),
      a.astype('f32').mul(0.25),
    ],
    args: [ax.spec('i32', [16]), ax.spec('i32', [16]), ax.spec('u32', [16])],
    runs: [[values('i32', [16], 20, -5000, 5000), values('i32', [16], 21, 0, 40), values('u32', [16], 22, 0, 2 ** 32)]],
  },
];
