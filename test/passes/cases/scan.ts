import { GraphBuilder, type Graph, type TensorType, type Value } from '../../../src/ir/index.ts';
import { APPROX, EXACT, f32, i32, makeCase, type OpCase } from './case.ts';

/** A scan body: takes values of `types`, yields what `yields` builds. */
function body(types: readonly TensorType[], yields: (b: GraphBuilder, xs: Value[]) => Value[]): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(yields(b, xs), 'body');
}

const scalar = (b: GraphBuilder, value: number, dtype: 'f32' | 'i32' = 'f32') => b.add1('constant', [], { shape: [], dtype, value: [value] });
const scanOf = (b: GraphBuilder, operands: Value[], length: number, carried: number, scanned: number, reverse: boolean, region: Graph) =>
  b.add('scan', operands, { length, carried, scanned, reverse }, { regions: [region] });

/**
 * Carry (s: f32[N,3], k: i32[]), scanned x_t: f32[N,3], constant v: f32[3]:
 *   s ← 0.5·s + x_t·v + k,  k ← k + 1;  stacked: the new s, the s that entered the step, x_t and k.
 * The stacked entering state reads the ping-pong buffer of the trip's parity; 5 steps end on an
 * odd parity.
 */
const leaky = (s: TensorType, x: TensorType, v: TensorType) =>
  body([s, i32(), x, v], (b, [c, k, xt, w]) => {
    const next = b.add1('add', [b.add1('add', [b.add1('mul', [c, scalar(b, 0.5)], {}), b.add1('mul', [xt, w], {})], {}), b.add1('cast', [k], { dtype: 'f32' })], {});
    return [next, b.add1('add', [k, scalar(b, 1, 'i32')], {}), next, c, xt, k];
  });

export const scanCases = (): OpCase[] => [
  makeCase({
    name: 'scan forward and reversed over 5 steps (carry f32[N,3] and a counter, N = 4): slices in, stacks out',
    covers: ['scan'],
    inputs: [f32('N', 3), f32(5, 'N', 3), f32(3)],
    bind: { N: 4 },
    body: (b, [s, xs, v]) => {
      const region = leaky(s.type, { dtype: 'f32', shape: ['N', 3] }, v.type);
      const run = (reverse: boolean) => scanOf(b, [s, scalar(b, 0, 'i32'), xs, v], 5, 2, 1, reverse, region);
      return [...run(false), ...run(true)];
    },
    rtol: EXACT,
  }),
  makeCase({
    name: 'scan without carry inside a loop, and a scan of a scan',
    covers: ['scan'],
    inputs: [f32(3, 4), f32(2, 3, 4)],
    body: (b, [s, xss]) => {
      const map = body([f32(4), f32(4)], (g, [x, w]) => [g.add1('tanh', [g.add1('mul', [x, w], {})], {})]);
      const loopBody = body([s.type, f32(4)], (g, [t, w]) => {
        const [ys] = scanOf(g, [t, w], 3, 0, 1, false, map);
        return [g.add1('add', [ys, t], {}), w];
      });
      const [looped] = b.add('loop', [s, b.add1('reduce_sum', [s], { axes: [0], keepdims: false })], { trips: 3, carried: 2 }, { regions: [loopBody] });
      const outer = body([f32(4), f32(3, 4)], (g, [c, x]) => {
        const innerBody = body([f32(4), f32(4)], (h, [d, y]) => {
          const n = h.add1('tanh', [h.add1('add', [d, y], {})], {});
          return [n, n];
        });
        const [final, rows] = scanOf(g, [c, x], 3, 1, 1, true, innerBody);
        return [final, rows];
      });
      const [last, stacked] = scanOf(b, [b.add1('reduce_sum', [s], { axes: [0], keepdims: false }), xss], 2, 1, 1, false, outer);
      return [looped, last, stacked];
    },
    rtol: APPROX,
  }),
];
