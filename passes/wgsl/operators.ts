import type { BinaryOp, Combiner, DType, UnaryOp } from '../../src/ir/index.ts';

/**
 * How each elementwise operator is written in WGSL (tinygrad's `code_for_op`): the renderer's
 * table, so that a second backend is one more table. Spellings follow the reference's semantics
 * (JAX's) for NaN, infinities and signed zeros rather than WGSL's, which leaves them open; the
 * helpers they call live in helpers.ts.
 */
export interface Spelling {
  readonly text: string;
  /** Helper functions the text calls. */
  readonly helpers: readonly string[];
}

const plain = (text: string): Spelling => ({ text, helpers: [] });
const call = (fn: string, ...args: string[]): Spelling => ({ text: `${fn}(${args.join(', ')})`, helpers: [fn] });

type UnarySpelling = (x: string, dtype: DType) => Spelling;

const floatOnly = (fn: string): UnarySpelling => (x) => call(fn, x);

const UNARY: { readonly [K in UnaryOp]: UnarySpelling } = {
  neg: (x) => plain(`(-${x})`),
  abs: (x) => plain(`abs(${x})`),
  sign: (x, d) => (d === 'f32' ? call('ax_sign_f32', x) : plain(`sign(${x})`)),
  exp: floatOnly('ax_exp'),
  log: floatOnly('ax_log'),
  sqrt: (x) => plain(`sqrt(${x})`),
  rsqrt: (x) => plain(`inverseSqrt(${x})`),
  sin: floatOnly('ax_sin'),
  cos: floatOnly('ax_cos'),
  tanh: floatOnly('ax_tanh'),
  logistic: floatOnly('ax_logistic'),
  floor: (x) => plain(`floor(${x})`),
  ceil: (x) => plain(`ceil(${x})`),
  round: (x) => plain(`round(${x})`),
  log1p: floatOnly('ax_log1p'),
  expm1: floatOnly('ax_expm1'),
  erf: floatOnly('ax_erf'),
  tan: floatOnly('ax_tan'),
  asin: floatOnly('ax_asin'),
  acos: floatOnly('ax_acos'),
  atan: floatOnly('ax_atan'),
  sinh: floatOnly('ax_sinh'),
  cosh: floatOnly('ax_cosh'),
  asinh: floatOnly('ax_asinh'),
  acosh: floatOnly('ax_acosh'),
  atanh: floatOnly('ax_atanh'),
  not: (x, d) => plain(d === 'bool' ? `(!${x})` : `(~${x})`),
  stop_gradient: (x) => plain(x),
};

type BinarySpelling = (a: string, b: string, dtype: DType) => Spelling;

const infix = (o: string): BinarySpelling => (a, b) => plain(`(${a} ${o} ${b})`);

/** A float comparison that is false when either operand is NaN, whatever the driver assumes. */
const ordered = (o: string): BinarySpelling => (a, b, d) =>
  d === 'f32' ? { text: `((${a} ${o} ${b}) && !ax_unordered(${a}, ${b}))`, helpers: ['ax_unordered'] } : plain(`(${a} ${o} ${b})`);

/** The one-word literal that means "minus one" in the dtype (all bits set for u32). */
const minusOne = (d: DType) => (d === 'u32' ? '0xffffffffu' : '-1i');
const zeroOf = (d: DType) => (d === 'u32' ? '0u' : '0i');
const oneOf = (d: DType) => (d === 'u32' ? '1u' : '1i');
/** The divisor with 0 replaced by 1, so that no division by zero (or constant-expression error) happens. */
const safeDivisor = (b: string, d: DType) => `select(${b}, ${oneOf(d)}, ${b} == ${zeroOf(d)})`;

const BINARY: { readonly [K in BinaryOp]: BinarySpelling } = {
  add: infix('+'),
  sub: infix('-'),
  mul: infix('*'),
  // Integer division by zero gives -1 (all bits set) and remainder by zero the dividend, as XLA
  // defines them; INT_MIN / -1 is INT_MIN and INT_MIN % -1 is 0, as WGSL defines them.
  div: (a, b, d) =>
    d === 'f32' ? plain(`(${a} / ${b})`) : plain(`select(${a} / ${safeDivisor(b, d)}, ${minusOne(d)}, ${b} == ${zeroOf(d)})`),
  rem: (a, b, d) => (d === 'f32' ? call('ax_fmod', a, b) : plain(`select(${a} % ${safeDivisor(b, d)}, ${a}, ${b} == ${zeroOf(d)})`)),
  pow: (a, b) => call('ax_pow', a, b),
  atan2: (a, b) => call('ax_atan2', a, b),
  max: (a, b, d) => (d === 'f32' ? call('ax_max_f32', a, b) : plain(`max(${a}, ${b})`)),
  min: (a, b, d) => (d === 'f32' ? call('ax_min_f32', a, b) : plain(`min(${a}, ${b})`)),
  and: infix('&'),
  or: infix('|'),
  xor: (a, b, d) => plain(d === 'bool' ? `(${a} != ${b})` : `(${a} ^ ${b})`),
  // Shift amounts are taken modulo 32, as WGSL does for run-time values.
  shl: (a, b) => plain(`(${a} << (u32(${b}) & 31u))`),
  shr: (a, b) => plain(`(${a} >> (u32(${b}) & 31u))`),
  eq: ordered('=='),
  ne: (a, b, d) => (d === 'f32' ? { text: `((${a} != ${b}) || ax_unordered(${a}, ${b}))`, helpers: ['ax_unordered'] } : plain(`(${a} != ${b})`)),
  lt: ordered('<'),
  le: ordered('<='),
  gt: ordered('>'),
  ge: ordered('>='),
};

export const unarySpelling = (op: UnaryOp, x: string, dtype: DType): Spelling => UNARY[op](x, dtype);
export const binarySpelling = (op: BinaryOp, a: string, b: string, dtype: DType): Spelling => BINARY[op](a, b, dtype);
export const selectSpelling = (p: string, a: string, b: string): Spelling => plain(`select(${b}, ${a}, ${p})`);

/**
 * Conversions as the reference defines them: floats truncate and saturate, NaN becomes 0 (and
 * true), i32/u32 reinterpret their bits.
 */
export function castSpelling(x: string, from: DType, to: DType): Spelling {
  if (from === to) return plain(x);
  if (to === 'bool') {
    if (from === 'f32') return { text: `((${x} != 0.0) || ax_isnan(${x}))`, helpers: ['ax_isnan'] };
    return plain(`(${x} != ${zeroOf(from)})`);
  }
  if (from === 'f32' && (to === 'i32' || to === 'u32'))
    return { text: `select(${to}(${x}), ${zeroOf(to)}, ax_isnan(${x}))`, helpers: ['ax_isnan'] };
  return plain(`${to}(${x})`);
}

/** The combiner of a reduction in WGSL. */
export function combineSpelling(combiner: Combiner, a: string, b: string, dtype: DType): Spelling {
  switch (combiner) {
    case 'sum':
      return plain(`(${a} + ${b})`);
    case 'max':
      return binarySpelling('max', a, b, dtype);
    case 'min':
      return binarySpelling('min', a, b, dtype);
  }
}
