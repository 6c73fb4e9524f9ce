import { expect } from 'vitest';
import {
  evalShape, GraphBuilder, hostTensor, verifyGraph,
  type DType, type Graph, type HostTensor, type OpAttrs, type OpName, type TensorType,
} from '../../src/ir/index.ts';
import { bindInputs, evaluate } from '../../runtime/reference.ts';
import { expectClose } from '../helpers/compare.ts';
import { seededChooser } from '../helpers/random-chooser.ts';
import { expectWellFormed } from '../helpers/well-formed.ts';

/**
 * One reference-evaluation case of a primitive: its operands, attributes and the results,
 * computed in the test by other means (closed forms, hand-worked values, plain loops).
 */
export interface RefCase {
  readonly name: string;
  readonly attrs: OpAttrs[OpName];
  /** The graph's arguments; all of them are the op's operands unless `operands` says which. */
  readonly inputs: readonly HostTensor[];
  /** Declared input types where they are symbolic (default: the tensors' concrete types). */
  readonly inputTypes?: readonly TensorType[];
  readonly operands?: readonly number[];
  readonly regions?: readonly Graph[];
  readonly expected: readonly HostTensor[];
  /** Largest relative error accepted (see maxRelError); 0, the default, asks for equality. */
  readonly rtol?: number;
}

/** Cases per primitive; the suite fails for any registry op without one. */
export type RefTable = { readonly [K in OpName]?: readonly RefCase[] };

export const tensor = (dtype: DType, shape: readonly number[], data: ArrayLike<number>): HostTensor => hostTensor(dtype, shape, data);
export const f32 = (shape: readonly number[], data: ArrayLike<number>) => tensor('f32', shape, data);
export const i32 = (shape: readonly number[], data: ArrayLike<number>) => tensor('i32', shape, data);
export const u32 = (shape: readonly number[], data: ArrayLike<number>) => tensor('u32', shape, data);
export const bool = (shape: readonly number[], data: ArrayLike<number>) => tensor('bool', shape, data);

/** `n` reproducible numbers uniform in [lo, hi). */
export function uniform(seed: number, n: number, lo: number, hi: number): number[] {
  const c = seededChooser(seed);
  return Array.from({ length: n }, () => lo + ((hi - lo) * c.int(0, 2 ** 30 - 1)) / 2 ** 30);
}

/** A tensor whose element at coordinates c is f(...c), filled by nested loops over the shape. */
export function tabulate(dtype: DType, shape: readonly number[], f: (...c: number[]) => number): HostTensor {
  const data: number[] = [];
  const visit = (prefix: number[]) => {
    if (prefix.length === shape.length) data.push(f(...prefix));
    else for (let i = 0; i < shape[prefix.length]; i++) visit([...prefix, i]);
  };
  visit([]);
  return tensor(dtype, shape, data);
}

/**
 * Builds a one-node graph for the case, checks it verifies, evaluates it with the reference
 * interpreter and compares every result (dtype, shape, values) with the expected one. The
 * result shapes must also be the inferred types under the inputs' binding.
 */
export function runRefCase(op: OpName, c: RefCase): void {
  const b = new GraphBuilder();
  const args = c.inputs.map((t, i) => b.input(c.inputTypes?.[i] ?? { dtype: t.dtype, shape: t.shape }));
  const operands = (c.operands ?? args.map((_, i) => i)).map((i) => args[i]);
  const outs = b.add(op, operands, c.attrs as never, { regions: c.regions ?? [] });
  const graph = b.build(outs);
  verifyGraph(graph);
  const binding = bindInputs(graph, c.inputs);
  const results = evaluate(graph, c.inputs);
  expect(results.length, 'result count').toBe(c.expected.length);
  results.forEach((r, i) => {
    expect(r.dtype, `result ${i} dtype vs inferred`).toBe(outs[i].type.dtype);
    expect([...r.shape], `result ${i} shape vs inferred`).toEqual(evalShape(outs[i].type.shape, binding));
    expectWellFormed(r, `${op} ${c.name}: result ${i}`);
    expectClose(r, c.expected[i], c.rtol ?? 0, `${op} ${c.name}: result ${i}`);
  });
}
