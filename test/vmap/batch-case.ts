import {
  Emitter, GraphBuilder, hostTensor, stridesOf,
  type DType, type Graph, type HostTensor, type OpName, type Value,
} from '../../src/ir/index.ts';
import { seededChooser } from '../helpers/random-chooser.ts';

/** Reproducible random example data. */
export interface Draw {
  /** f32 uniform in [lo, hi). */
  f32(shape: readonly number[], lo?: number, hi?: number): HostTensor;
  /** Integers uniform in [lo, hi] of an integer dtype (or bool with [0, 1]). */
  int(dtype: DType, shape: readonly number[], lo: number, hi: number): HostTensor;
}

export function draw(seed: number): Draw {
  const c = seededChooser(seed);
  const fill = (dtype: DType, shape: readonly number[], f: () => number) =>
    hostTensor(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f));
  return {
    // Rounded to f32, so that the GPU and the float64 reference read the same numbers.
    f32: (shape, lo = -2, hi = 2) => fill('f32', shape, () => Math.fround(lo + ((hi - lo) * c.int(0, 2 ** 30 - 1)) / 2 ** 30)),
    int: (dtype, shape, lo, hi) => fill(dtype, shape, () => c.int(lo, hi)),
  };
}

/** One row of the batching table: a small graph around one primitive, typed by one example. */
export interface BatchCase {
  readonly op: OpName;
  readonly name: string;
  /** The inputs of one example (drawn afresh for each example of a batched input). */
  example(d: Draw): HostTensor[];
  build(e: Emitter, xs: Value[]): Value[];
}

export function caseGraph(c: BatchCase, types: readonly HostTensor[]): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input({ dtype: t.dtype, shape: t.shape }));
  return b.build(c.build(new Emitter(b), xs), c.op);
}

export const constOf = (e: Emitter, t: HostTensor): Value => e.op1('constant', [], { shape: t.shape, dtype: t.dtype, value: [...t.data] });

/** Examples (all of one shape) stacked along a new axis `axis`. */
export function stack(examples: readonly HostTensor[], axis: number): HostTensor {
  const shape = [...examples[0].shape];
  shape.splice(axis, 0, examples.length);
  const out = hostTensor(examples[0].dtype, shape);
  const st = stridesOf(shape);
  for (let i = 0; i < out.data.length; i++) {
    const c = shape.map((d, ax) => Math.floor(i / st[ax]) % d);
    const [b] = c.splice(axis, 1);
    const inner = stridesOf(examples[b].shape);
    out.data[i] = examples[b].data[c.reduce((acc, v, ax) => acc + v * inner[ax], 0)];
  }
  return out;
}

/** Example `b` of a batch stacked along `axis` (the inverse of `stack`). */
export function example(t: HostTensor, axis: number, b: number): HostTensor {
  const shape = t.shape.filter((_, i) => i !== axis);
  const out = hostTensor(t.dtype, shape);
  const st = stridesOf(shape);
  const full = stridesOf(t.shape);
  for (let i = 0; i < out.data.length; i++) {
    const c = shape.map((d, ax) => Math.floor(i / st[ax]) % d);
    c.splice(axis, 0, b);
    out.data[i] = t.data[c.reduce((acc, v, ax) => acc + v * full[ax], 0)];
  }
  return out;
}
