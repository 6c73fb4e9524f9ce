import { GraphBuilder, type Graph, type TensorType, type Value } from '../../../src/ir/index.ts';
import { EXACT, f32, i32, makeCase, type OpCase } from './case.ts';

function region(types: readonly TensorType[], build: (b: GraphBuilder, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(build(b, xs), name);
}

const scalar = (b: GraphBuilder, value: number, dtype: 'f32' | 'i32' = 'f32') => b.add1('constant', [], { shape: [], dtype, value: [value] });

/**
 * Carried (x: f32[N,2], k: i32[]), constant limit: f32[]: x ← 2x + 1, k ← k + 1 while Σx < limit.
 * Each case runs the loop at check_every 1, 3 and 64: the results must not depend on it.
 */
const TYPES = [f32('N', 2), i32(), f32()];
const cond = region(TYPES, (b, [x, , limit]) => [b.add1('lt', [b.add1('reduce_sum', [x], { axes: [0, 1], keepdims: false }), limit], {})], 'cond');
const body = region(TYPES, (b, [x, k]) => [
  b.add1('add', [b.add1('mul', [x, scalar(b, 2)], {}), scalar(b, 1)], {}),
  b.add1('add', [k, scalar(b, 1, 'i32')], {}),
], 'body');

const whileOf = (b: GraphBuilder, [x, limit]: Value[], maxTrips: number) =>
  [1, 3, 64].flatMap((checkEvery) =>
    b.add('while_loop', [x, scalar(b, 0, 'i32'), limit], { max_trips: maxTrips, check_every: checkEvery, carried: 2 }, { regions: [cond, body] }),
  );

export const whileCases = (): OpCase[] => [
  makeCase({
    name: 'while_loop stopping inside a chunk, at max_trips, and before any trip (N = 3; check_every 1, 3, 64)',
    covers: ['while_loop'],
    inputs: [f32('N', 2), f32()],
    bind: { N: 3 },
    domains: [{ lo: 0, hi: 1, step: 0.25 }, { lo: 40, hi: 40 }],
    body: (b, [x, limit]) => {
      const stops = whileOf(b, [x, limit], 100);
      const bounded = whileOf(b, [x, limit], 2);
      const none = whileOf(b, [x, b.add1('neg', [limit], {})], 100);
      return [...stops, ...bounded, ...none];
    },
    rtol: EXACT,
  }),
];
