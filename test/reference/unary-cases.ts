import { bool, f32, i32, u32, uniform, type RefCase, type RefTable } from './ref-case.ts';

const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30];

/** A float op at 64 random points of a domain and at the special values, against `fn`. */
function floatCases(seed: number, lo: number, hi: number, fn: (x: number) => number, rtol = 0): RefCase[] {
  const xs = uniform(seed, 64, lo, hi);
  return [
    { name: `64 points in [${lo}, ${hi})`, attrs: {}, inputs: [f32([8, 8], xs)], expected: [f32([8, 8], xs.map(fn))], rtol },
    { name: 'special values', attrs: {}, inputs: [f32([7], SPECIALS)], expected: [f32([7], SPECIALS.map(fn))], rtol },
  ];
}

/** A float op at 64 random points of a domain against a closed form in other functions. */
function closedForm(seed: number, lo: number, hi: number, fn: (x: number) => number, rtol: number): RefCase {
  const xs = uniform(seed, 64, lo, hi);
  return { name: `64 points in [${lo}, ${hi}) against a closed form`, attrs: {}, inputs: [f32([8, 8], xs)], expected: [f32([8, 8], xs.map(fn))], rtol };
}

/** Rows of hand-worked (input, output) pairs for one dtype. */
function pairs(make: typeof f32, name: string, rows: readonly (readonly [number, number])[], rtol = 0): RefCase {
  return { name, attrs: {}, inputs: [make([rows.length], rows.map((r) => r[0]))], expected: [make([rows.length], rows.map((r) => r[1]))], rtol };
}

// erf at points where its value is known to 20 digits (mpmath, 40-digit arithmetic).
const ERF_KNOWN: readonly (readonly [number, number])[] = [
  [0.5, 0.5204998778130465], [1, 0.8427007929497149], [3, 0.9999779095030014], [-2, -0.9953222650189527],
  [0.1, 0.1124629160182849], [1e-5, 1.128379167057900e-5], [2.4999, 0.9995928300996665], [2.5, 0.9995930479825550],
  [2.5001, 0.9995932657565293], [-4, -0.9999999845827421], [6, 0.99999999999999997848], [0, 0], [Infinity, 1], [-Infinity, -1],
];

export const UNARY_CASES: RefTable = {
  exp: floatCases(1, -20, 20, Math.exp),
  log: [...floatCases(2, 1e-3, 100, Math.log), pairs(f32, 'log of e^k, of 0 and of negatives', [[Math.E ** 3, 3], [0, -Infinity], [-1, NaN]], 1e-15)],
  sqrt: [...floatCases(3, 0, 100, Math.sqrt), pairs(f32, 'perfect squares and negatives', [[144, 12], [0.25, 0.5], [-4, NaN]])],
  rsqrt: [
    // IEEE 754's rSqrt(-0) is -inf and rSqrt(-inf) is NaN, where x ** -0.5 gives +inf and 0.
    ...floatCases(4, 1e-3, 100, (x) => (x < 0 ? NaN : Object.is(x, -0) ? -Infinity : x ** -0.5), 1e-15),
    pairs(f32, 'closed forms', [[4, 0.5], [0.01, 10], [0, Infinity], [Infinity, 0], [-1, NaN]], 1e-15),
  ],
  sin: [...floatCases(5, -10, 10, Math.sin), pairs(f32, 'multiples of pi/2', [[Math.PI / 2, 1], [-Math.PI / 2, -1], [Math.PI / 6, 0.5]], 1e-15)],
  cos: [...floatCases(6, -10, 10, Math.cos), pairs(f32, 'multiples of pi/3', [[0, 1], [Math.PI, -1], [Math.PI / 3, 0.5]], 1e-15)],
  tanh: [...floatCases(7, -20, 20, Math.tanh), pairs(f32, 'saturation', [[40, 1], [-40, -1], [Math.log(3), 0.8]], 1e-15)],
  logistic: [
    // 1/(1+e^-x) written as (1 + tanh(x/2)) / 2: another closed form of the same function.
    ...floatCases(8, -30, 30, (x) => (1 + Math.tanh(x / 2)) / 2, 1e-14),
    pairs(f32, 'tails and limits', [[0, 0.5], [-50, 1.928749847963918e-22], [800, 1], [-800, 0], [Infinity, 1], [-Infinity, 0], [NaN, NaN]], 1e-14),
  ],
  floor: [...floatCases(9, -10, 10, Math.floor), pairs(f32, 'hand-worked', [[2.7, 2], [-2.1, -3], [-0.5, -1], [5, 5]])],
  ceil: [...floatCases(10, -10, 10, Math.ceil), pairs(f32, 'hand-worked', [[2.1, 3], [-2.7, -2], [0.5, 1], [5, 5]])],
  round: [
    pairs(f32, 'ties go to even', [[0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, -0], [-1.5, -2], [-2.5, -2], [-3.5, -4], [1e15 + 0.5, 1e15]]),
    pairs(f32, 'non-ties go to nearest', [[2.4, 2], [2.6, 3], [-2.4, -2], [-2.6, -3], [0.49999999999999994, 0], [7, 7], [Infinity, Infinity], [NaN, NaN]]),
  ],
  log1p: [
    ...floatCases(11, -0.9, 10, Math.log1p),
    pairs(f32, 'tiny arguments keep their digits', [[1e-10, 9.9999999995e-11], [-1, -Infinity], [Math.E - 1, 1]], 1e-15),
  ],
  expm1: [
    ...floatCases(12, -10, 10, Math.expm1),
    pairs(f32, 'tiny arguments keep their digits', [[1e-10, 1.00000000005e-10], [Math.log(2), 1], [-Infinity, -1]], 1e-15),
  ],
  erf: [pairs(f32, 'values known to 1e-16, the tails and NaN', [...ERF_KNOWN, [NaN, NaN]], 1e-12)],
  // Closed forms in exp, log, sqrt and other inverse functions; the rows are exact angles and the
  // special values of C99 Annex F.
  tan: [
    closedForm(13, -10, 10, (x) => Math.sin(x) / Math.cos(x), 1e-12),
    pairs(f32, 'exact angles and special values', [
      [Math.PI / 4, 1], [Math.PI / 3, Math.sqrt(3)], [-Math.PI / 6, -1 / Math.sqrt(3)], [0, 0], [-0, -0],
      [Infinity, NaN], [-Infinity, NaN], [NaN, NaN], [1e-30, 1e-30],
    ], 1e-15),
  ],
  asin: [
    closedForm(14, -0.99, 0.99, (x) => Math.atan(x / Math.sqrt(1 - x * x)), 1e-13),
    pairs(f32, 'exact angles; NaN past ±1', [
      [0.5, Math.PI / 6], [Math.SQRT1_2, Math.PI / 4], [1, Math.PI / 2], [-1, -Math.PI / 2], [-0, -0],
      [1.5, NaN], [-Infinity, NaN], [NaN, NaN], [-1e-30, -1e-30],
    ], 1e-15),
  ],
  acos: [
    closedForm(15, -0.99, 0.99, (x) => 2 * Math.atan(Math.sqrt((1 - x) / (1 + x))), 1e-13),
    pairs(f32, 'exact angles; NaN past ±1', [
      [0.5, Math.PI / 3], [-0.5, (2 * Math.PI) / 3], [1, 0], [-1, Math.PI], [0, Math.PI / 2], [-0, Math.PI / 2],
      [1.5, NaN], [Infinity, NaN], [NaN, NaN],
    ], 1e-15),
  ],
  atan: [
    closedForm(16, -10, 10, (x) => Math.asin(x / Math.sqrt(1 + x * x)), 1e-13),
    pairs(f32, 'exact angles and the limits', [
      [1, Math.PI / 4], [Math.sqrt(3), Math.PI / 3], [-1 / Math.sqrt(3), -Math.PI / 6], [0, 0], [-0, -0],
      [Infinity, Math.PI / 2], [-Infinity, -Math.PI / 2], [NaN, NaN], [1e-30, 1e-30],
    ], 1e-15),
  ],
  sinh: [
    closedForm(17, -10, 10, (x) => (Math.exp(x) - Math.exp(-x)) / 2, 1e-12),
    pairs(f32, 'sinh(±log k) and special values', [
      [Math.LN2, 0.75], [-Math.log(3), -4 / 3], [0, 0], [-0, -0], [1e-30, 1e-30],
      [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN], [800, Infinity],
    ], 1e-15),
  ],
  cosh: [
    closedForm(18, -10, 10, (x) => (Math.exp(x) + Math.exp(-x)) / 2, 1e-14),
    pairs(f32, 'cosh(±log k) and special values', [
      [Math.LN2, 1.25], [-Math.log(3), 5 / 3], [0, 1], [-0, 1], [1e-30, 1],
      [Infinity, Infinity], [-Infinity, Infinity], [NaN, NaN], [-800, Infinity],
    ], 1e-15),
  ],
  asinh: [
    closedForm(19, -100, 100, (x) => Math.sign(x) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1)), 1e-13),
    pairs(f32, 'asinh(sinh(±log k)) and special values', [
      [0.75, Math.LN2], [-4 / 3, -Math.log(3)], [0, 0], [-0, -0], [1e-30, 1e-30],
      [Infinity, Infinity], [-Infinity, -Infinity], [NaN, NaN], [1e300, Math.log(1e300) + Math.LN2],
    ], 1e-15),
  ],
  acosh: [
    closedForm(20, 1, 100, (x) => Math.log(x + Math.sqrt(x * x - 1)), 1e-13),
    pairs(f32, 'acosh(cosh(log k)); NaN below 1', [
      [1.25, Math.LN2], [5 / 3, Math.log(3)], [1, 0], [Infinity, Infinity],
      [0.5, NaN], [0, NaN], [-0, NaN], [-Infinity, NaN], [NaN, NaN],
    ], 1e-15),
  ],
  atanh: [
    closedForm(21, -0.99, 0.99, (x) => 0.5 * Math.log((1 + x) / (1 - x)), 1e-13),
    pairs(f32, 'atanh(tanh(±log k)); poles at ±1, NaN past them', [
      [0.6, Math.LN2], [-0.8, -Math.log(3)], [0, 0], [-0, -0], [1e-30, 1e-30],
      [1, Infinity], [-1, -Infinity], [2, NaN], [-Infinity, NaN], [NaN, NaN],
    ], 1e-15),
  ],
  neg: [
    pairs(f32, 'f32', [[1.5, -1.5], [-0, 0], [Infinity, -Infinity], [NaN, NaN]]),
    pairs(i32, 'i32 wraps at the most negative value', [[5, -5], [-7, 7], [2147483647, -2147483647], [-2147483648, -2147483648]]),
  ],
  abs: [
    pairs(f32, 'f32', [[-1.5, 1.5], [2, 2], [-Infinity, Infinity], [NaN, NaN]]),
    pairs(i32, 'i32 wraps at the most negative value', [[-5, 5], [5, 5], [0, 0], [-2147483648, -2147483648]]),
  ],
  sign: [
    pairs(f32, 'f32: sign(±0) = ±0 (as JAX)', [[-3, -1], [0, 0], [-0, -0], [2.5, 1], [1e-30, 1], [-Infinity, -1], [NaN, NaN]]),
    pairs(i32, 'i32', [[-2147483648, -1], [0, 0], [9, 1]]),
  ],
  not: [
    pairs(bool, 'bool', [[0, 1], [1, 0]]),
    pairs(i32, 'i32: ~x = -x - 1', [[0, -1], [5, -6], [-1, 0], [2147483647, -2147483648]]),
    pairs(u32, 'u32: ~x = 2^32 - 1 - x', [[0, 4294967295], [4294967295, 0], [0x0f0f0f0f, 0xf0f0f0f0]]),
  ],
  stop_gradient: [
    pairs(f32, 'f32 identity', SPECIALS.map((x) => [x, x] as const)),
    pairs(i32, 'i32 identity', [[-2147483648, -2147483648], [3, 3]]),
    pairs(u32, 'u32 identity', [[4294967295, 4294967295]]),
    pairs(bool, 'bool identity', [[1, 1], [0, 0]]),
  ],
};
