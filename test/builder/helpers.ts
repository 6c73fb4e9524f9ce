import { expect } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type DType, type HostTensor } from '../../src/ir/index.ts';

export const ht = (shape: readonly number[], data: ArrayLike<number>, dtype: DType = 'f32'): HostTensor =>
  hostTensor(dtype, shape, data);

/** Deterministic pseudo-random values in [lo, hi) (mulberry32), independent of axonic's RNG. */
export function randomValues(seed: number, n: number, lo = -1, hi = 1): number[] {
  let state = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(lo + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo));
  }
  return out;
}

export const randomTensor = (seed: number, shape: readonly number[], lo = -1, hi = 1): HostTensor =>
  ht(shape, randomValues(seed, shape.reduce((a, b) => a * b, 1), lo, hi));

/** Traces `fn` on the inputs' types, evaluates the graph with the reference, returns every output. */
export function evalAll(fn: (...xs: ax.Tensor[]) => ax.Tree<ax.Tensor>, ...inputs: HostTensor[]): HostTensor[] {
  return evaluate(ax.trace(fn, ...inputs), inputs);
}

/** The single output of `fn` on the inputs. */
export const eval1 = (fn: (...xs: ax.Tensor[]) => ax.Tensor, ...inputs: HostTensor[]): HostTensor => evalAll(fn, ...inputs)[0];

/** Row-major coordinates of flat index i. */
export function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    c[ax] = i % shape[ax];
    i = Math.floor(i / shape[ax]);
  }
  return c;
}

export const at = (t: HostTensor, c: readonly number[]): number => t.data[c.reduce((acc, v, i) => acc * t.shape[i] + v, 0)];

/** Asserts dtype, shape and values within a relative tolerance (absolute near zero). */
export function expectTensor(actual: HostTensor, dtype: DType, shape: readonly number[], expected: ArrayLike<number>, rtol = 1e-12): void {
  expect(actual.dtype).toBe(dtype);
  expect([...actual.shape]).toEqual([...shape]);
  expect(actual.data.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual.data[i];
    if (Number.isNaN(e)) expect(a, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(e)) expect(a, `element ${i}`).toBe(e);
    else expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(e)));
  }
}
