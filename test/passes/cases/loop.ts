import { GraphBuilder, type Graph, type TensorType, type Value } from '../../../src/ir/index.ts';
import { APPROX, EXACT, f32, i32, makeCase, type OpCase } from './case.ts';

/** A loop body: takes values of `types`, yields what `yields` builds. */
function body(types: readonly TensorType[], yields: (b: GraphBuilder, xs: Value[]) => Value[]): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(yields(b, xs), 'body');
}

const scalar = (b: GraphBuilder, value: number, dtype: 'f32' | 'i32' = 'f32') =>
  b.add1('constant', [], { shape: [], dtype, value: [value] });

/** s ← 0.5·s + v: a contraction toward 2v, carried s and invariant v. */
const decay = (s: TensorType, v: TensorType) =>
  body([s, v], (b, [x, y]) => [b.add1('add', [b.add1('mul', [x, scalar(b, 0.5)], {}), y], {})]);

function loopOf(b: GraphBuilder, operands: Value[], trips: number, carried: number, region: Graph): Value[] {
  return b.add('loop', operands, { trips, carried }, { regions: [region] });
}

export const loopCases = (): OpCase[] => [
  makeCase({
    name: 'loop with trips 0, 1 and 2 (state f32[N,3], invariant f32[3], N = 5)',
    covers: ['loop'],
    inputs: [f32('N', 3), f32(3)],
    bind: { N: 5 },
    body: (b, [s, v]) => [0, 1, 2].map((trips) => loopOf(b, [s, v], trips, 1, decay(s.type, v.type))[0]),
    rtol: EXACT,
  }),
  makeCase({
    name: 'loop passing one state through unchanged and moving another to a new slot',
    covers: ['loop'],
    inputs: [f32(4), f32(4), f32(4)],
    body: (b, [p, q, r]) =>
      loopOf(b, [p, q, r], 3, 3, body([p.type, q.type, r.type], (g, [x, y, z]) => [g.add1('add', [x, z], {}), y, x])),
    rtol: EXACT,
  }),
  makeCase({
    name: 'loop yielding an invariant, a constant and a repeated value',
    covers: ['loop'],
    inputs: [f32(6), f32(6)],
    body: (b, [s, v]) =>
      loopOf(
        b,
        [s, s, s, s, v],
        2,
        4,
        body([s.type, s.type, s.type, s.type, v.type], (g, [x, , , , inv]) => {
          const next = g.add1('add', [x, inv], {});
          return [next, inv, g.add1('constant', [], { shape: [6], dtype: 'f32', value: [2.5] }), next];
        }),
      ),
    rtol: EXACT,
  }),
  makeCase({
    name: 'loop carrying an i32 step counter that starts from a constant',
    covers: ['loop'],
    inputs: [f32(2, 2)],
    body: (b, [s]) =>
      loopOf(b, [scalar(b, 0, 'i32'), s], 5, 2, body([i32(), s.type], (g, [k, x]) => [
        g.add1('add', [k, scalar(g, 1, 'i32')], {}),
        g.add1('add', [x, g.add1('cast', [k], { dtype: 'f32' })], {}),
      ])),
    rtol: EXACT,
  }),
  makeCase({
    name: 'loop inside a loop',
    covers: ['loop'],
    inputs: [f32(3, 4), f32(4)],
    body: (b, [s, v]) => {
      const outerBody = body([s.type, v.type], (g, [x, w]) => {
        const inner = body([x.type, w.type], (h, [t, u]) => [
          h.add1('tanh', [h.add1('add', [h.add1('mul', [t, scalar(h, 0.9)], {}), u], {})], {}),
        ]);
        const [t] = loopOf(g, [x, w], 4, 1, inner);
        return [g.add1('add', [t, x], {})];
      });
      return loopOf(b, [s, v], 3, 1, outerBody);
    },
    rtol: APPROX,
  }),
  makeCase({
    name: 'custom_vjp runs its fwd region (inlined before lowering), also inside a loop body',
    covers: ['custom_vjp'],
    inputs: [f32(7)],
    body: (b, [x]) => {
      const t = x.type;
      const fwd = body([t], (g, [v]) => [g.add1('tanh', [g.add1('mul', [v, scalar(g, 2)], {})], {})]);
      const bwd = body([t, t, t], (_g, [, , ct]) => [ct]);
      const direct = b.add('custom_vjp', [x], {}, { regions: [fwd, bwd] })[0];
      const inLoop = loopOf(b, [x], 2, 1, body([t], (g, [s]) => g.add('custom_vjp', [s], {}, { regions: [fwd, bwd] })))[0];
      return [direct, inLoop];
    },
    rtol: APPROX,
  }),
];
