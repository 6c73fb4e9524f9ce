import { GraphBuilder, type Graph, type TensorType, type Value } from '../../../src/ir/index.ts';
import { APPROX, BITWISE, bool, EXACT, f32, i32, makeCase, type OpCase } from './case.ts';

function region(types: readonly TensorType[], yields: (b: GraphBuilder, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(yields(b, xs), name);
}

/** Starts in [-3, 9]: below 0 and past the end, so the clamp is exercised. */
const STARTS = { lo: -3, hi: 9 };

/** rev, the dynamic windows (batched forms too) and cond, the last lowered by cond-to-select. */
export const windowCondCases = (): OpCase[] => [
  makeCase({
    name: 'rev f32[5,N] along both axes and i32[7] along its only one, N = 3',
    covers: ['rev'],
    inputs: [f32(5, 'N'), i32(7)],
    bind: { N: 3 },
    body: (b, [x, y]) => [b.add1('rev', [x], { dims: [0, 1] }), b.add1('rev', [y], { dims: [0] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'dynamic_slice f32[6,7] window [3,4] and i32[N,5] batched windows [2], N = 4',
    covers: ['dynamic_slice'],
    inputs: [f32(6, 7), i32(2), i32('N', 5), i32('N', 1)],
    bind: { N: 4 },
    domains: [undefined, STARTS, undefined, STARTS],
    body: (b, [x, s, y, t]) => [b.add1('dynamic_slice', [x, s], { sizes: [3, 4] }), b.add1('dynamic_slice', [y, t], { sizes: [2] })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'dynamic_update_slice f32[6,7] with [2,3], and f32[N,5] with batched [N,2], N = 3',
    covers: ['dynamic_update_slice'],
    inputs: [f32(6, 7), f32(2, 3), i32(2), f32('N', 5), f32('N', 2), i32('N', 1)],
    bind: { N: 3 },
    domains: [undefined, undefined, STARTS, undefined, undefined, STARTS],
    body: (b, [x, u, s, y, v, t]) => [b.add1('dynamic_update_slice', [x, u, s], {}), b.add1('dynamic_update_slice', [y, v, t], {})],
    rtol: EXACT,
  }),
  makeCase({
    name: 'cond on p and on not p (both branches taken), one nested, chosen on the GPU',
    covers: ['cond'],
    inputs: [bool(), f32(9), i32()],
    body: (b, [p, x, k]) => {
      const types = [f32(9), i32()];
      const onTrue = region(types, (g, [v, n]) => [g.add1('tanh', [v], {}), g.add1('add', [n, n], {})], 'then');
      const inner = region([f32(9)], (g, [v]) => [g.add1('exp', [v], {})], 'then');
      const other = region([f32(9)], (g, [v]) => [g.add1('neg', [v], {})], 'else');
      const onFalse = region(types, (g, [v, n]) => {
        const negative = g.add1('lt', [n, g.add1('constant', [], { shape: [], dtype: 'i32', value: [0] })], {});
        return [g.add('cond', [negative, v], {}, { regions: [inner, other] })[0], n];
      }, 'else');
      const notP = b.add1('not', [p], {});
      return [...b.add('cond', [p, x, k], {}, { regions: [onTrue, onFalse] }), ...b.add('cond', [notP, x, k], {}, { regions: [onTrue, onFalse] })];
    },
    rtol: APPROX,
  }),
];
