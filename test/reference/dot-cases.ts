import { f32, i32, tabulate, u32, uniform, type RefTable } from './ref-case.ts';

const dims = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []) => ({
  lhs_contracting: lc, rhs_contracting: rc, lhs_batch: lb, rhs_batch: rb,
});

// lhs[b][i][k][l] (2×3×4×5) and rhs[l][b][k][j] (5×2×4×6): batch b, contract k and l.
const L = uniform(50, 2 * 3 * 4 * 5, -1, 1);
const R = uniform(51, 5 * 2 * 4 * 6, -1, 1);
const lhsAt = (b: number, i: number, k: number, l: number) => L[((b * 3 + i) * 4 + k) * 5 + l];
const rhsAt = (l: number, b: number, k: number, j: number) => R[((l * 2 + b) * 4 + k) * 6 + j];

const A = uniform(52, 12, -2, 2); // 3×4
const B = uniform(53, 8, -2, 2); // 4×2
const S = uniform(54, 6, -2, 2); // N×3 with N = 2, and N×2 below
const T = uniform(55, 4, -2, 2);

const I32_MAX = 2147483647;

export const DOT_CASES: RefTable = {
  dot_general: [
    {
      name: 'one batch dim and two contracting dims, against explicit loops',
      attrs: dims([2, 3], [2, 0], [0], [1]),
      inputs: [f32([2, 3, 4, 5], L), f32([5, 2, 4, 6], R)],
      expected: [
        tabulate('f32', [2, 3, 6], (b, i, j) => {
          let acc = 0;
          for (let k = 0; k < 4; k++) for (let l = 0; l < 5; l++) acc += lhsAt(b, i, k, l) * rhsAt(l, b, k, j);
          return acc;
        }),
      ],
      rtol: 1e-13,
    },
    {
      name: 'a matrix product [3,4]·[4,2]',
      attrs: dims([1], [0]),
      inputs: [f32([3, 4], A), f32([4, 2], B)],
      expected: [tabulate('f32', [3, 2], (i, j) => A[i * 4] * B[j] + A[i * 4 + 1] * B[2 + j] + A[i * 4 + 2] * B[4 + j] + A[i * 4 + 3] * B[6 + j])],
      rtol: 1e-14,
    },
    {
      name: 'rhs contracted on its last axis: [3,4]·[2,4]ᵀ',
      attrs: dims([1], [1]),
      inputs: [f32([3, 4], A), f32([2, 4], [B[0], B[2], B[4], B[6], B[1], B[3], B[5], B[7]])],
      expected: [tabulate('f32', [3, 2], (i, j) => A[i * 4] * B[j] + A[i * 4 + 1] * B[2 + j] + A[i * 4 + 2] * B[4 + j] + A[i * 4 + 3] * B[6 + j])],
      rtol: 1e-14,
    },
    {
      name: 'an outer product: no contracting dims',
      attrs: dims([], []),
      inputs: [f32([2], [2, -3]), f32([3], [1, 10, 100])],
      expected: [f32([2, 3], [2, 20, 200, -3, -30, -300])],
    },
    {
      name: 'a dot product of vectors gives a scalar',
      attrs: dims([0], [0]),
      inputs: [f32([3], [1, 2, 3]), f32([3], [4, -5, 6])],
      expected: [f32([], [12])],
    },
    {
      name: 'contracting a symbolic axis: [N,3]ᵀ·[N,2] with N = 2',
      attrs: dims([0], [0]),
      inputs: [f32([2, 3], S), f32([2, 2], T)],
      inputTypes: [{ dtype: 'f32', shape: ['N', 3] }, { dtype: 'f32', shape: ['N', 2] }],
      expected: [tabulate('f32', [3, 2], (i, j) => S[i] * T[j] + S[3 + i] * T[2 + j])],
      rtol: 1e-14,
    },
    {
      // (2^31 - 1)² ≡ 1 and 65536² ≡ 0 (mod 2^32): products past 2^53 must still wrap exactly.
      name: 'i32 products and sums wrap like 32-bit integers',
      attrs: dims([1], [0]),
      inputs: [i32([1, 3], [I32_MAX, 65536, -3]), i32([3, 1], [I32_MAX, 65536, 5])],
      expected: [i32([1, 1], [1 + 0 - 15])],
    },
    {
      name: 'u32 products and sums wrap like 32-bit integers',
      attrs: dims([0], [0]),
      inputs: [u32([2], [4294967295, 3]), u32([2], [4294967295, 4])],
      expected: [u32([], [13])],
    },
  ],
};
