import type { OpAttrs } from '../../../src/ir/index.ts';
import { APPROX, BITWISE, EXACT, f32, i32, makeCase, u32, type OpCase } from './case.ts';

type DotAttrs = OpAttrs['dot_general'];
const matmul: DotAttrs = { lhs_contracting: [1], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] };

/** Reductions: one axis, several, all, keepdims, a symbolic axis, a long extent; every dtype. */
export const reduceCases = (): OpCase[] => [
  makeCase({
    name: 'reduce_sum f32[7,5] over axis 1',
    covers: ['reduce_sum'],
    inputs: [f32(7, 5)],
    body: (b, [x]) => [b.add1('reduce_sum', [x], { axes: [1], keepdims: false })],
    rtol: APPROX,
  }),
  makeCase({
    name: 'reduce_sum f32[3,4,5] over axes 0 and 2, and over all axes',
    covers: ['reduce_sum'],
    inputs: [f32(3, 4, 5)],
    body: (b, [x]) => [
      b.add1('reduce_sum', [x], { axes: [0, 2], keepdims: false }),
      b.add1('reduce_sum', [x], { axes: [0, 1, 2], keepdims: false }),
    ],
    rtol: APPROX,
  }),
  makeCase({
    name: 'reduce_sum f32[N,6] over the symbolic axis with keepdims, N = 37',
    covers: ['reduce_sum'],
    inputs: [f32('N', 6)],
    bind: { N: 37 },
    body: (b, [x]) => [b.add1('reduce_sum', [x], { axes: [0], keepdims: true })],
    rtol: APPROX,
  }),
  makeCase({
    name: 'reduce_sum f32[100000] (a long extent)',
    covers: ['reduce_sum'],
    inputs: [f32(100000)],
    domains: [{ lo: 0, hi: 1 }],
    body: (b, [x]) => [b.add1('reduce_sum', [x], { axes: [0], keepdims: false })],
    rtol: APPROX,
  }),
  makeCase({
    name: 'reduce_sum i32[9,300] and u32[300,2] over axis 0',
    covers: ['reduce_sum'],
    inputs: [i32(9, 300), u32(300, 2)],
    body: (b, [x, y]) => [
      b.add1('reduce_sum', [x], { axes: [0], keepdims: false }),
      b.add1('reduce_sum', [y], { axes: [0], keepdims: false }),
    ],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'reduce_max f32[5,1,1031] over axes 1 and 2 with keepdims, and over all axes',
    covers: ['reduce_max'],
    inputs: [f32(5, 1, 1031)],
    body: (b, [x]) => [
      b.add1('reduce_max', [x], { axes: [1, 2], keepdims: true }),
      b.add1('reduce_max', [x], { axes: [0, 1, 2], keepdims: false }),
    ],
    rtol: EXACT,
  }),
  makeCase({
    name: 'reduce_max i32[N,4] over the symbolic axis and u32[3,257] over axis 1',
    covers: ['reduce_max'],
    inputs: [i32('N', 4), u32(3, 257)],
    bind: { N: 300 },
    domains: [{ lo: -2147483648, hi: 2147483647 }, { lo: 0, hi: 4294967295 }],
    body: (b, [x, y]) => [
      b.add1('reduce_max', [x], { axes: [0], keepdims: false }),
      b.add1('reduce_max', [y], { axes: [1], keepdims: false }),
    ],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'reduce_min f32[2,3,4] over axis 1 and i32/u32[257] over all axes',
    covers: ['reduce_min'],
    inputs: [f32(2, 3, 4), i32(257), u32(257)],
    domains: [undefined, { lo: -2147483648, hi: 2147483647 }, { lo: 0, hi: 4294967295 }],
    body: (b, [x, y, z]) => [
      b.add1('reduce_min', [x], { axes: [1], keepdims: false }),
      b.add1('reduce_min', [y], { axes: [0], keepdims: false }),
      b.add1('reduce_min', [z], { axes: [0], keepdims: true }),
    ],
    rtol: EXACT,
  }),
];

/** dot_general: plain, batched, several contracting dims, permuted operand axes, integers, symbolic. */
export const dotCases = (): OpCase[] => [
  makeCase({
    name: 'dot_general f32[1,1] x [1,1]',
    covers: ['dot_general'],
    inputs: [f32(1, 1), f32(1, 1)],
    body: (b, [x, y]) => [b.add1('dot_general', [x, y], matmul)],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general f32[33,70] x [70,65]',
    covers: ['dot_general'],
    inputs: [f32(33, 70), f32(70, 65)],
    body: (b, [x, y]) => [b.add1('dot_general', [x, y], matmul)],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general f32[2,3,5] x [2,5,4] with a batch dim',
    covers: ['dot_general'],
    inputs: [f32(2, 3, 5), f32(2, 5, 4)],
    body: (b, [x, y]) => [
      b.add1('dot_general', [x, y], { lhs_contracting: [2], rhs_contracting: [1], lhs_batch: [0], rhs_batch: [0] }),
    ],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general f32[3,4,5] x [4,5,6] contracting two dims',
    covers: ['dot_general'],
    inputs: [f32(3, 4, 5), f32(4, 5, 6)],
    body: (b, [x, y]) => [
      b.add1('dot_general', [x, y], { lhs_contracting: [1, 2], rhs_contracting: [0, 1], lhs_batch: [], rhs_batch: [] }),
    ],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general f32[5,2,3,7] x [7,2,4,5]: batch, contracting and free axes in any order',
    covers: ['dot_general'],
    inputs: [f32(5, 2, 3, 7), f32(7, 2, 4, 5)],
    body: (b, [x, y]) => [
      b.add1('dot_general', [x, y], { lhs_contracting: [0], rhs_contracting: [3], lhs_batch: [1, 3], rhs_batch: [1, 0] }),
    ],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general f32[N,16] x [16,70] with N = 130',
    covers: ['dot_general'],
    inputs: [f32('N', 16), f32(16, 70)],
    bind: { N: 130 },
    body: (b, [x, y]) => [b.add1('dot_general', [x, y], matmul)],
    rtol: APPROX,
  }),
  makeCase({
    name: 'dot_general i32[N,3,9] x [N,9,5] batched over N, and u32[6,20] x [20,3]',
    covers: ['dot_general'],
    inputs: [i32('N', 3, 9), i32('N', 9, 5), u32(6, 20), u32(20, 3)],
    bind: { N: 4 },
    domains: [{ lo: -50, hi: 50 }, { lo: -50, hi: 50 }, { lo: 0, hi: 100 }, { lo: 0, hi: 100 }],
    body: (b, [x, y, p, q]) => [
      b.add1('dot_general', [x, y], { lhs_contracting: [2], rhs_contracting: [1], lhs_batch: [0], rhs_batch: [0] }),
      b.add1('dot_general', [p, q], matmul),
    ],
    rtol: BITWISE,
  }),
];
