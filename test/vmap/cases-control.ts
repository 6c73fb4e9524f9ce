import { Emitter, GraphBuilder, hostTensor, type Graph, type TensorType, type Value } from '../../src/ir/index.ts';
import { constOf, type BatchCase } from './batch-case.ts';

export function region(types: readonly TensorType[], body: (e: Emitter, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(body(new Emitter(b), xs), name);
}

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

/** Source ops have no operands: in a batched program they stay unbatched and meet batched values. */
const sources: BatchCase[] = [
  {
    op: 'iota', name: 'x + iota along axis 1',
    example: (d) => [d.f32([2, 3])],
    build: (e, [x]) => [e.add(x, e.cast(e.op1('iota', [], { shape: [2, 3], dimension: 1, dtype: 'i32' }), 'f32'))],
  },
  {
    op: 'constant', name: 'x · c',
    example: (d) => [d.f32([2, 3])],
    build: (e, [x]) => [e.mul(x, constOf(e, hostTensor('f32', [3], [0.5, -2, 3])))],
  },
  {
    op: 'random_bits', name: 'one key per example: each its own stream from counter 0',
    example: (d) => [d.int('u32', [2], 0, 0xffffffff)],
    build: (e, [key]) => [e.op1('random_bits', [key], { shape: [2, 3] })],
  },
  {
    op: 'random_bits', name: 'a u32[2,2] key array per example, and a float operand',
    example: (d) => [d.int('u32', [2, 2], 0, 0xffffffff), d.f32([3])],
    build: (e, [keys, x]) => {
      const bits = e.op1('random_bits', [keys], { shape: [3] });
      return [bits, e.mul(x, e.cast(e.binary('and', bits, e.scalar(255, 'u32')), 'f32'))];
    },
  },
];

/**
 * Carried (s, acc, counter), invariants (w, x):
 *   s ← tanh(s·w + x·(counter + 1)/2),  acc ← acc + Σ s²,  counter ← counter + 1.
 * With only x batched, s becomes batched in the first iteration and acc in the second: the
 * batching rule must find that fixed point and broadcast both initial values.
 */
const loopBody = region([f32(3), f32(), i32(), f32(3, 3), f32(3)], (e, [s, acc, c, w, x]) => {
  const next = e.add(c, e.scalar(1, 'i32'));
  const drive = e.mul(x, e.scale(e.cast(next, 'f32'), 0.5));
  const sw = e.op1('dot_general', [s, w], { lhs_contracting: [0], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  return [e.unary('tanh', e.add(sw, drive)), e.add(acc, e.sum(e.mul(s, s), [0])), next];
}, 'body');

const loops: BatchCase[] = [0, 3].map((trips) => ({
  op: 'loop', name: `${trips} trips, with invariants and a counter`,
  example: (d) => [d.f32([3]), d.f32([]), d.f32([3, 3]), d.f32([3])],
  build: (e, [s0, acc0, w, x]) => e.op('loop', [s0, acc0, e.scalar(0, 'i32'), w, x], { trips, carried: 3 }, [loopBody]).slice(0, 2),
}));

/** fwd(a, b) = (a·b, sin a); bwd = (2 ȳ₁ b + ȳ₂ y₁, 3 ȳ₁): deliberately not the derivative of fwd. */
export const twoResultFwd = region([f32(3), f32(3)], (e, [a, b]) => [e.mul(a, b), e.unary('sin', a)], 'fwd');
export const twoResultBwd = region([f32(3), f32(3), f32(3), f32(3), f32(3), f32(3)], (e, [, b, y1, , g1, g2]) => [
  e.add(e.scale(e.mul(g1, b), 2), e.mul(g2, y1)),
  e.scale(g1, 3),
], 'bwd');

const customVjps: BatchCase[] = [
  {
    op: 'custom_vjp', name: 'two operands, two results',
    example: (d) => [d.f32([3]), d.f32([3])],
    build: (e, [a, b]) => e.op('custom_vjp', [a, b], {}, [twoResultFwd, twoResultBwd]),
  },
];

export const CONTROL_CASES: readonly BatchCase[] = [...sources, ...loops, ...customVjps];
