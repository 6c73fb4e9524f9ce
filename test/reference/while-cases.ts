import { GraphBuilder, type Graph } from '../../src/ir/index.ts';
import { f32, i32, type RefCase, type RefTable } from './ref-case.ts';

/** cond(x: f32[2], k: i32[], limit: f32[]) = Σx < limit. */
function sumBelow(): Graph {
  const g = new GraphBuilder();
  const x = g.input({ dtype: 'f32', shape: [2] });
  g.input({ dtype: 'i32', shape: [] });
  const limit = g.input({ dtype: 'f32', shape: [] });
  return g.build([g.add1('lt', [g.add1('reduce_sum', [x], { axes: [0], keepdims: false }), limit], {})], 'cond');
}

/** body(x, k, limit) = (2x + 1, k + 1). */
function doubleAndCount(): Graph {
  const g = new GraphBuilder();
  const x = g.input({ dtype: 'f32', shape: [2] });
  const k = g.input({ dtype: 'i32', shape: [] });
  g.input({ dtype: 'f32', shape: [] });
  const two = g.add1('constant', [], { shape: [], dtype: 'f32', value: [2] });
  const one = g.add1('constant', [], { shape: [], dtype: 'f32', value: [1] });
  const oneI = g.add1('constant', [], { shape: [], dtype: 'i32', value: [1] });
  return g.build([g.add1('add', [g.add1('mul', [x, two], {}), one], {}), g.add1('add', [k, oneI], {})], 'body');
}

/** The same loop in JS: (x, k) after it stops. */
function expected(x0: number[], limit: number, maxTrips: number): RefCase['expected'] {
  let x = [...x0];
  let k = 0;
  while (k < maxTrips && x[0] + x[1] < limit) {
    x = x.map((v) => 2 * v + 1);
    k++;
  }
  return [f32([2], x), i32([], [k])];
}

const X0 = [0.5, -0.25];

function whileCase(name: string, limit: number, maxTrips: number): RefCase {
  return {
    name,
    attrs: { max_trips: maxTrips, check_every: 3, carried: 2 },
    regions: [sumBelow(), doubleAndCount()],
    inputs: [f32([2], X0), i32([], [0]), f32([], [limit])],
    expected: expected(X0, limit, maxTrips),
  };
}

export const WHILE_CASES: RefTable = {
  while_loop: [
    // Σx: 0.25, 2.5, 7, 16, 34, ...
    whileCase('stops at the first state whose cond is false (4 trips, limit 20)', 20, 100),
    whileCase('stops at max_trips while cond still holds', 1e9, 6),
    whileCase('takes no trip when cond fails at the start', 0, 100),
    whileCase('max_trips 0 takes no trip', 20, 0),
  ],
};
