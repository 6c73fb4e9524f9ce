import { Emitter, GraphBuilder, type Graph, type TensorType, type Value } from '../../src/ir/index.ts';
import { constOf, FD, tensor, type OpCase } from './op-case.ts';

function region(types: readonly TensorType[], body: (e: Emitter, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(body(new Emitter(b), xs), name);
}

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

/**
 * Carried (s, acc, counter), invariants (w, x):
 *   s ← tanh(s·w + x·(counter + 1)/2),  acc ← acc + Σ s²,  counter ← counter + 1.
 */
const loopBody = region([f32(3), f32(), i32(), f32(3, 3), f32(3)], (e, [s, acc, c, w, x]) => {
  const next = e.add(c, e.scalar(1, 'i32'));
  const drive = e.mul(x, e.scale(e.cast(next, 'f32'), 0.5));
  const sw = e.op1('dot_general', [s, w], { lhs_contracting: [0], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  return [e.unary('tanh', e.add(sw, drive)), e.add(acc, e.sum(e.mul(s, s), [0])), next];
}, 'body');

const loopCase = (trips: number): OpCase => ({
  op: 'loop', name: `${trips} trips, with invariants and a counter`, check: FD,
  inputs: (r) => [r.tensor([3]), r.tensor([]), r.tensor([3, 3]), r.tensor([3])],
  build: (e, [s0, acc0, w, x]) => {
    const [s, acc] = e.op('loop', [s0, acc0, e.scalar(0, 'i32'), w, x], { trips, carried: 3 }, [loopBody]);
    return [s, acc];
  },
});

/** Carried (s, t), invariant x: s ← tanh(s ⊙ t) + x, t ← x (an invariant yielded as state). */
const aliasBody = region([f32(3), f32(3), f32(3)], (e, [s, t, x]) => [e.add(e.unary('tanh', e.mul(s, t)), x), x], 'body');

/** One value as both initial states and the invariant: its cotangents from every role add up. */
const aliasedLoop: OpCase = {
  op: 'loop', name: 'one value as both initial states and the invariant', check: FD,
  inputs: (r) => [r.tensor([3])],
  build: (e, [x]) => e.op('loop', [x, x, x], { trips: 3, carried: 2 }, [aliasBody]),
};

/** fwd(a, b) = (a·b, sin a); bwd = (2 ȳ₁ b + ȳ₂ y₁, 3 ȳ₁): deliberately not the derivative of fwd. */
const twoResultFwd = region([f32(3), f32(3)], (e, [a, b]) => [e.mul(a, b), e.unary('sin', a)], 'fwd');
const twoResultBwd = region([f32(3), f32(3), f32(3), f32(3), f32(3), f32(3)], (e, [, b, y1, , g1, g2]) => [
  e.add(e.scale(e.mul(g1, b), 2), e.mul(g2, y1)),
  e.scale(g1, 3),
], 'bwd');

/** fwd(x) = x³ with its true derivative as bwd: here finite differences must agree. */
const cubeFwd = region([f32(2, 2)], (e, [x]) => [e.mul(x, e.mul(x, x))], 'fwd');
const cubeBwd = region([f32(2, 2), f32(2, 2), f32(2, 2)], (e, [x, , g]) => [e.mul(g, e.scale(e.mul(x, x), 3))], 'bwd');

const customVjpCases: OpCase[] = [
  {
    op: 'custom_vjp', name: 'gradient is the bwd region, not the derivative of fwd',
    // Not `smooth`: the gradient uses the result y₁, whose own derivative is again bwd's.
    check: {
      kind: 'closed',
      grad: ([a, b], [w1, w2]) => [
        [...a.data].map((av, i) => 2 * w1.data[i] * b.data[i] + w2.data[i] * av * b.data[i]),
        [...w1.data].map((v) => 3 * v),
      ],
    },
    inputs: (r) => [r.tensor([3]), r.tensor([3])],
    build: (e, [a, b]) => e.op('custom_vjp', [a, b], {}, [twoResultFwd, twoResultBwd]),
  },
  {
    op: 'custom_vjp', name: 'an unused result gets a zero cotangent in bwd',
    check: {
      kind: 'closed',
      smooth: true,
      grad: ([, b], [w1]) => [[...b.data].map((bv, i) => 2 * w1.data[i] * bv), [...w1.data].map((v) => 3 * v)],
    },
    inputs: (r) => [r.tensor([3]), r.tensor([3])],
    build: (e, [a, b]) => [e.op('custom_vjp', [a, b], {}, [twoResultFwd, twoResultBwd])[0]],
  },
  {
    op: 'custom_vjp', name: 'x³ with its true derivative as bwd', check: FD,
    inputs: (r) => [r.tensor([2, 2])],
    build: (e, [x]) => e.op('custom_vjp', [x], {}, [cubeFwd, cubeBwd]),
  },
];

/** Source ops take no float operand: the graph around them differentiates them as constants. */
const sourceCases: OpCase[] = [
  {
    op: 'iota', name: 'x · iota is linear in x', check: FD,
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.mul(x, e.cast(e.op1('iota', [], { shape: [2, 3], dimension: 1, dtype: 'i32' }), 'f32'))],
  },
  {
    op: 'constant', name: 'x · c is linear in x', check: FD,
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.mul(x, constOf(e, tensor('f32', [3], [0.5, -2, 3])))],
  },
  {
    op: 'random_bits', name: 'x · bits is linear in x', check: FD,
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => {
      const bits = e.op1('random_bits', [constOf(e, tensor('u32', [2], [0, 42]))], { shape: [2, 3] });
      return [e.mul(x, e.cast(e.binary('and', bits, e.scalar(255, 'u32')), 'f32'))];
    },
  },
];

export const CONTROL_CASES: readonly OpCase[] = [loopCase(0), loopCase(1), loopCase(4), aliasedLoop, ...customVjpCases, ...sourceCases];
