import { bool, f32, i32, tabulate, u32, type RefTable } from './ref-case.ts';

/** x[a][b][c] = 12a + 4b + c: every element names its own coordinates. */
const X234 = tabulate('f32', [2, 3, 4], (a, b, c) => 12 * a + 4 * b + c);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const MOVEMENT_CASES: RefTable = {
  reshape: [
    { name: '[2,3] → [3,2] keeps row-major order', attrs: { shape: [3, 2] }, inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6])], expected: [f32([3, 2], [1, 2, 3, 4, 5, 6])] },
    { name: '[6] → [1,6,1]', attrs: { shape: [1, 6, 1] }, inputs: [i32([6], range(6))], expected: [i32([1, 6, 1], range(6))] },
    { name: '[] → [1,1]', attrs: { shape: [1, 1] }, inputs: [f32([], [7])], expected: [f32([1, 1], [7])] },
    {
      name: 'symbolic [N,2,3] → [N,6] with N = 2',
      attrs: { shape: ['N', 6] },
      inputs: [f32([2, 2, 3], range(12))],
      inputTypes: [{ dtype: 'f32', shape: ['N', 2, 3] }],
      expected: [f32([2, 6], range(12))],
    },
  ],
  broadcast_in_dim: [
    { name: '[3] → [2,3] along dims [1]', attrs: { shape: [2, 3], dims: [1] }, inputs: [f32([3], [1, 2, 3])], expected: [f32([2, 3], [1, 2, 3, 1, 2, 3])] },
    { name: '[3] → [3,2] along dims [0]', attrs: { shape: [3, 2], dims: [0] }, inputs: [f32([3], [1, 2, 3])], expected: [f32([3, 2], [1, 1, 2, 2, 3, 3])] },
    {
      name: '[1,3] → [4,2,3] along dims [1,2] (the 1 stretches)',
      attrs: { shape: [4, 2, 3], dims: [1, 2] },
      inputs: [i32([1, 3], [5, 6, 7])],
      expected: [tabulate('i32', [4, 2, 3], (_a, _b, c) => 5 + c)],
    },
    { name: 'a scalar → [2,2]', attrs: { shape: [2, 2], dims: [] }, inputs: [bool([], [1])], expected: [bool([2, 2], [1, 1, 1, 1])] },
    {
      name: 'symbolic: [3] → [N,3] with N = 2',
      attrs: { shape: ['N', 3], dims: [1] },
      inputs: [f32([3], [1, 2, 3]), f32([2], [0, 0])],
      inputTypes: [{ dtype: 'f32', shape: [3] }, { dtype: 'f32', shape: ['N'] }],
      operands: [0],
      expected: [f32([2, 3], [1, 2, 3, 1, 2, 3])],
    },
  ],
  transpose: [
    {
      name: '2×3×4 by perm [2,0,1]: out[i][j][k] = x[j][k][i]',
      attrs: { perm: [2, 0, 1] },
      inputs: [X234],
      expected: [tabulate('f32', [4, 2, 3], (i, j, k) => 12 * j + 4 * k + i)],
    },
    {
      name: '2×3×4 by perm [1,2,0]: out[i][j][k] = x[k][i][j]',
      attrs: { perm: [1, 2, 0] },
      inputs: [X234],
      expected: [tabulate('f32', [3, 4, 2], (i, j, k) => 12 * k + 4 * i + j)],
    },
    { name: 'a 2×3 matrix', attrs: { perm: [1, 0] }, inputs: [u32([2, 3], [1, 2, 3, 4, 5, 6])], expected: [u32([3, 2], [1, 4, 2, 5, 3, 6])] },
    { name: 'identity perm', attrs: { perm: [0, 1, 2] }, inputs: [X234], expected: [X234] },
  ],
  slice: [
    { name: '[10] from 1 to 9 by 3', attrs: { start: [1], limit: [9], stride: [3] }, inputs: [i32([10], range(10))], expected: [i32([3], [1, 4, 7])] },
    {
      name: '[4,5] rows 1..4 by 2, columns 0..5 by 2',
      attrs: { start: [1, 0], limit: [4, 5], stride: [2, 2] },
      inputs: [tabulate('f32', [4, 5], (r, c) => 10 * r + c)],
      expected: [f32([2, 3], [10, 12, 14, 30, 32, 34])],
    },
    {
      name: 'a 2×3×4 block x[:, 1:3, 1:4:2]',
      attrs: { start: [0, 1, 1], limit: [2, 3, 4], stride: [1, 1, 2] },
      inputs: [X234],
      expected: [tabulate('f32', [2, 2, 2], (a, b, c) => 12 * a + 4 * (b + 1) + (1 + 2 * c))],
    },
    { name: 'an empty slice', attrs: { start: [2], limit: [2], stride: [1] }, inputs: [f32([4], range(4))], expected: [f32([0], [])] },
    {
      name: 'a symbolic axis kept whole: [N,4] with N = 2',
      attrs: { start: [0, 2], limit: ['N', 4], stride: [1, 1] },
      inputs: [tabulate('f32', [2, 4], (r, c) => 10 * r + c)],
      inputTypes: [{ dtype: 'f32', shape: ['N', 4] }],
      expected: [f32([2, 2], [2, 3, 12, 13])],
    },
  ],
  pad: [
    {
      name: '[2,2] low [1,0] high [0,2] with 9',
      attrs: { low: [1, 0], high: [0, 2], value: 9 },
      inputs: [f32([2, 2], [1, 2, 3, 4])],
      expected: [f32([3, 4], [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9])],
    },
    { name: '[3] with -inf on both sides', attrs: { low: [2], high: [1], value: -Infinity }, inputs: [f32([3], [1, 2, 3])], expected: [f32([6], [-Infinity, -Infinity, 1, 2, 3, -Infinity])] },
    { name: 'i32 with -1', attrs: { low: [1], high: [1], value: -1 }, inputs: [i32([2], [5, 6])], expected: [i32([4], [-1, 5, 6, -1])] },
    { name: 'i32 with a fractional value stores it as an i32 would (2.7 → 2)', attrs: { low: [1], high: [0], value: 2.7 }, inputs: [i32([1], [5])], expected: [i32([2], [2, 5])] },
    { name: 'bool with true', attrs: { low: [0], high: [2], value: 1 }, inputs: [bool([1], [0])], expected: [bool([3], [0, 1, 1])] },
    { name: 'no padding', attrs: { low: [0, 0], high: [0, 0], value: 5 }, inputs: [f32([1, 2], [3, 4])], expected: [f32([1, 2], [3, 4])] },
  ],
  concatenate: [
    {
      name: 'three operands along axis 1',
      attrs: { axis: 1 },
      inputs: [f32([2, 1], [1, 2]), f32([2, 2], [3, 4, 5, 6]), f32([2, 3], [7, 8, 9, 10, 11, 12])],
      expected: [f32([2, 6], [1, 3, 4, 7, 8, 9, 2, 5, 6, 10, 11, 12])],
    },
    {
      name: 'three operands along axis 0',
      attrs: { axis: 0 },
      inputs: [i32([1, 2], [1, 2]), i32([2, 2], [3, 4, 5, 6]), i32([1, 2], [7, 8])],
      expected: [i32([4, 2], range(8).map((i) => i + 1))],
    },
    {
      name: 'along the middle axis of 3-D operands',
      attrs: { axis: 1 },
      inputs: [X234, tabulate('f32', [2, 1, 4], (a, _b, c) => -(a * 4 + c))],
      expected: [tabulate('f32', [2, 4, 4], (a, b, c) => (b < 3 ? 12 * a + 4 * b + c : -(a * 4 + c)))],
    },
    { name: 'one operand', attrs: { axis: 0 }, inputs: [f32([2], [1, 2])], expected: [f32([2], [1, 2])] },
  ],
  gather: [
    {
      name: 'rows with clamped out-of-range and negative indices',
      attrs: { axis: 0 },
      inputs: [f32([4, 2], [0, 1, 10, 11, 20, 21, 30, 31]), i32([5], [2, -1, 7, 0, 3])],
      expected: [f32([5, 2], [20, 21, 0, 1, 30, 31, 0, 1, 30, 31])],
    },
    {
      name: 'along axis 1 with 2-D indices: out[i][j][k] = x[i][idx[j][k]]',
      attrs: { axis: 1 },
      inputs: [tabulate('f32', [2, 3], (r, c) => 10 * r + c), i32([2, 2], [2, 0, 1, 1])],
      expected: [tabulate('f32', [2, 2, 2], (i, j, k) => 10 * i + [2, 0, 1, 1][j * 2 + k])],
    },
    {
      name: 'u32 indices past the end are clamped',
      attrs: { axis: 0 },
      inputs: [i32([3], [5, 6, 7]), u32([3], [4294967295, 1, 3])],
      expected: [i32([3], [7, 6, 7])],
    },
    { name: 'a scalar index drops the axis', attrs: { axis: 1 }, inputs: [X234, i32([], [2])], expected: [tabulate('f32', [2, 4], (a, c) => 12 * a + 8 + c)] },
  ],
};
