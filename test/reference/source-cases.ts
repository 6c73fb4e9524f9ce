import { bool, f32, i32, tabulate, u32, type RefTable } from './ref-case.ts';
import { threefryOracle } from './threefry-oracle.ts';

/** An unused f32[N] argument whose length binds N for ops that take no operands. */
const bindN = (n: number) => ({ inputs: [f32([n], new Array(n).fill(0))], inputTypes: [{ dtype: 'f32' as const, shape: ['N'] }], operands: [] });

const KEY: [number, number] = [0x13198a2e, 0x03707344];
const word0 = (key: readonly [number, number], i: number) => threefryOracle(key, [i, 0])[0];

export const SOURCE_CASES: RefTable = {
  iota: [
    { name: 'f32 [2,3] along dimension 1', attrs: { shape: [2, 3], dimension: 1, dtype: 'f32' }, inputs: [], expected: [f32([2, 3], [0, 1, 2, 0, 1, 2])] },
    { name: 'i32 [2,3] along dimension 0', attrs: { shape: [2, 3], dimension: 0, dtype: 'i32' }, inputs: [], expected: [i32([2, 3], [0, 0, 0, 1, 1, 1])] },
    {
      name: 'u32 [2,3,2] along dimension 1',
      attrs: { shape: [2, 3, 2], dimension: 1, dtype: 'u32' },
      inputs: [],
      expected: [tabulate('u32', [2, 3, 2], (_a, b) => b)],
    },
    { name: 'symbolic [N,2] along N, with N = 3', attrs: { shape: ['N', 2], dimension: 0, dtype: 'f32' }, ...bindN(3), expected: [f32([3, 2], [0, 0, 1, 1, 2, 2])] },
  ],
  constant: [
    { name: 'i32 data [2,2]', attrs: { shape: [2, 2], dtype: 'i32', value: [1, -2, 3, 2147483647] }, inputs: [], expected: [i32([2, 2], [1, -2, 3, 2147483647])] },
    {
      name: 'f32 data with special values',
      attrs: { shape: [5], dtype: 'f32', value: [NaN, -0, Infinity, -Infinity, 1e-30] },
      inputs: [],
      expected: [f32([5], [NaN, -0, Infinity, -Infinity, 1e-30])],
    },
    { name: 'a splat over a symbolic shape [N,3], with N = 2', attrs: { shape: ['N', 3], dtype: 'f32', value: [0.5] }, ...bindN(2), expected: [f32([2, 3], new Array(6).fill(0.5))] },
    { name: 'a scalar', attrs: { shape: [], dtype: 'u32', value: [4294967295] }, inputs: [], expected: [u32([], [4294967295])] },
    { name: 'a bool splat', attrs: { shape: [3], dtype: 'bool', value: [1] }, inputs: [], expected: [bool([3], [1, 1, 1])] },
    // Values are stored as the dtype holds them: an i32 constant truncates toward zero.
    { name: 'i32 values truncate', attrs: { shape: [2], dtype: 'i32', value: [2.7, -2.7] }, inputs: [], expected: [i32([2], [2, -2])] },
  ],
  random_bits: [
    {
      name: 'key (0,0): element i is word 0 of threefry((0,0), (i,0))',
      attrs: { shape: [6] },
      inputs: [u32([2], [0, 0])],
      expected: [u32([6], [0x6b200159, ...[1, 2, 3, 4, 5].map((i) => word0([0, 0], i))])],
    },
    {
      name: 'a 2×3 shape counts elements row-major',
      attrs: { shape: [2, 3] },
      inputs: [u32([2], KEY)],
      expected: [tabulate('u32', [2, 3], (r, c) => word0(KEY, r * 3 + c))],
    },
    {
      name: 'a symbolic shape [N,2] with N = 3',
      attrs: { shape: ['N', 2] },
      inputs: [u32([2], KEY), f32([3], [0, 0, 0])],
      inputTypes: [{ dtype: 'u32', shape: [2] }, { dtype: 'f32', shape: ['N'] }],
      operands: [0],
      expected: [tabulate('u32', [3, 2], (r, c) => word0(KEY, r * 2 + c))],
    },
  ],
};
