import { GraphBuilder, type Graph, type Shape } from '../../src/ir/index.ts';
import { f32, i32, tabulate, type RefCase, type RefTable } from './ref-case.ts';

/** body(x: f32[rows,2], c: i32[], b: f32[2]) = (x/2 + b, c + 1): an affine relaxation and a step counter. */
function relaxBody(rows: Shape[number]): Graph {
  const g = new GraphBuilder();
  const x = g.input({ dtype: 'f32', shape: [rows, 2] });
  const c = g.input({ dtype: 'i32', shape: [] });
  const b = g.input({ dtype: 'f32', shape: [2] });
  const half = g.add1('constant', [], { shape: [], dtype: 'f32', value: [0.5] });
  const one = g.add1('constant', [], { shape: [], dtype: 'i32', value: [1] });
  const next = g.add1('add', [g.add1('mul', [x, half], {}), b], {});
  return g.build([next, g.add1('add', [c, one], {})], 'body');
}

/** body(s: i32[], c: i32[]) = (s + c, c + 1): the counter feeds the sum. */
function triangleBody(): Graph {
  const g = new GraphBuilder();
  const s = g.input({ dtype: 'i32', shape: [] });
  const c = g.input({ dtype: 'i32', shape: [] });
  const one = g.add1('constant', [], { shape: [], dtype: 'i32', value: [1] });
  return g.build([g.add1('add', [s, c], {}), g.add1('add', [c, one], {})], 'body');
}

const X0 = [1, -2, 4, 8, -16, 0.5];
const B = [3, -1];
const C0 = 10;

/** x_n = x0/2^n + 2 b (1 - 1/2^n), c_n = c0 + n: the closed form of `relaxBody` after n trips. */
function relaxCase(trips: number, symbolic = false): RefCase {
  const p = 0.5 ** trips;
  return {
    name: `affine relaxation, ${trips} trip(s)${symbolic ? ', symbolic rows N = 3' : ''}`,
    attrs: { trips, carried: 2 },
    regions: [relaxBody(symbolic ? 'N' : 3)],
    inputs: [f32([3, 2], X0), i32([], [C0]), f32([2], B)],
    inputTypes: symbolic ? [{ dtype: 'f32', shape: ['N', 2] }, { dtype: 'i32', shape: [] }, { dtype: 'f32', shape: [2] }] : undefined,
    expected: [tabulate('f32', [3, 2], (r, k) => X0[r * 2 + k] * p + 2 * B[k] * (1 - p)), i32([], [C0 + trips])],
    rtol: 1e-15,
  };
}

export const LOOP_CASES: RefTable = {
  loop: [
    relaxCase(0),
    relaxCase(1),
    relaxCase(5),
    relaxCase(5, true),
    {
      // s_n = s0 + n c0 + n(n-1)/2 with s0 = 100, c0 = 3, n = 7.
      name: 'a counter carried as i32 state feeds the other state',
      attrs: { trips: 7, carried: 2 },
      regions: [triangleBody()],
      inputs: [i32([], [100]), i32([], [3])],
      expected: [i32([], [100 + 7 * 3 + 21]), i32([], [10])],
    },
  ],
  custom_vjp: [
    {
      // The value is fwd's (x^2 + 1); bwd (a straight-through rule) never runs in evaluation.
      name: 'value of a custom_vjp is its fwd region',
      attrs: {},
      regions: [squarePlusOne(), passThroughBwd()],
      inputs: [f32([3], [1, -2, 0.5])],
      expected: [f32([3], [2, 5, 1.25])],
      rtol: 0,
    },
  ],
};

function squarePlusOne(): Graph {
  const g = new GraphBuilder();
  const x = g.input({ dtype: 'f32', shape: [3] });
  const one = g.add1('constant', [], { shape: [], dtype: 'f32', value: [1] });
  return g.build([g.add1('add', [g.add1('mul', [x, x], {}), one], {})], 'fwd');
}

function passThroughBwd(): Graph {
  const g = new GraphBuilder();
  const t = { dtype: 'f32' as const, shape: [3] };
  g.input(t);
  g.input(t);
  const ct = g.input(t);
  return g.build([ct], 'bwd');
}
