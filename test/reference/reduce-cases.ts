import type { DType } from '../../src/ir/index.ts';
import { f32, i32, tabulate, tensor, u32, uniform, type RefCase, type RefTable } from './ref-case.ts';

/** All coordinates of a shape, row-major. */
function coordinates(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((c) => Array.from({ length: d }, (_, i) => [...c, i]));
  return out;
}

/**
 * The reduction computed the other way round from the interpreter: for each output element,
 * gather the input elements that share its kept coordinates and fold them.
 */
function reduceByGathering(
  dtype: DType, shape: readonly number[], data: readonly number[], axes: readonly number[], keepdims: boolean,
  fold: (acc: number, x: number) => number, init: number,
): RefCase {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => shape[i]);
  const reducedCoords = coordinates(axes.map((a) => shape[a]));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const expected = tabulate(dtype, outShape, (...oc) => {
    const keptCoords = keepdims ? kept.map((i) => oc[i]) : oc;
    let acc = init;
    for (const rc of reducedCoords) {
      const full = new Array<number>(shape.length);
      kept.forEach((ax, j) => (full[ax] = keptCoords[j]));
      axes.forEach((ax, j) => (full[ax] = rc[j]));
      acc = fold(acc, data[full.reduce((flat, c, ax) => flat + c * strides[ax], 0)]);
    }
    return acc;
  });
  return {
    name: `${dtype}[${shape}] over axes [${axes}]${keepdims ? ', keepdims' : ''}`,
    attrs: { axes, keepdims },
    inputs: [tensor(dtype, shape, data)],
    expected: [expected],
    rtol: dtype === 'f32' ? 1e-14 : 0,
  };
}

const X = uniform(40, 24, -10, 10);
const X_WITH_INF = X.map((v, i) => (i === 5 ? -Infinity : i === 17 ? Infinity : v));
const sum = (a: number, b: number) => a + b;
const max = (a: number, b: number) => (b > a ? b : a);
const min = (a: number, b: number) => (b < a ? b : a);

/** The cases every reduction gets, on a 2×3×4 tensor. */
const shapeCases = (fold: (a: number, b: number) => number, init: number, data: number[]) => [
  reduceByGathering('f32', [2, 3, 4], data, [1], false, fold, init),
  reduceByGathering('f32', [2, 3, 4], data, [0, 2], true, fold, init),
  reduceByGathering('f32', [2, 3, 4], data, [0, 1, 2], false, fold, init),
  reduceByGathering('f32', [2, 3, 4], data, [2], true, fold, init),
  { ...reduceByGathering('f32', [2, 3, 4], data, [], false, fold, init), name: 'no axes: a copy' },
];

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const U32_MAX = 4294967295;

// Shapes with a zero-sized axis are legal, so an empty reduction gives the op's identity.
const empty = (dtype: DType, value: number): RefCase => ({
  name: `${dtype}[0,3] over axis 0 gives the identity ${value}`,
  attrs: { axes: [0], keepdims: false },
  inputs: [tensor(dtype, [0, 3], [])],
  expected: [tensor(dtype, [3], [value, value, value])],
});

export const REDUCE_CASES: RefTable = {
  reduce_sum: [
    ...shapeCases(sum, 0, X),
    reduceByGathering('i32', [2, 3], [1, -2, 3, 40, 50, -60], [1], false, sum, 0),
    { name: 'i32 wraps around', attrs: { axes: [0], keepdims: false }, inputs: [i32([3], [I32_MAX, 1, 1])], expected: [i32([], [I32_MIN + 1])] },
    { name: 'u32 wraps around', attrs: { axes: [0], keepdims: false }, inputs: [u32([2], [U32_MAX, 2])], expected: [u32([], [1])] },
    { name: 'the sum of 0.1 ten times, in float64', attrs: { axes: [0], keepdims: false }, inputs: [f32([10], Array(10).fill(0.1))], expected: [f32([], [1])], rtol: 1e-15 },
    empty('f32', 0),
    empty('i32', 0),
  ],
  reduce_max: [
    ...shapeCases(max, -Infinity, X_WITH_INF),
    reduceByGathering('i32', [2, 3], [I32_MIN, -2, -3, 4, I32_MAX, -6], [0], true, max, I32_MIN),
    reduceByGathering('u32', [4], [3, U32_MAX, 0, 7], [0], false, max, 0),
    empty('f32', -Infinity),
    empty('i32', I32_MIN),
    empty('u32', 0),
  ],
  reduce_min: [
    ...shapeCases(min, Infinity, X_WITH_INF),
    reduceByGathering('i32', [2, 3], [I32_MIN, -2, -3, 4, I32_MAX, -6], [1], false, min, I32_MAX),
    reduceByGathering('u32', [4], [3, U32_MAX, 0, 7], [0], true, min, U32_MAX),
    empty('f32', Infinity),
    empty('i32', I32_MAX),
    empty('u32', U32_MAX),
  ],
};
