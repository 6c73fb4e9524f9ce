import { GraphBuilder, type Dim, type Graph } from '../../src/ir/index.ts';
import { f32, i32, tabulate, type RefCase, type RefTable } from './ref-case.ts';

/**
 * body(c: f32[n], k: i32[], x: f32[n], b: f32[n]) = (c/2 + x + b, k + 1; ys: c/2 + x + b, k):
 * a leaky sum of the slices, a step counter, and each step's new carry and old count stacked.
 */
function leakyBody(n: Dim): Graph {
  const g = new GraphBuilder();
  const c = g.input({ dtype: 'f32', shape: [n] });
  const k = g.input({ dtype: 'i32', shape: [] });
  const x = g.input({ dtype: 'f32', shape: [n] });
  const b = g.input({ dtype: 'f32', shape: [n] });
  const half = g.add1('constant', [], { shape: [], dtype: 'f32', value: [0.5] });
  const one = g.add1('constant', [], { shape: [], dtype: 'i32', value: [1] });
  const next = g.add1('add', [g.add1('add', [g.add1('mul', [c, half], {}), x], {}), b], {});
  return g.build([next, g.add1('add', [k, one], {}), next, k], 'body');
}

const C0 = [1, -2, 4];
const B = [0.25, 0, -1];
const XS = [3, -1, 0.5, 2, 2, -4, -8, 16, 1, 0, 0.75, -0.5];

/** The same recurrence as a plain loop: the final carry and the stacked results, slice t written at t. */
function leakyExpected(length: number, reverse: boolean): RefCase['expected'] {
  let c = [...C0];
  const ys: number[] = Array(length * 3).fill(0);
  const counts: number[] = Array(length).fill(0);
  for (let step = 0; step < length; step++) {
    const t = reverse ? length - 1 - step : step;
    c = c.map((v, i) => v / 2 + XS[t * 3 + i] + B[i]);
    c.forEach((v, i) => (ys[t * 3 + i] = v));
    counts[t] = 10 + step;
  }
  return [f32([3], c), i32([], [10 + length]), f32([length, 3], ys), i32([length], counts)];
}

function leakyCase(length: number, reverse: boolean, symbolic = false): RefCase {
  return {
    name: `a leaky sum over ${length} slices${reverse ? ', reversed' : ''}${symbolic ? ', symbolic width N = 3' : ''}`,
    attrs: { length, carried: 2, scanned: 1, reverse },
    regions: [leakyBody(symbolic ? 'N' : 3)],
    inputs: [f32([3], C0), i32([], [10]), f32([length, 3], XS.slice(0, length * 3)), f32([3], B)],
    inputTypes: symbolic
      ? [{ dtype: 'f32', shape: ['N'] }, { dtype: 'i32', shape: [] }, { dtype: 'f32', shape: [length, 'N'] }, { dtype: 'f32', shape: ['N'] }]
      : undefined,
    expected: leakyExpected(length, reverse),
    rtol: 1e-15,
  };
}

/** body(x: f32[2]) = (x², no carry): a scan without carry is a map over the slices. */
function squareBody(): Graph {
  const g = new GraphBuilder();
  const x = g.input({ dtype: 'f32', shape: [2] });
  return g.build([g.add1('mul', [x, x], {})], 'body');
}

export const SCAN_CASES: RefTable = {
  scan: [
    leakyCase(4, false),
    leakyCase(4, true),
    leakyCase(0, false),
    leakyCase(3, false, true),
    {
      name: 'no carry: a map over the slices',
      attrs: { length: 3, carried: 0, scanned: 1, reverse: false },
      regions: [squareBody()],
      inputs: [f32([3, 2], [1, -2, 3, 0.5, -4, 10])],
      expected: [tabulate('f32', [3, 2], (t, i) => [1, -2, 3, 0.5, -4, 10][t * 2 + i] ** 2)],
    },
  ],
};
