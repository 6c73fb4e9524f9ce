import { expect } from 'vitest';
import { evalShape, fillTensor, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { maxRelError } from '../helpers/compare.ts';

/** Same dtype, shape and bits: NaN equals NaN, and -0 differs from 0. */
export function expectIdentical(actual: readonly HostTensor[], expected: readonly HostTensor[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.dtype, `${what}: output ${i} dtype`).toBe(e.dtype);
    expect([...a.shape], `${what}: output ${i} shape`).toEqual([...e.shape]);
    for (let k = 0; k < e.data.length; k++)
      if (!Object.is(a.data[k], e.data[k]) && !(Number.isNaN(a.data[k]) && Number.isNaN(e.data[k])))
        expect.fail(`${what}: output ${i} element ${k}: ${a.data[k]} != ${e.data[k]}`);
  });
}

/** Integer and bool outputs bit for bit, f32 outputs within `rtol` (NaN and infinities exactly). */
export function expectClose(actual: readonly HostTensor[], expected: readonly HostTensor[], rtol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (e.dtype !== 'f32') return expectIdentical([a], [e], `${what}: output ${i}`);
    expect([...a.shape], `${what}: output ${i} shape`).toEqual([...e.shape]);
    expect(maxRelError(a.data, e.data), `${what}: output ${i}`).toBeLessThanOrEqual(rtol);
  });
}

/** Deterministic arguments for a graph: f32 values k/64 in [-3, 3], small integers, alternating bools. */
export function sampleInputs(g: Graph, binding: ReadonlyMap<string, number> = new Map(), seed = 1): HostTensor[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return g.inputs.map(({ type }) => {
    const shape = evalShape(type.shape, binding);
    switch (type.dtype) {
      case 'f32':
        return fillTensor('f32', shape, () => Math.round((next() * 6 - 3) * 64) / 64);
      case 'i32':
        return fillTensor('i32', shape, () => Math.floor(next() * 41) - 20);
      case 'u32':
        return fillTensor('u32', shape, () => Math.floor(next() * 41));
      case 'bool':
        return fillTensor('bool', shape, (i) => (i + seed) % 2);
    }
  });
}

/** Evaluates both graphs on the same arguments and expects identical results. */
export function expectSameValues(before: Graph, after: Graph, inputs: readonly HostTensor[], what: string): void {
  expectIdentical(evaluate(after, inputs), evaluate(before, inputs), what);
}
