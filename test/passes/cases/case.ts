import {
  GraphBuilder, evalShape, hostTensor,
  type Dim, type DType, type Graph, type HostTensor, type KernelLimits, type OpName, type TensorType, type Value,
} from '../../../src/ir/index.ts';

/** Max relative error for ops whose f32 result is exactly rounded (add, mul, movement...). */
export const EXACT = 1e-5;
/** For transcendental functions and for accumulations (sums, dot products) in f32. */
export const APPROX = 1e-4;
/** Integer and bool results must match bit for bit. */
export const BITWISE = 0;

/** One WebGPU-vs-reference check: a graph, its inputs, and the tolerance of every output. */
export interface OpCase {
  readonly name: string;
  /** The primitives this case exercises (the coverage test checks every primitive has one). */
  readonly covers: readonly OpName[];
  readonly graph: Graph;
  readonly inputs: readonly HostTensor[];
  readonly rtol: number;
  readonly limits?: KernelLimits;
}

/** mulberry32: a small seeded generator, so every run sees the same data. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Value range of random data: floats uniform in [lo, hi], integers uniform over [lo, hi]; with
 * `step`, values on the grid lo + k·step only (so that ties and equal operands occur).
 */
export interface Domain {
  readonly lo: number;
  readonly hi: number;
  readonly step?: number;
}

const DEFAULT_DOMAIN: { [K in DType]: Domain } = {
  f32: { lo: -3, hi: 3 },
  i32: { lo: -1000, hi: 1000 },
  u32: { lo: 0, hi: 2000 },
  bool: { lo: 0, hi: 1 },
};

/** Random data of a concrete shape: f32 values are rounded to f32, so both sides see the same input. */
export function randomTensor(rand: () => number, dtype: DType, shape: readonly number[], domain = DEFAULT_DOMAIN[dtype]): HostTensor {
  const t = hostTensor(dtype, shape);
  for (let i = 0; i < t.data.length; i++) {
    const u = rand();
    const step = domain.step ?? (dtype === 'f32' ? 0 : 1);
    const v = step
      ? domain.lo + step * Math.floor(u * (Math.floor((domain.hi - domain.lo) / step) + 1))
      : domain.lo + u * (domain.hi - domain.lo);
    t.data[i] = dtype === 'f32' ? Math.fround(v) : v;
  }
  return t;
}

export interface CaseSpec {
  readonly name: string;
  readonly covers: readonly OpName[];
  /** Graph inputs (shapes may be symbolic; `bind` gives the sizes used at call time). */
  readonly inputs: readonly TensorType[];
  readonly bind?: Readonly<Record<string, number>>;
  /** Value range of each input (defaults by dtype). */
  readonly domains?: readonly (Domain | undefined)[];
  readonly body: (b: GraphBuilder, xs: Value[]) => Value[];
  readonly rtol: number;
  readonly seed?: number;
  readonly limits?: KernelLimits;
}

/** Builds the graph and random inputs of a case. */
export function makeCase(spec: CaseSpec): OpCase {
  const b = new GraphBuilder();
  const xs = spec.inputs.map((t) => b.input(t));
  const graph = b.build(spec.body(b, xs), 'case');
  const binding = new Map(Object.entries(spec.bind ?? {}));
  const rand = seeded(spec.seed ?? hashName(spec.name));
  const inputs = spec.inputs.map((t, i) => randomTensor(rand, t.dtype, evalShape(t.shape, binding), spec.domains?.[i]));
  return { name: spec.name, covers: spec.covers, graph, inputs, rtol: spec.rtol, limits: spec.limits };
}

/** A seed derived from the case name, so cases do not share data by accident. */
function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const f32 = (...shape: Dim[]): TensorType => ({ dtype: 'f32', shape });
export const i32 = (...shape: Dim[]): TensorType => ({ dtype: 'i32', shape });
export const u32 = (...shape: Dim[]): TensorType => ({ dtype: 'u32', shape });
export const bool = (...shape: Dim[]): TensorType => ({ dtype: 'bool', shape });
