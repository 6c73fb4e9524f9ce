import { vjpGraph } from '../../passes/autodiff.ts';
import { evaluate } from '../../runtime/reference.ts';
import {
  Emitter, GraphBuilder, hostTensor, inlineGraph,
  type DType, type Graph, type HostTensor, type Value,
} from '../../src/ir/index.ts';
import { seededChooser } from '../helpers/random-chooser.ts';

/** Reproducible uniform numbers (mulberry32 through the shared test chooser). */
export interface Rng {
  /** A number uniform in [lo, hi). */
  next(lo?: number, hi?: number): number;
  /** A tensor of uniform numbers in [lo, hi). */
  tensor(shape: readonly number[], lo?: number, hi?: number, dtype?: DType): HostTensor;
}

export function rng(seed: number): Rng {
  const c = seededChooser(seed);
  const next = (lo = -1, hi = 1) => lo + ((hi - lo) * c.int(0, 2 ** 30 - 1)) / 2 ** 30;
  return {
    next,
    tensor: (shape, lo = -1, hi = 1, dtype = 'f32') =>
      hostTensor(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next(lo, hi))),
  };
}

export const f32 = (shape: readonly number[], data: ArrayLike<number>): HostTensor => hostTensor('f32', shape, data);

/** Indices of the f32 inputs of `g`: the ones we differentiate. */
export const floatInputs = (g: Graph): number[] => g.inputs.flatMap((v, i) => (v.type.dtype === 'f32' ? [i] : []));

/** Builds a graph with one input per tensor (typed like it) from `body`. */
export function graphOf(types: readonly HostTensor[], body: (b: GraphBuilder, xs: Value[]) => Value[], name = 'main'): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input({ dtype: t.dtype, shape: t.shape }));
  return b.build(body(b, xs), name);
}

/**
 * L(x) = Σ_k Σ w_k ⊙ y_k(x): the scalar loss whose gradient is the VJP of `g` at cotangents w.
 * The weights are constants of the graph.
 */
export function weightedLoss(g: Graph, weights: readonly HostTensor[]): Graph {
  return graphOf(
    g.inputs.map((v) => hostTensor(v.type.dtype, v.type.shape as number[])),
    (b, xs) => {
      const e = new Emitter(b);
      const ys = inlineGraph(b, g, xs);
      const terms = ys.map((y, k) => {
        const w = e.op1('constant', [], { shape: weights[k].shape, dtype: 'f32', value: [...weights[k].data] });
        return e.sum(e.mul(y, w), y.type.shape.map((_, i) => i));
      });
      return [terms.reduce((acc, t) => e.add(acc, t))];
    },
    'loss',
  );
}

/** ∂L/∂x for every f32 input, by `vjpGraph` evaluated in float64. */
export function gradByVjp(loss: Graph, inputs: readonly HostTensor[]): HostTensor[] {
  const wrt = floatInputs(loss);
  const vg = vjpGraph(loss, wrt, [0]);
  return evaluate(vg, [...inputs, hostTensor('f32', [], [1])]).slice(1);
}

/** The step of a central difference at x: small, but above float64 rounding of x. */
export const fdStep = (x: number): number => 1e-6 * Math.max(1, Math.abs(x));

const withElement = (t: HostTensor, i: number, v: number): HostTensor => {
  const data = t.data.slice();
  data[i] = v;
  return { ...t, data };
};

/** ∂L/∂x for every f32 input by central differences, evaluated by the reference interpreter. */
export function gradByFd(loss: Graph, inputs: readonly HostTensor[]): HostTensor[] {
  const value = (xs: readonly HostTensor[]) => evaluate(loss, xs)[0].data[0];
  return floatInputs(loss).map((k) => {
    const x = inputs[k];
    const out = hostTensor('f32', x.shape);
    for (let i = 0; i < x.data.length; i++) {
      const h = fdStep(x.data[i]);
      const at = (v: number) => value(inputs.map((t, j) => (j === k ? withElement(t, i, v) : t)));
      out.data[i] = (at(x.data[i] + h) - at(x.data[i] - h)) / (2 * h);
    }
    return out;
  });
}

/**
 * The directional derivative of every output of `g` along tangents `t` (one per f32 input), by a
 * central difference with one step for all elements.
 */
export function directionalFd(g: Graph, inputs: readonly HostTensor[], t: readonly HostTensor[]): HostTensor[] {
  const floats = floatInputs(g);
  const scale = Math.max(1, ...inputs.flatMap((x, k) => (floats.includes(k) ? [...x.data].map(Math.abs) : [])));
  const h = fdStep(scale);
  const at = (s: number) =>
    evaluate(
      g,
      inputs.map((x, k) => {
        const j = floats.indexOf(k);
        return j < 0 ? x : { ...x, data: x.data.map((v, i) => v + s * t[j].data[i]) };
      }),
    );
  const plus = at(h);
  const minus = at(-h);
  return plus.map((p, k) => ({ ...p, data: p.data.map((v, i) => (v - minus[k].data[i]) / (2 * h)) }));
}

/** Σ_i a_i b_i over every tensor pair. */
export const dotAll = (a: readonly HostTensor[], b: readonly HostTensor[]): number =>
  a.reduce((acc, t, k) => acc + t.data.reduce((s, v, i) => s + v * b[k].data[i], 0), 0);
