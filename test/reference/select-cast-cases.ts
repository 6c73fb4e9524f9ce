import type { DType } from '../../src/ir/index.ts';
import { bool, f32, i32, tabulate, tensor, uniform, type RefCase, type RefTable } from './ref-case.ts';

/** A cast of hand-worked values: `rows` are (input, output) pairs. */
function castRows(from: DType, to: DType, rows: readonly (readonly [number, number])[]): RefCase {
  const n = [rows.length];
  return {
    name: `${from} → ${to}`,
    attrs: { dtype: to },
    inputs: [tensor(from, n, rows.map((r) => r[0]))],
    expected: [tensor(to, n, rows.map((r) => r[1]))],
  };
}

const a = uniform(30, 6, -5, 5);
const pred = [1, 0];

export const SELECT_CAST_CASES: RefTable = {
  select: [
    {
      name: 'pred [2,1], a [2,3], b [] broadcast to [2,3]',
      attrs: {},
      inputs: [bool([2, 1], pred), f32([2, 3], a), f32([], [-7])],
      expected: [tabulate('f32', [2, 3], (i, j) => (pred[i] ? a[i * 3 + j] : -7))],
    },
    {
      name: 'i32 branches, pred [3] against [2,3]',
      attrs: {},
      inputs: [bool([3], [0, 1, 1]), i32([2, 3], [1, 2, 3, 4, 5, 6]), i32([2, 3], [-1, -2, -3, -4, -5, -6])],
      expected: [i32([2, 3], [-1, 2, 3, -4, 5, 6])],
    },
    {
      name: 'bool branches',
      attrs: {},
      inputs: [bool([4], [1, 0, 1, 0]), bool([4], [1, 1, 0, 0]), bool([], [1])],
      expected: [bool([4], [1, 1, 0, 1])],
    },
    {
      name: 'NaN and -0 pass through unchanged',
      attrs: {},
      inputs: [bool([2], [1, 0]), f32([2], [NaN, 0]), f32([2], [0, -0])],
      expected: [f32([2], [NaN, -0])],
    },
  ],
  cast: [
    // Floats truncate toward zero and saturate; NaN becomes 0.
    castRows('f32', 'i32', [[3e9, 2147483520], [-3e9, -2147483648], [-1.5, -1], [1.5, 1], [2.9, 2], [-2.9, -2], [-0, 0], [Infinity, 2147483520], [-Infinity, -2147483648], [NaN, 0]]),
    castRows('f32', 'u32', [[-3, 0], [3.7, 3], [5e9, 4294967040], [-0.5, 0], [Infinity, 4294967040], [NaN, 0]]),
    // Anything that is not zero is true, NaN included (WGSL `x != 0.0`).
    castRows('f32', 'bool', [[0, 0], [-0, 0], [0.5, 1], [-2, 1], [1e-30, 1], [Infinity, 1], [NaN, 1]]),
    castRows('i32', 'f32', [[-7, -7], [2147483647, 2147483647], [-2147483648, -2147483648]]),
    // Integer to integer keeps the bits.
    castRows('i32', 'u32', [[-1, 4294967295], [-2147483648, 2147483648], [5, 5]]),
    castRows('u32', 'i32', [[4294967295, -1], [2147483648, -2147483648], [7, 7]]),
    castRows('u32', 'f32', [[4294967295, 4294967295], [0, 0]]),
    castRows('i32', 'bool', [[0, 0], [-1, 1], [2, 1]]),
    castRows('u32', 'bool', [[0, 0], [4294967295, 1]]),
    castRows('bool', 'f32', [[1, 1], [0, 0]]),
    castRows('bool', 'i32', [[1, 1], [0, 0]]),
    castRows('bool', 'u32', [[1, 1], [0, 0]]),
    castRows('f32', 'f32', [[NaN, NaN], [1e-30, 1e-30]]),
  ],
};
