import { BINARY_OPS, UNARY_OPS, type BinaryOp, type DType, type Shape, type UnaryOp } from '../../../src/ir/index.ts';
import { APPROX, BITWISE, EXACT, makeCase, type Domain, type OpCase } from './case.ts';

const I32_FULL: Domain = { lo: -2147483648, hi: 2147483647 };
const U32_FULL: Domain = { lo: 0, hi: 4294967295 };

/** Awkward shapes, used in turn: size-1 dims, sizes that are no multiple of the workgroup, a scalar, a symbolic dim. */
const UNARY_SHAPES: { shape: Shape; bind?: Record<string, number> }[] = [
  { shape: [257] },
  { shape: [1031] },
  { shape: [2, 1, 3] },
  { shape: ['N', 7], bind: { N: 5 } },
  { shape: [1] },
  { shape: [] },
  { shape: [3, 65] },
];

interface UnaryRow {
  dtypes: readonly DType[];
  domain?: Domain;
  exact?: boolean;
}

const UNARY: { [K in UnaryOp]: UnaryRow } = {
  neg: { dtypes: ['f32', 'i32'], exact: true },
  abs: { dtypes: ['f32', 'i32'], exact: true },
  sign: { dtypes: ['f32', 'i32'], exact: true },
  exp: { dtypes: ['f32'], domain: { lo: -8, hi: 8 } },
  log: { dtypes: ['f32'], domain: { lo: 0.01, hi: 100 } },
  sqrt: { dtypes: ['f32'], domain: { lo: 0, hi: 100 } },
  rsqrt: { dtypes: ['f32'], domain: { lo: 0.01, hi: 100 } },
  sin: { dtypes: ['f32'], domain: { lo: -10, hi: 10 } },
  cos: { dtypes: ['f32'], domain: { lo: -10, hi: 10 } },
  tanh: { dtypes: ['f32'], domain: { lo: -20, hi: 20 } },
  logistic: { dtypes: ['f32'], domain: { lo: -20, hi: 20 } },
  floor: { dtypes: ['f32'], domain: { lo: -10, hi: 10 }, exact: true },
  ceil: { dtypes: ['f32'], domain: { lo: -10, hi: 10 }, exact: true },
  // Quarter steps include ties, which round to even.
  round: { dtypes: ['f32'], domain: { lo: -10, hi: 10, step: 0.25 }, exact: true },
  log1p: { dtypes: ['f32'], domain: { lo: -0.9, hi: 10 } },
  expm1: { dtypes: ['f32'], domain: { lo: -5, hi: 5 } },
  erf: { dtypes: ['f32'], domain: { lo: -4, hi: 4 } },
  // Past pi/4, so that tan's argument reduction runs.
  tan: { dtypes: ['f32'], domain: { lo: -10, hi: 10 } },
  asin: { dtypes: ['f32'], domain: { lo: -1, hi: 1 } },
  acos: { dtypes: ['f32'], domain: { lo: -1, hi: 1 } },
  atan: { dtypes: ['f32'], domain: { lo: -10, hi: 10 } },
  sinh: { dtypes: ['f32'], domain: { lo: -20, hi: 20 } },
  cosh: { dtypes: ['f32'], domain: { lo: -20, hi: 20 } },
  asinh: { dtypes: ['f32'], domain: { lo: -100, hi: 100 } },
  acosh: { dtypes: ['f32'], domain: { lo: 1, hi: 100 } },
  atanh: { dtypes: ['f32'], domain: { lo: -1, hi: 1 } },
  not: { dtypes: ['bool', 'i32', 'u32'], exact: true },
  stop_gradient: { dtypes: ['f32', 'i32', 'bool'], exact: true },
};

const tolerance = (dtype: DType, exact: boolean | undefined): number => (dtype !== 'f32' ? BITWISE : exact ? EXACT : APPROX);

function unaryCases(): OpCase[] {
  const cases: OpCase[] = [];
  let k = 0;
  for (const op of UNARY_OPS) {
    const row = UNARY[op];
    for (const dtype of row.dtypes) {
      const { shape, bind } = UNARY_SHAPES[k++ % UNARY_SHAPES.length];
      cases.push(
        makeCase({
          name: `${op} ${dtype}[${shape}]`,
          covers: [op],
          inputs: [{ dtype, shape }],
          bind,
          domains: [dtype === 'f32' ? row.domain : undefined],
          body: (b, [x]) => [b.add1(op, [x], {})],
          rtol: tolerance(dtype, row.exact),
        }),
      );
    }
  }
  return cases;
}

/** Operand shape pairs, used in turn: NumPy broadcasting, scalars, symbolic dims, odd sizes. */
const BINARY_SHAPES: { a: Shape; b: Shape; bind?: Record<string, number> }[] = [
  { a: [5, 1, 7], b: [3, 1] },
  { a: [1031], b: [1031] },
  { a: ['N', 3], b: [3], bind: { N: 4 } },
  { a: [], b: [4, 1] },
  { a: [2, 3, 1], b: [1, 1, 257] },
  { a: [1], b: [1] },
];

interface BinaryRow {
  dtypes: readonly DType[];
  /** Operand ranges per dtype (defaults by dtype). */
  domains?: Partial<Record<DType, [Domain, Domain]>>;
  approx?: boolean;
}

const SMALL_INTS: [Domain, Domain] = [{ lo: -4, hi: 4, step: 1 }, { lo: -4, hi: 4, step: 1 }];
const COMPARE: BinaryRow = {
  dtypes: ['f32', 'i32', 'u32'],
  domains: { f32: SMALL_INTS, i32: SMALL_INTS, u32: [{ lo: 0, hi: 4 }, { lo: 0, hi: 4 }] },
};
const EQUALITY: BinaryRow = { ...COMPARE, dtypes: ['f32', 'i32', 'u32', 'bool'] };
const WRAPPING: Partial<Record<DType, [Domain, Domain]>> = { i32: [I32_FULL, I32_FULL], u32: [U32_FULL, U32_FULL] };
const SHIFTS: Partial<Record<DType, [Domain, Domain]>> = { i32: [I32_FULL, { lo: -40, hi: 40 }], u32: [U32_FULL, { lo: 0, hi: 40 }] };

const DIVISION: Partial<Record<DType, [Domain, Domain]>> = {
  f32: [{ lo: -10, hi: 10 }, { lo: 0.5, hi: 3 }],
  i32: [{ lo: -100, hi: 100 }, { lo: -5, hi: 5 }],
  u32: [{ lo: 0, hi: 100 }, { lo: 0, hi: 5 }],
};

const BINARY: { [K in BinaryOp]: BinaryRow } = {
  add: { dtypes: ['f32', 'i32', 'u32'], domains: WRAPPING },
  sub: { dtypes: ['f32', 'i32', 'u32'], domains: WRAPPING },
  mul: { dtypes: ['f32', 'i32', 'u32'], domains: WRAPPING },
  // Integer division by zero is defined (it yields the dividend), so the divisors include 0.
  div: {
    dtypes: ['f32', 'i32', 'u32'],
    domains: DIVISION,
  },
  // WGSL computes an f32 remainder as x - y·trunc(x/y), which is not exactly rounded.
  rem: {
    dtypes: ['f32', 'i32', 'u32'],
    domains: DIVISION,
    approx: true,
  },
  pow: { dtypes: ['f32'], domains: { f32: [{ lo: 0.1, hi: 3 }, { lo: -2, hi: 2 }] }, approx: true },
  atan2: { dtypes: ['f32'], approx: true },
  max: { dtypes: ['f32', 'i32', 'u32'], domains: WRAPPING },
  min: { dtypes: ['f32', 'i32', 'u32'], domains: WRAPPING },
  and: { dtypes: ['bool', 'i32', 'u32'], domains: WRAPPING },
  or: { dtypes: ['bool', 'i32', 'u32'], domains: WRAPPING },
  xor: { dtypes: ['bool', 'i32', 'u32'], domains: WRAPPING },
  shl: { dtypes: ['i32', 'u32'], domains: SHIFTS },
  shr: { dtypes: ['i32', 'u32'], domains: SHIFTS },
  eq: EQUALITY,
  ne: EQUALITY,
  lt: COMPARE,
  le: COMPARE,
  gt: COMPARE,
  ge: COMPARE,
};

const COMPARISONS: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

function binaryCases(): OpCase[] {
  const cases: OpCase[] = [];
  let k = 0;
  for (const op of BINARY_OPS) {
    const row = BINARY[op];
    for (const dtype of row.dtypes) {
      const { a, b, bind } = BINARY_SHAPES[k++ % BINARY_SHAPES.length];
      const outDType = COMPARISONS.includes(op) ? 'bool' : dtype;
      cases.push(
        makeCase({
          name: `${op} ${dtype}[${a}] ${dtype}[${b}]`,
          covers: [op],
          inputs: [{ dtype, shape: a }, { dtype, shape: b }],
          bind,
          domains: row.domains?.[dtype],
          body: (g, [x, y]) => [g.add1(op, [x, y], {})],
          rtol: outDType !== 'f32' ? BITWISE : row.approx ? APPROX : EXACT,
        }),
      );
    }
  }
  return cases;
}

function selectCases(): OpCase[] {
  return (['f32', 'i32', 'bool'] as const).map((dtype) =>
    makeCase({
      name: `select bool[1,7] ${dtype}[5,3,7] ${dtype}[3,1]`,
      covers: ['select'],
      inputs: [{ dtype: 'bool', shape: [1, 7] }, { dtype, shape: [5, 3, 7] }, { dtype, shape: [3, 1] }],
      body: (g, [p, x, y]) => [g.add1('select', [p, x, y], {})],
      rtol: dtype === 'f32' ? EXACT : BITWISE,
    }),
  );
}

/** Every conversion, with ranges that reach f32 → integer saturation and i32 ↔ u32 reinterpretation. */
function castCases(): OpCase[] {
  const from: { dtype: DType; domain?: Domain }[] = [
    { dtype: 'f32', domain: { lo: -1e10, hi: 1e10 } },
    { dtype: 'f32', domain: { lo: -3, hi: 3 } },
    { dtype: 'i32', domain: I32_FULL },
    { dtype: 'u32', domain: U32_FULL },
    { dtype: 'bool' },
  ];
  const cases: OpCase[] = [];
  for (const src of from)
    for (const to of ['f32', 'i32', 'u32', 'bool'] as const) {
      if (to === src.dtype) continue;
      const range = src.domain ? ` in [${src.domain.lo}, ${src.domain.hi}]` : '';
      const saturates = src.dtype === 'f32' && (to === 'i32' || to === 'u32') && src.domain!.hi > 2 ** 31;
      cases.push(
        makeCase({
          name: `cast ${src.dtype}${range} to ${to}${saturates ? ' (saturating, as WGSL does)' : ''}`,
          covers: ['cast'],
          inputs: [{ dtype: src.dtype, shape: [3, 67] }],
          domains: [src.domain],
          body: (g, [x]) => [g.add1('cast', [x], { dtype: to })],
          rtol: to === 'f32' ? EXACT : BITWISE,
        }),
      );
    }
  return cases;
}

export const elementwiseCases = (): OpCase[] => [...unaryCases(), ...binaryCases(), ...selectCases(), ...castCases()];
