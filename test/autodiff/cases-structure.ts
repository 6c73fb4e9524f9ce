import type { HostTensor, OpAttrs } from '../../src/ir/index.ts';
import type { Rng } from './fd.ts';
import { constOf, FD, tensor, type OpCase } from './op-case.ts';

/** Distinct values with gaps of at least 0.05 (a shuffled grid plus jitter): no ties for max/min. */
function distinct(r: Rng, shape: readonly number[]): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const grid = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.2 + r.next(-0.05, 0.05));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r.next(0, i + 1));
    [grid[i], grid[j]] = [grid[j], grid[i]];
  }
  return tensor('f32', shape, grid);
}

const dot = (lhs: OpAttrs['dot_general']['lhs_contracting'], rhs: typeof lhs, lb: typeof lhs = [], rb: typeof lhs = []) => ({
  lhs_contracting: lhs, rhs_contracting: rhs, lhs_batch: lb, rhs_batch: rb,
});

const movement: OpCase[] = [
  {
    op: 'reshape', name: '[2,3,4] -> [4,6]', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4])],
    build: (e, [x]) => [e.reshape(x, [4, 6])],
  },
  {
    op: 'broadcast_in_dim', name: '[3,1] -> [2,3,4]: a new axis and a stretched one', check: FD,
    inputs: (r) => [r.tensor([3, 1])],
    build: (e, [x]) => [e.op1('broadcast_in_dim', [x], { shape: [2, 3, 4], dims: [1, 2] })],
  },
  {
    op: 'broadcast_in_dim', name: 'scalar -> [2,3]', check: FD,
    inputs: (r) => [r.tensor([])],
    build: (e, [x]) => [e.op1('broadcast_in_dim', [x], { shape: [2, 3], dims: [] })],
  },
  {
    op: 'transpose', name: 'perm [2,0,1]', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4])],
    build: (e, [x]) => [e.op1('transpose', [x], { perm: [2, 0, 1] })],
  },
  {
    op: 'slice', name: 'strides [2,3,1] with offsets on every axis', check: FD,
    inputs: (r) => [r.tensor([5, 7, 3])],
    build: (e, [x]) => [e.op1('slice', [x], { start: [1, 1, 1], limit: [5, 7, 3], stride: [2, 3, 1] })],
  },
  {
    op: 'slice', name: 'stride 3 whose limit leaves a tail', check: FD,
    inputs: (r) => [r.tensor([9])],
    build: (e, [x]) => [e.op1('slice', [x], { start: [2], limit: [8], stride: [3] })],
  },
  {
    op: 'slice', name: 'unit strides cropping both ends', check: FD,
    inputs: (r) => [r.tensor([4, 5])],
    build: (e, [x]) => [e.op1('slice', [x], { start: [1, 2], limit: [3, 4], stride: [1, 1] })],
  },
  {
    op: 'pad', name: 'low [1,0], high [2,1], fill 0.5', check: FD,
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.op1('pad', [x], { low: [1, 0], high: [2, 1], value: 0.5 })],
  },
  {
    op: 'concatenate', name: 'three operands on axis 1', check: FD,
    inputs: (r) => [r.tensor([2, 1]), r.tensor([2, 3]), r.tensor([2, 2])],
    build: (e, xs) => [e.op1('concatenate', xs, { axis: 1 })],
  },
  {
    op: 'concatenate', name: 'one operand', check: FD,
    inputs: (r) => [r.tensor([2, 2])],
    build: (e, xs) => [e.op1('concatenate', xs, { axis: 0 })],
  },
  {
    op: 'gather', name: 'axis 0, repeated and out-of-range i32 indices (clamped) accumulate', check: FD,
    inputs: (r) => [r.tensor([4, 3])],
    build: (e, [x]) => [e.op1('gather', [x, constOf(e, tensor('i32', [3, 2], [2, 0, 2, 7, -3, 1]))], { axis: 0 })],
  },
  {
    op: 'gather', name: 'axis 1, u32 indices past the end', check: FD,
    inputs: (r) => [r.tensor([2, 3, 2])],
    build: (e, [x]) => [e.op1('gather', [x, constOf(e, tensor('u32', [4], [1, 1, 5, 0]))], { axis: 1 })],
  },
  {
    op: 'gather', name: 'a scalar index drops the axis', check: FD,
    inputs: (r) => [r.tensor([2, 4])],
    build: (e, [x]) => [e.op1('gather', [x, constOf(e, tensor('i32', [], [2]))], { axis: 1 })],
  },
  {
    op: 'gather', name: 'a [2,2] index block on the middle axis', check: FD,
    inputs: (r) => [r.tensor([2, 3, 2])],
    build: (e, [x]) => [e.op1('gather', [x, constOf(e, tensor('i32', [2, 2], [2, 0, 0, 0]))], { axis: 1 })],
  },
  {
    op: 'gather', name: 'indices as a graph input (held fixed)', check: FD,
    inputs: (r) => [r.tensor([5]), tensor('i32', [2, 2], [4, 4, 0, 9])],
    build: (e, [x, idx]) => [e.op1('gather', [x, idx], { axis: 0 })],
  },
];

const contraction: OpCase[] = [
  {
    op: 'dot_general', name: 'matmul [3,4] x [4,2]', check: FD,
    inputs: (r) => [r.tensor([3, 4]), r.tensor([4, 2])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dot([1], [0]))],
  },
  {
    // out [2,5,6]: batch lhs 0 ~ rhs 1; contracting lhs (2,1) ~ rhs (0,3), listed out of order.
    op: 'dot_general', name: 'batch + two contracting dims on permuted axes', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4, 5]), r.tensor([4, 2, 6, 3])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dot([2, 1], [0, 3], [0], [1]))],
  },
  {
    op: 'dot_general', name: 'batch axis in the middle of both operands', check: FD,
    inputs: (r) => [r.tensor([3, 2, 4]), r.tensor([4, 2, 5])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dot([2], [0], [1], [1]))],
  },
  {
    op: 'dot_general', name: 'batch axes only (batched outer product)', check: FD,
    inputs: (r) => [r.tensor([2, 3]), r.tensor([2, 4])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dot([], [], [0], [0]))],
  },
  {
    op: 'dot_general', name: 'inner product of vectors (no free axes)', check: FD,
    inputs: (r) => [r.tensor([4]), r.tensor([4])],
    build: (e, [a, b]) => [e.op1('dot_general', [a, b], dot([0], [0]))],
  },
];

/** Reduction rows: sums over several axes, max/min at distinct values and at ties (closed forms). */
const reduction: OpCase[] = [
  {
    op: 'reduce_sum', name: 'axes [0,2]', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4])],
    build: (e, [x]) => [e.op1('reduce_sum', [x], { axes: [0, 2], keepdims: false })],
  },
  {
    op: 'reduce_sum', name: 'axis 1 with keepdims, and all axes', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4])],
    build: (e, [x]) => [e.op1('reduce_sum', [x], { axes: [1], keepdims: true }), e.op1('reduce_sum', [x], { axes: [0, 1, 2], keepdims: false })],
  },
  ...(['reduce_max', 'reduce_min'] as const).flatMap((op): OpCase[] => [
    {
      op, name: 'axes [0,2] at distinct values', check: FD,
      inputs: (r) => [distinct(r, [2, 3, 4])],
      build: (e, [x]) => [e.op1(op, [x], { axes: [0, 2], keepdims: false })],
    },
    {
      op, name: 'axis 1 with keepdims at distinct values', check: FD,
      inputs: (r) => [distinct(r, [2, 3, 4])],
      build: (e, [x]) => [e.op1(op, [x], { axes: [1], keepdims: true })],
    },
    {
      // Rows: a 2-way tie (or unique winner), a 3-way tie.
      op, name: 'ties split the cotangent evenly',
      check: {
        kind: 'closed',
        grad: ([x], [w]) => {
          const rows = [[...x.data.slice(0, 3)], [...x.data.slice(3)]];
          return [rows.flatMap((row, i) => {
            const best = op === 'reduce_max' ? Math.max(...row) : Math.min(...row);
            const count = row.filter((v) => v === best).length;
            return row.map((v) => (v === best ? w.data[i] / count : 0));
          })];
        },
      },
      inputs: () => [tensor('f32', [2, 3], op === 'reduce_max' ? [1, 3, 3, 2, 2, 2] : [1, 1, 3, 0, 0, 0])],
      build: (e, [x]) => [e.op1(op, [x], { axes: [1], keepdims: false })],
    },
  ]),
];

export const STRUCTURE_CASES: readonly OpCase[] = [...movement, ...contraction, ...reduction];
