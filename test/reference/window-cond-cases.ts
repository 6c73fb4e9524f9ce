import { GraphBuilder, type Graph, type TensorType } from '../../src/ir/index.ts';
import { bool, f32, i32, tabulate, type RefTable } from './ref-case.ts';

/** x[a][b][c] = 12a + 4b + c: every element names its own coordinates. */
const X234 = tabulate('f32', [2, 3, 4], (a, b, c) => 12 * a + 4 * b + c);
const X56 = tabulate('f32', [5, 6], (r, c) => 10 * r + c);
const clamp = (s: number, dim: number, size: number) => Math.min(Math.max(s, 0), dim - size);

/** Branches over (x: f32[3], k: i32[]): then = (x · 2, k + 1), else = (x − 1, k). */
function branches(): Graph[] {
  const make = (name: string, twice: boolean) => {
    const b = new GraphBuilder();
    const x = b.input({ dtype: 'f32', shape: [3] });
    const k = b.input({ dtype: 'i32', shape: [] });
    const c = (v: number, dtype: TensorType['dtype']) => b.add1('constant', [], { shape: [], dtype, value: [v] });
    if (twice) return b.build([b.add1('mul', [x, c(2, 'f32')], {}), b.add1('add', [k, c(1, 'i32')], {})], name);
    return b.build([b.add1('sub', [x, c(1, 'f32')], {}), k], name);
  };
  return [make('then', true), make('else', false)];
}

/** then = 1/x, else = x: at x = 0 the branch not taken would give inf. */
function guardedBranches(): Graph[] {
  const b1 = new GraphBuilder();
  const x1 = b1.input({ dtype: 'f32', shape: [2] });
  const inv = b1.add1('div', [b1.add1('constant', [], { shape: [], dtype: 'f32', value: [1] }), x1], {});
  const b2 = new GraphBuilder();
  const x2 = b2.input({ dtype: 'f32', shape: [2] });
  return [b1.build([inv], 'then'), b2.build([x2], 'else')];
}

export const WINDOW_COND_CASES: RefTable = {
  rev: [
    { name: 'axis 1 of [2,3,4]', attrs: { dims: [1] }, inputs: [X234], expected: [tabulate('f32', [2, 3, 4], (a, b, c) => 12 * a + 4 * (2 - b) + c)] },
    { name: 'axes 0 and 2 of [2,3,4]', attrs: { dims: [0, 2] }, inputs: [X234], expected: [tabulate('f32', [2, 3, 4], (a, b, c) => 12 * (1 - a) + 4 * b + (3 - c))] },
    { name: 'no axes: the identity', attrs: { dims: [] }, inputs: [i32([3], [4, 5, 6])], expected: [i32([3], [4, 5, 6])] },
    {
      name: 'a symbolic axis N = 4',
      attrs: { dims: [0] },
      inputs: [bool([4], [1, 1, 0, 1])],
      inputTypes: [{ dtype: 'bool', shape: ['N'] }],
      expected: [bool([4], [1, 0, 1, 1])],
    },
  ],
  dynamic_slice: [
    {
      name: '[5,6] window [2,3] at (1, 2)',
      attrs: { sizes: [2, 3] },
      inputs: [X56, i32([2], [1, 2])],
      expected: [tabulate('f32', [2, 3], (r, c) => 10 * (1 + r) + 2 + c)],
    },
    {
      name: 'starts past the end and below 0 are clamped into range',
      attrs: { sizes: [2, 3] },
      inputs: [X56, i32([2], [9, -4])],
      expected: [tabulate('f32', [2, 3], (r, c) => 10 * (clamp(9, 5, 2) + r) + clamp(-4, 6, 3) + c)],
    },
    {
      name: 'one batch axis: example b reads at starts[b]',
      attrs: { sizes: [2, 2] },
      inputs: [X234, i32([2, 2], [1, 2, 0, 7])],
      expected: [tabulate('f32', [2, 2, 2], (a, r, c) => {
        const [s0, s1] = a === 0 ? [1, 2] : [0, clamp(7, 4, 2)];
        return 12 * a + 4 * (s0 + r) + (s1 + c);
      })],
    },
    {
      name: 'a symbolic axis taken whole (N = 2) next to a window',
      attrs: { sizes: ['N', 2] },
      inputs: [tabulate('f32', [2, 6], (r, c) => 10 * r + c), i32([2], [5, 3])],
      inputTypes: [{ dtype: 'f32', shape: ['N', 6] }, { dtype: 'i32', shape: [2] }],
      expected: [tabulate('f32', [2, 2], (r, c) => 10 * r + 3 + c)],
    },
    { name: 'an empty window', attrs: { sizes: [0] }, inputs: [f32([4], [1, 2, 3, 4]), i32([1], [2])], expected: [f32([0], [])] },
  ],
  dynamic_update_slice: [
    {
      name: '[5,6] with a [2,3] block written at (1, 2)',
      attrs: {},
      inputs: [X56, f32([2, 3], [-1, -2, -3, -4, -5, -6]), i32([2], [1, 2])],
      expected: [tabulate('f32', [5, 6], (r, c) => (r >= 1 && r < 3 && c >= 2 && c < 5 ? -(1 + 3 * (r - 1) + (c - 2)) : 10 * r + c))],
    },
    {
      name: 'starts clamped: the block lands at the last rows and first columns',
      attrs: {},
      inputs: [X56, f32([2, 3], [-1, -2, -3, -4, -5, -6]), i32([2], [40, -3])],
      expected: [tabulate('f32', [5, 6], (r, c) => (r >= 3 && c < 3 ? -(1 + 3 * (r - 3) + c) : 10 * r + c))],
    },
    {
      name: 'one batch axis: each example written at its own start',
      attrs: {},
      inputs: [i32([2, 4], [0, 1, 2, 3, 4, 5, 6, 7]), i32([2, 2], [-1, -2, -3, -4]), i32([2, 1], [1, 3])],
      expected: [i32([2, 4], [0, -1, -2, 3, 4, 5, -3, -4])],
    },
    { name: 'an empty update leaves x as it is', attrs: {}, inputs: [f32([3], [1, 2, 3]), f32([0], []), i32([1], [1])], expected: [f32([3], [1, 2, 3])] },
  ],
  cond: [
    {
      name: 'true runs then: (x · 2, k + 1)',
      attrs: {},
      regions: branches(),
      inputs: [bool([], [1]), f32([3], [1, -2, 0.5]), i32([], [7])],
      expected: [f32([3], [2, -4, 1]), i32([], [8])],
    },
    {
      name: 'false runs else: (x − 1, k)',
      attrs: {},
      regions: branches(),
      inputs: [bool([], [0]), f32([3], [1, -2, 0.5]), i32([], [7])],
      expected: [f32([3], [0, -3, -0.5]), i32([], [7])],
    },
    {
      name: 'false gives else exactly where then would give inf',
      attrs: {},
      regions: guardedBranches(),
      inputs: [bool([], [0]), f32([2], [0, 0])],
      expected: [f32([2], [0, 0])],
    },
  ],
};
