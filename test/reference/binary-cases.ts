import type { DType } from '../../src/ir/index.ts';
import { tabulate, tensor, uniform, type RefCase, type RefTable } from './ref-case.ts';

/** Hand-worked rows (a, b, a op b) for one operand dtype, as three 1-D tensors. */
function rows(dtype: DType, name: string, rs: readonly (readonly [number, number, number])[], outDtype = dtype): RefCase {
  const n = [rs.length];
  return {
    name,
    attrs: {},
    inputs: [tensor(dtype, n, rs.map((r) => r[0])), tensor(dtype, n, rs.map((r) => r[1]))],
    expected: [tensor(outDtype, n, rs.map((r) => r[2]))],
  };
}

/**
 * A float op with NumPy broadcasting, against loops over the output coordinates that index
 * each operand by hand: [4,3]·[3], [2,1,3]·[4,1] and []·[2,2].
 */
function broadcastCases(seed: number, fn: (a: number, b: number) => number, lo = -4, hi = 4, out: DType = 'f32'): RefCase[] {
  const a = uniform(seed, 12, lo, hi);
  const b = uniform(seed + 100, 3, lo, hi);
  const c = uniform(seed + 200, 6, lo, hi);
  const d = uniform(seed + 300, 4, lo, hi);
  const s = uniform(seed + 400, 1, lo, hi);
  return [
    {
      name: 'broadcast [4,3] with [3]',
      attrs: {},
      inputs: [tensor('f32', [4, 3], a), tensor('f32', [3], b)],
      expected: [tabulate(out, [4, 3], (i, j) => fn(a[i * 3 + j], b[j]))],
    },
    {
      name: 'broadcast [2,1,3] with [4,1] to [2,4,3]',
      attrs: {},
      inputs: [tensor('f32', [2, 1, 3], c), tensor('f32', [4, 1], d)],
      expected: [tabulate(out, [2, 4, 3], (i, j, k) => fn(c[i * 3 + k], d[j]))],
    },
    {
      name: 'broadcast a scalar [] with [2,2]',
      attrs: {},
      inputs: [tensor('f32', [], s), tensor('f32', [2, 2], d)],
      expected: [tabulate(out, [2, 2], (i, j) => fn(s[0], d[i * 2 + j]))],
    },
  ];
}

const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const U32_MAX = 4294967295;
const EQ_LHS = [0, 1, 2, 1, 1, 1, 2, 0, 2, 0, 0, 0];

export const BINARY_CASES: RefTable = {
  add: [
    ...broadcastCases(20, (a, b) => a + b),
    rows('i32', 'i32 wraps around', [[I32_MAX, 1, I32_MIN], [I32_MIN, -1, I32_MAX], [-5, 3, -2]]),
    rows('u32', 'u32 wraps around', [[U32_MAX, 1, 0], [U32_MAX, U32_MAX, U32_MAX - 1], [3, 4, 7]]),
  ],
  sub: [
    ...broadcastCases(21, (a, b) => a - b),
    rows('i32', 'i32 wraps around', [[I32_MIN, 1, I32_MAX], [0, I32_MIN, I32_MIN], [2, 5, -3]]),
    rows('u32', 'u32 wraps around', [[0, 1, U32_MAX], [5, 7, U32_MAX - 1], [7, 5, 2]]),
  ],
  mul: [
    ...broadcastCases(22, (a, b) => a * b),
    // 65536·65536 = 2^32 ≡ 0; (2^31 - 1)² = 2^62 - 2^32 + 1 ≡ 1; 3·(2^31 - 1) = 2^32 + 2^31 - 3 ≡ 2^31 - 3;
    // 2·2^30 = 2^31 ≡ -2^31.
    rows('i32', 'i32 keeps the low 32 bits', [[65536, 65536, 0], [I32_MAX, I32_MAX, 1], [3, I32_MAX, 2147483645], [2, 1073741824, I32_MIN], [-4, 6, -24]]),
    rows('u32', 'u32 keeps the low 32 bits', [[U32_MAX, U32_MAX, 1], [65536, 65537, 65536], [0x80000000, 2, 0]]),
  ],
  div: [
    ...broadcastCases(23, (a, b) => a / b),
    rows('f32', 'f32 division by zero', [[1, 0, Infinity], [-1, 0, -Infinity], [0, 0, NaN], [1, -0, -Infinity]]),
    rows('i32', 'i32 truncates; by zero gives -1 (as XLA)', [[7, 2, 3], [-7, 2, -3], [7, -2, -3], [-7, -2, 3], [7, 0, -1], [-9, 0, -1], [I32_MIN, -1, I32_MIN]]),
    rows('u32', 'u32 truncates; by zero gives all bits set (as XLA)', [[7, 2, 3], [U32_MAX, 2, 2147483647], [5, 0, U32_MAX]]),
  ],
  rem: [
    ...broadcastCases(24, (a, b) => a - b * Math.trunc(a / b), 0.5, 4).map((c) => ({ ...c, rtol: 1e-12 })),
    rows('f32', 'f32 takes the sign of the dividend', [[-7.5, 2, -1.5], [7.5, -2, 1.5], [5, 0, NaN], [Infinity, 2, NaN], [3, Infinity, 3]]),
    rows('i32', 'i32 takes the sign of the dividend; by zero gives the dividend (as XLA)', [[7, 3, 1], [-7, 3, -1], [7, -3, 1], [7, 0, 7], [-7, 0, -7], [I32_MIN, -1, 0]]),
    rows('u32', 'u32; by zero gives the dividend (as XLA)', [[U32_MAX, 10, 5], [9, 0, 9]]),
  ],
  pow: [
    ...broadcastCases(25, (a, b) => Math.exp(b * Math.log(a)), 0.1, 3).map((c) => ({ ...c, rtol: 1e-14 })),
    rows('f32', 'closed forms', [[2, 10, 1024], [-2, 3, -8], [4, 0.5, 2], [0, 0, 1], [-8, 1 / 3, NaN], [0, -1, Infinity]]),
    rows('f32', "C99's special cases (JS's Math.pow differs in the last two)", [[NaN, 0, 1], [-0, -1, -Infinity], [-Infinity, 3, -Infinity], [1, NaN, 1], [-1, Infinity, 1]]),
  ],
  atan2: [
    // The angle of (b, a) from atan of the slope, moved by ±pi into the western half-plane.
    ...broadcastCases(28, (a, b) => Math.atan(a / b) + (b < 0 ? Math.sign(a) * Math.PI : 0)).map((c) => ({ ...c, rtol: 1e-14 })),
    rows('f32', 'exact angles', [[1, 1, Math.PI / 4], [1, -1, (3 * Math.PI) / 4], [-Math.sqrt(3), 1, -Math.PI / 3], [-1, -Math.sqrt(3), (-5 * Math.PI) / 6]]),
    rows('f32', "C99's zeros and infinities", [
      [0, 1, 0], [0, -1, Math.PI], [-0, -1, -Math.PI], [0, -0, Math.PI], [-0, -0, -Math.PI], [0, 0, 0],
      [1, 0, Math.PI / 2], [-1, -0, -Math.PI / 2], [Infinity, Infinity, Math.PI / 4], [-Infinity, -Infinity, (-3 * Math.PI) / 4],
      [Infinity, -5, Math.PI / 2], [1, Infinity, 0], [1, -Infinity, Math.PI], [-1, -Infinity, -Math.PI], [NaN, 1, NaN], [1, NaN, NaN],
    ]),
  ],
  max: [
    ...broadcastCases(26, (a, b) => (a > b ? a : b)),
    rows('i32', 'i32', [[-3, 2, 2], [I32_MIN, I32_MAX, I32_MAX]]),
    rows('u32', 'u32 compares unsigned', [[U32_MAX, 1, U32_MAX], [0, 5, 5]]),
  ],
  min: [
    ...broadcastCases(27, (a, b) => (a < b ? a : b)),
    rows('i32', 'i32', [[-3, 2, -3], [I32_MIN, I32_MAX, I32_MIN]]),
    rows('u32', 'u32 compares unsigned', [[U32_MAX, 1, 1], [0, 5, 0]]),
  ],
  and: [
    rows('bool', 'bool', [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]),
    rows('i32', 'i32 bits', [[12, 10, 8], [-1, 0x7fff0000, 0x7fff0000], [I32_MIN, -1, I32_MIN]]),
    rows('u32', 'u32 bits', [[0xf0f0f0f0, 0xff00ff00, 0xf000f000], [U32_MAX, 0x80000001, 0x80000001]]),
  ],
  or: [
    rows('bool', 'bool', [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]]),
    rows('i32', 'i32 bits', [[12, 10, 14], [I32_MIN, 1, I32_MIN + 1]]),
    rows('u32', 'u32 bits', [[0xf0000000, 0x0000000f, 0xf000000f]]),
  ],
  xor: [
    rows('bool', 'bool', [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]]),
    rows('i32', 'i32 bits', [[12, 10, 6], [-1, 5, -6]]),
    rows('u32', 'u32 bits', [[U32_MAX, 0x0f0f0f0f, 0xf0f0f0f0]]),
  ],
  shl: [
    rows('i32', 'i32: the shift is taken mod 32', [[1, 3, 8], [1, 31, I32_MIN], [1, 32, 1], [1, 33, 2], [3, -1, I32_MIN], [-1, 4, -16]]),
    rows('u32', 'u32: the shift is taken mod 32', [[1, 31, 0x80000000], [U32_MAX, 4, 0xfffffff0], [5, 32, 5], [5, 35, 40]]),
  ],
  shr: [
    rows('i32', 'i32 shifts arithmetically, mod 32', [[-8, 1, -4], [I32_MIN, 31, -1], [64, 3, 8], [64, 35, 8], [-1, 40, -1]]),
    rows('u32', 'u32 shifts logically, mod 32', [[0x80000000, 31, 1], [U32_MAX, 28, 15], [64, 32, 64]]),
  ],
  eq: [
    rows('f32', 'f32, NaN and signed zeros', [[1, 1, 1], [1, 2, 0], [NaN, NaN, 0], [0, -0, 1], [Infinity, Infinity, 1]], 'bool'),
    rows('i32', 'i32', [[-5, -5, 1], [-5, 5, 0]], 'bool'),
    rows('u32', 'u32', [[U32_MAX, U32_MAX, 1]], 'bool'),
    rows('bool', 'bool', [[1, 1, 1], [0, 1, 0], [0, 0, 1]], 'bool'),
    {
      name: 'broadcast [4,3] with [3] to bool',
      attrs: {},
      inputs: [tensor('i32', [4, 3], EQ_LHS), tensor('i32', [3], [0, 1, 2])],
      expected: [tabulate('bool', [4, 3], (i, j) => (EQ_LHS[i * 3 + j] === j ? 1 : 0))],
    },
  ],
  ne: [
    rows('f32', 'f32, NaN and signed zeros', [[1, 1, 0], [1, 2, 1], [NaN, NaN, 1], [0, -0, 0]], 'bool'),
    rows('i32', 'i32', [[-5, -5, 0], [-5, 5, 1]], 'bool'),
    rows('bool', 'bool', [[1, 0, 1], [1, 1, 0]], 'bool'),
  ],
  lt: [
    ...broadcastCases(29, (a, b) => (a < b ? 1 : 0), -4, 4, 'bool'),
    rows('f32', 'f32, NaN and signed zeros', [[NaN, 1, 0], [1, NaN, 0], [-0, 0, 0], [-Infinity, -1e300, 1]], 'bool'),
    rows('i32', 'i32 is signed', [[-1, 0, 1], [I32_MAX, I32_MIN, 0]], 'bool'),
    rows('u32', 'u32 is unsigned', [[1, U32_MAX, 1], [0x80000000, 1, 0]], 'bool'),
  ],
  le: [
    rows('f32', 'f32', [[1, 1, 1], [NaN, NaN, 0], [-0, 0, 1], [2, 1, 0]], 'bool'),
    rows('i32', 'i32', [[-1, -1, 1], [0, -1, 0]], 'bool'),
    rows('u32', 'u32', [[U32_MAX, U32_MAX, 1], [U32_MAX, 0, 0]], 'bool'),
  ],
  gt: [
    rows('f32', 'f32', [[2, 1, 1], [1, 1, 0], [NaN, 0, 0], [Infinity, 1e308, 1]], 'bool'),
    rows('i32', 'i32', [[0, -1, 1], [I32_MIN, 0, 0]], 'bool'),
    rows('u32', 'u32', [[U32_MAX, 0, 1]], 'bool'),
  ],
  ge: [
    rows('f32', 'f32', [[1, 1, 1], [0, -0, 1], [NaN, NaN, 0], [1, 2, 0]], 'bool'),
    rows('i32', 'i32', [[-1, -1, 1], [-2, -1, 0]], 'bool'),
    rows('u32', 'u32', [[0, U32_MAX, 0]], 'bool'),
  ],
};
