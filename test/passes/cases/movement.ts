import { BITWISE, EXACT, f32, i32, makeCase, u32, type OpCase } from './case.ts';

/** Movement primitives (index maps), iota, constants and random bits. */
export const movementCases = (): OpCase[] => [
  makeCase({
    name: 'reshape f32[3,4,5] to [20,3]',
    covers: ['reshape'],
    inputs: [f32(3, 4, 5)],
    body: (b, [x]) => [b.add1('reshape', [x], { shape: [20, 3] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'reshape f32[N,6] to [N,2,3] with N = 7',
    covers: ['reshape'],
    inputs: [f32('N', 6)],
    bind: { N: 7 },
    body: (b, [x]) => [b.add1('reshape', [x], { shape: ['N', 2, 3] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'reshape bool[1031] to [1,1031,1]',
    covers: ['reshape'],
    inputs: [{ dtype: 'bool', shape: [1031] }],
    body: (b, [x]) => [b.add1('reshape', [x], { shape: [1, 1031, 1] })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'broadcast_in_dim f32[3,1] to [2,3,5]',
    covers: ['broadcast_in_dim'],
    inputs: [f32(3, 1)],
    body: (b, [x]) => [b.add1('broadcast_in_dim', [x], { shape: [2, 3, 5], dims: [1, 2] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'broadcast_in_dim i32[N] to [N,3] and a scalar to [4,4]',
    covers: ['broadcast_in_dim'],
    inputs: [i32('N'), i32()],
    bind: { N: 9 },
    body: (b, [x, s]) => [
      b.add1('broadcast_in_dim', [x], { shape: ['N', 3], dims: [0] }),
      b.add1('broadcast_in_dim', [s], { shape: [4, 4], dims: [] }),
    ],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'transpose f32[2,3,5] perm [2,0,1]',
    covers: ['transpose'],
    inputs: [f32(2, 3, 5)],
    body: (b, [x]) => [b.add1('transpose', [x], { perm: [2, 0, 1] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'transpose u32[N,257] perm [1,0]',
    covers: ['transpose'],
    inputs: [u32('N', 257)],
    bind: { N: 3 },
    body: (b, [x]) => [b.add1('transpose', [x], { perm: [1, 0] })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'slice f32[10,12] with strides',
    covers: ['slice'],
    inputs: [f32(10, 12)],
    body: (b, [x]) => [b.add1('slice', [x], { start: [1, 2], limit: [9, 11], stride: [2, 3] })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'slice i32[N,8] keeping the symbolic axis',
    covers: ['slice'],
    inputs: [i32('N', 8)],
    bind: { N: 5 },
    body: (b, [x]) => [b.add1('slice', [x], { start: [0, 1], limit: ['N', 7], stride: [1, 2] })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'pad f32[3,4] with 1.5',
    covers: ['pad'],
    inputs: [f32(3, 4)],
    body: (b, [x]) => [b.add1('pad', [x], { low: [1, 0], high: [2, 3], value: 1.5 })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'pad f32[N,2] with -inf and i32[5] with -7',
    covers: ['pad'],
    inputs: [f32('N', 2), i32(5)],
    bind: { N: 3 },
    body: (b, [x, y]) => [
      b.add1('pad', [x], { low: [0, 1], high: [0, 2], value: -Infinity }),
      b.add1('pad', [y], { low: [0], high: [2], value: -7 }),
    ],
    rtol: EXACT,
  }),
  makeCase({
    name: 'concatenate f32[2,3] f32[2,5] f32[2,1] along axis 1',
    covers: ['concatenate'],
    inputs: [f32(2, 3), f32(2, 5), f32(2, 1)],
    body: (b, xs) => [b.add1('concatenate', xs, { axis: 1 })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'concatenate i32[N,2] i32[N,3] along axis 1 and i32[2,N] i32[1,N] along axis 0',
    covers: ['concatenate'],
    inputs: [i32('N', 2), i32('N', 3), i32(2, 'N'), i32(1, 'N')],
    bind: { N: 6 },
    body: (b, [p, q, r, s]) => [b.add1('concatenate', [p, q], { axis: 1 }), b.add1('concatenate', [r, s], { axis: 0 })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'concatenate of a single operand along its symbolic axis',
    covers: ['concatenate'],
    inputs: [f32('N', 2)],
    bind: { N: 4 },
    body: (b, [x]) => [b.add1('concatenate', [x], { axis: 0 })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'gather f32[5,7] along axis 1 with i32[3,2] indices, out of range ones clamped',
    covers: ['gather'],
    inputs: [f32(5, 7), i32(3, 2)],
    domains: [undefined, { lo: -3, hi: 10 }],
    body: (b, [x, idx]) => [b.add1('gather', [x, idx], { axis: 1 })],
    rtol: EXACT,
  }),
  makeCase({
    name: 'gather u32[6,N] along axis 0 with u32[4] indices',
    covers: ['gather'],
    inputs: [u32(6, 'N'), u32(4)],
    bind: { N: 3 },
    domains: [undefined, { lo: 0, hi: 9 }],
    body: (b, [x, idx]) => [b.add1('gather', [x, idx], { axis: 0 })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'iota f32[4,5] along 1 and i32[3,N] along 0',
    covers: ['iota'],
    inputs: [i32(3, 'N')],
    bind: { N: 6 },
    body: (b, [x]) => [
      b.add1('iota', [], { shape: [4, 5], dimension: 1, dtype: 'f32' }),
      b.add1('add', [x, b.add1('iota', [], { shape: [3, 'N'], dimension: 0, dtype: 'i32' })], {}),
    ],
    rtol: EXACT,
  }),
  makeCase({
    name: 'constants: splat and dense operands, splat and dense outputs',
    covers: ['constant'],
    inputs: [f32(2, 3)],
    body: (b, [x]) => {
      const half = b.add1('constant', [], { shape: [], dtype: 'f32', value: [0.5] });
      const dense = b.add1('constant', [], { shape: [2, 3], dtype: 'f32', value: [1, -2, 3.25, 1e-3, 7, -0.125] });
      return [
        b.add1('mul', [b.add1('add', [x, dense], {}), half], {}),
        b.add1('constant', [], { shape: [3, 4], dtype: 'f32', value: [0.1] }),
        dense,
        b.add1('constant', [], { shape: [5], dtype: 'f32', value: [-Infinity] }),
      ];
    },
    rtol: EXACT,
  }),
  makeCase({
    name: 'constants of integer and bool dtypes: i32 min, a dense bool, a splat of symbolic shape',
    covers: ['constant'],
    inputs: [i32(4), f32('N')],
    bind: { N: 3 },
    body: (b, [x]) => [
      b.add1('max', [x, b.add1('constant', [], { shape: [], dtype: 'i32', value: [-2147483648] })], {}),
      b.add1('constant', [], { shape: [2, 2], dtype: 'bool', value: [1, 0, 0, 1] }),
      b.add1('constant', [], { shape: ['N'], dtype: 'u32', value: [4294967295] }),
      b.add1('or', [b.add1('constant', [], { shape: [4], dtype: 'bool', value: [1] }), b.add1('lt', [x, x], {})], {}),
    ],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'arithmetic on constants alone: 1/0, log(0), a cast that saturates at i32 min',
    covers: ['constant'],
    inputs: [f32(2)],
    body: (b, [x]) => {
      const c = (value: number) => b.add1('constant', [], { shape: [], dtype: 'f32', value: [value] });
      return [
        b.add1('add', [x, b.add1('div', [c(1), c(0)], {})], {}),
        b.add1('log', [c(0)], {}),
        b.add1('cast', [c(-3e10)], { dtype: 'i32' }),
      ];
    },
    rtol: EXACT,
  }),
  makeCase({
    name: 'random_bits u32[1031] from a u32[2] key',
    covers: ['random_bits'],
    inputs: [u32(2)],
    domains: [{ lo: 0, hi: 4294967295 }],
    body: (b, [key]) => [b.add1('random_bits', [key], { shape: [1031] })],
    rtol: BITWISE,
  }),
  makeCase({
    name: 'random_bits u32[N,3] with N = 5',
    covers: ['random_bits'],
    inputs: [u32(2), f32('N')],
    bind: { N: 5 },
    domains: [{ lo: 0, hi: 4294967295 }],
    body: (b, [key]) => [b.add1('random_bits', [key], { shape: ['N', 3] })],
    rtol: BITWISE,
  }),
];
