import type { OpAttrs } from '../../src/ir/index.ts';
import type { BatchCase } from './batch-case.ts';

type DotAttrs = OpAttrs['dot_general'];
const dims = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []): DotAttrs => ({
  lhs_contracting: lc, rhs_contracting: rc, lhs_batch: lb, rhs_batch: rb,
});

const reductions: BatchCase[] = (['reduce_sum', 'reduce_max', 'reduce_min'] as const).flatMap((op): BatchCase[] => [
  {
    op, name: 'axes [0,2]',
    example: (d) => [d.f32([2, 3, 4])],
    build: (e, [x]) => [e.op1(op, [x], { axes: [0, 2], keepdims: false })],
  },
  {
    op, name: 'axis 1 with keepdims, i32',
    example: (d) => [d.int('i32', [2, 3, 4], -50, 50)],
    build: (e, [x]) => [e.op1(op, [x], { axes: [1], keepdims: true })],
  },
]);

const movement: BatchCase[] = [
  {
    op: 'reshape', name: '[2,3,4] -> [4,6]',
    example: (d) => [d.f32([2, 3, 4])],
    build: (e, [x]) => [e.reshape(x, [4, 6])],
  },
  {
    op: 'broadcast_in_dim', name: '[3,1] -> [2,3,4]: a new axis and a stretched one',
    example: (d) => [d.f32([3, 1])],
    build: (e, [x]) => [e.op1('broadcast_in_dim', [x], { shape: [2, 3, 4], dims: [1, 2] })],
  },
  {
    op: 'transpose', name: 'perm [2,0,1]',
    example: (d) => [d.f32([2, 3, 4])],
    build: (e, [x]) => [e.op1('transpose', [x], { perm: [2, 0, 1] })],
  },
  {
    op: 'slice', name: 'strides [2,3,1] with offsets',
    example: (d) => [d.f32([5, 7, 3])],
    build: (e, [x]) => [e.op1('slice', [x], { start: [1, 1, 1], limit: [5, 7, 3], stride: [2, 3, 1] })],
  },
  {
    op: 'pad', name: 'low [1,0], high [2,1], fill 0.5',
    example: (d) => [d.f32([2, 3])],
    build: (e, [x]) => [e.op1('pad', [x], { low: [1, 0], high: [2, 1], value: 0.5 })],
  },
  {
    op: 'concatenate', name: 'three operands on axis 1',
    example: (d) => [d.f32([2, 1]), d.f32([2, 3]), d.f32([2, 2])],
    build: (e, xs) => [e.op1('concatenate', xs, { axis: 1 })],
  },
];

/** Out-of-range indices are clamped per example; the both-batched rule must clamp before offsetting. */
const gathers: BatchCase[] = [
  {
    op: 'gather', name: 'axis 0, i32 [3,2] indices out of range on both sides',
    example: (d) => [d.f32([4, 3]), d.int('i32', [3, 2], -3, 6)],
    build: (e, [x, idx]) => [e.op1('gather', [x, idx], { axis: 0 })],
  },
  {
    op: 'gather', name: 'middle axis, u32 indices past the end',
    example: (d) => [d.f32([2, 5, 3]), d.int('u32', [4], 0, 7)],
    build: (e, [x, idx]) => [e.op1('gather', [x, idx], { axis: 1 })],
  },
  {
    op: 'gather', name: 'a scalar index drops the axis',
    example: (d) => [d.f32([2, 4]), d.int('i32', [], -1, 5)],
    build: (e, [x, idx]) => [e.op1('gather', [x, idx], { axis: 1 })],
  },
  {
    op: 'gather', name: 'bool values, [2,2] index block',
    example: (d) => [d.int('bool', [5], 0, 1), d.int('i32', [2, 2], 0, 4)],
    build: (e, [x, idx]) => [e.op1('gather', [x, idx], { axis: 0 })],
  },
];

const contractions: BatchCase[] = [
  {
    op: 'dot_general', name: 'matmul [3,4] x [4,2]',
    example: (d) => [d.f32([3, 4]), d.f32([4, 2])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dims([1], [0]))],
  },
  {
    op: 'dot_general', name: 'batch + two contracting dims on permuted axes',
    example: (d) => [d.f32([2, 3, 4, 5]), d.f32([4, 2, 6, 3])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dims([2, 1], [0, 3], [0], [1]))],
  },
  {
    op: 'dot_general', name: 'inner product of vectors',
    example: (d) => [d.f32([4]), d.f32([4])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dims([0], [0]))],
  },
  {
    op: 'dot_general', name: 'batch axes only, i32',
    example: (d) => [d.int('i32', [2, 3], -9, 9), d.int('i32', [2, 4], -9, 9)],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dims([], [], [0], [0]))],
  },
];

export const STRUCTURE_CASES: readonly BatchCase[] = [...reductions, ...movement, ...gathers, ...contractions];
