import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS, DTYPES, GraphBuilder, OP_NAMES, ShapeError, UNARY_OPS, bindDims, formatType,
  type BinaryOp, type DType, type Graph, type OpAttrs, type OpName, type Shape, type TensorType, type UnaryOp,
} from '../../src/ir/index.ts';

/** One application of a rule: the result types it must give, or the error it must raise. */
interface Row<K extends OpName = OpName> {
  readonly op: K;
  readonly operands: readonly TensorType[];
  readonly attrs: OpAttrs[K];
  readonly regions?: readonly Graph[];
  readonly gives?: readonly TensorType[];
  readonly error?: RegExp;
}

const T = (dtype: DType, shape: Shape): TensorType => ({ dtype, shape });
const f32 = (...shape: Shape) => T('f32', shape);
const i32 = (...shape: Shape) => T('i32', shape);

const row = <K extends OpName>(r: Row<K>): Row => r as unknown as Row;

// The dtypes each elementwise op takes, as the WGSL operators define them.
const FLOAT_ONLY: readonly DType[] = ['f32'];
const SIGNED: readonly DType[] = ['f32', 'i32'];
const BITS: readonly DType[] = ['bool', 'i32', 'u32'];
const NUMERIC: readonly DType[] = ['f32', 'i32', 'u32'];
const UNARY_DTYPES: { [K in UnaryOp]: readonly DType[] } = {
  neg: SIGNED, abs: SIGNED, sign: SIGNED, not: BITS, stop_gradient: DTYPES,
  exp: FLOAT_ONLY, log: FLOAT_ONLY, sqrt: FLOAT_ONLY, rsqrt: FLOAT_ONLY, sin: FLOAT_ONLY, cos: FLOAT_ONLY,
  tanh: FLOAT_ONLY, logistic: FLOAT_ONLY, floor: FLOAT_ONLY, ceil: FLOAT_ONLY, round: FLOAT_ONLY,
  log1p: FLOAT_ONLY, expm1: FLOAT_ONLY, erf: FLOAT_ONLY,
  tan: FLOAT_ONLY, asin: FLOAT_ONLY, acos: FLOAT_ONLY, atan: FLOAT_ONLY, sinh: FLOAT_ONLY, cosh: FLOAT_ONLY,
  asinh: FLOAT_ONLY, acosh: FLOAT_ONLY, atanh: FLOAT_ONLY,
};
const BINARY_DTYPES: { [K in BinaryOp]: readonly DType[] } = {
  add: NUMERIC, sub: NUMERIC, mul: NUMERIC, div: NUMERIC, rem: NUMERIC, max: NUMERIC, min: NUMERIC,
  pow: FLOAT_ONLY, atan2: FLOAT_ONLY, and: BITS, or: BITS, xor: BITS, shl: ['i32', 'u32'], shr: ['i32', 'u32'],
  eq: DTYPES, ne: DTYPES, lt: NUMERIC, le: NUMERIC, gt: NUMERIC, ge: NUMERIC,
};
const COMPARISONS: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

function elementwiseRows(): Row[] {
  const rows: Row[] = [];
  for (const op of UNARY_OPS)
    for (const d of DTYPES) {
      const x = T(d, ['N', 3]);
      rows.push(UNARY_DTYPES[op].includes(d) ? row({ op, operands: [x], attrs: {}, gives: [x] }) : row({ op, operands: [x], attrs: {}, error: /dtype .* not supported/ }));
    }
  rows.push(row({ op: 'stop_gradient', operands: [f32(2), f32(2)], attrs: {}, error: /takes 1 operand\(s\), got 2/ }));
  for (const op of BINARY_OPS) {
    const out = (d: DType): DType => (COMPARISONS.includes(op) ? 'bool' : d);
    for (const d of DTYPES) {
      if (!BINARY_DTYPES[op].includes(d)) {
        rows.push(row({ op, operands: [T(d, [2]), T(d, [2])], attrs: {}, error: /dtype .* not supported/ }));
        continue;
      }
      rows.push(row({ op, operands: [T(d, ['N', 3]), T(d, [3])], attrs: {}, gives: [T(out(d), ['N', 3])] }));
      rows.push(row({ op, operands: [T(d, ['N', 1]), T(d, [1, 4])], attrs: {}, gives: [T(out(d), ['N', 4])] }));
      rows.push(row({ op, operands: [T(d, []), T(d, [2, 'M'])], attrs: {}, gives: [T(out(d), [2, 'M'])] }));
      rows.push(row({ op, operands: [T(d, ['N', 3]), T(d, ['M', 3])], attrs: {}, error: /cannot broadcast N against M/ }));
      rows.push(row({ op, operands: [T(d, [2, 3]), T(d, [4, 3])], attrs: {}, error: /cannot broadcast 2 against 4/ }));
    }
    const other: DType = BINARY_DTYPES[op][0] === 'i32' ? 'u32' : 'i32';
    rows.push(row({ op, operands: [T(BINARY_DTYPES[op][0], [2]), T(other, [2])], attrs: {}, error: /operand dtypes differ/ }));
  }
  return rows;
}

const dot = (lc: number[], rc: number[], lb: number[] = [], rb: number[] = []) => ({ lhs_contracting: lc, rhs_contracting: rc, lhs_batch: lb, rhs_batch: rb });

/** A loop body over the given parameter types that yields the first `yields` of them unchanged. */
function passBody(params: readonly TensorType[], yields: readonly number[]): Graph {
  const b = new GraphBuilder();
  const vs = params.map((t) => b.input(t));
  return b.build(yields.map((i) => vs[i]), 'body');
}

const STRUCTURAL_ROWS: readonly Row[] = [
  row({ op: 'select', operands: [T('bool', ['N', 1]), f32('N', 3), f32()], attrs: {}, gives: [f32('N', 3)] }),
  row({ op: 'select', operands: [f32('N'), f32('N'), f32('N')], attrs: {}, error: /predicate must be bool, got f32/ }),
  row({ op: 'select', operands: [T('bool', []), f32(2), i32(2)], attrs: {}, error: /branch dtypes differ \(f32 vs i32\)/ }),
  row({ op: 'select', operands: [T('bool', [3]), f32(2), f32(2)], attrs: {}, error: /cannot broadcast 3 against 2/ }),
  row({ op: 'cast', operands: [f32('N', 2)], attrs: { dtype: 'i32' }, gives: [i32('N', 2)] }),
  row({ op: 'cast', operands: [T('bool', [])], attrs: { dtype: 'f32' }, gives: [f32()] }),
  row({ op: 'cast', operands: [], attrs: { dtype: 'f32' }, error: /takes 1 operand\(s\), got 0/ }),
  ...(['reduce_sum', 'reduce_max', 'reduce_min'] as const).flatMap((op) => [
    row({ op, operands: [f32('N', 3, 4)], attrs: { axes: [1, 2], keepdims: false }, gives: [f32('N')] }),
    row({ op, operands: [i32('N', 3, 4)], attrs: { axes: [0, 2], keepdims: true }, gives: [i32(1, 3, 1)] }),
    row({ op, operands: [f32('N', 3)], attrs: { axes: [], keepdims: false }, gives: [f32('N', 3)] }),
    row({ op, operands: [f32('N', 3)], attrs: { axes: [2], keepdims: false }, error: /axis 2 out of range for rank 2/ }),
    row({ op, operands: [f32(2, 3, 4)], attrs: { axes: [2, 1], keepdims: false }, error: /axes must be sorted and unique/ }),
    row({ op, operands: [T('bool', [3])], attrs: { axes: [0], keepdims: false }, error: /cannot reduce bool/ }),
  ]),
  row({ op: 'reshape', operands: [f32('N', 28, 28)], attrs: { shape: ['N', 784] }, gives: [f32('N', 784)] }),
  row({ op: 'reshape', operands: [f32('N', 'M', 6)], attrs: { shape: [2, 'M', 3, 'N'] }, gives: [f32(2, 'M', 3, 'N')] }),
  row({ op: 'reshape', operands: [f32('N', 6)], attrs: { shape: [12, 'N'] }, error: /cannot reshape \[N,6\] to \[12,N\]/ }),
  row({ op: 'reshape', operands: [f32('N', 4)], attrs: { shape: ['M', 4] }, error: /element counts differ/ }),
  row({ op: 'reshape', operands: [f32(2, 3)], attrs: { shape: [-1, 3] }, error: /shape \[-1,3\]: -1 is not a size/ }),
  row({ op: 'reshape', operands: [f32(4)], attrs: { shape: [-2, -2] }, error: /-2 is not a size/ }),
  row({ op: 'reshape', operands: [f32('N', 2)], attrs: { shape: ['N', 1.5, 4 / 3] }, error: /1\.5 is not a size/ }),
  row({ op: 'broadcast_in_dim', operands: [f32(3)], attrs: { shape: ['N', 3], dims: [1] }, gives: [f32('N', 3)] }),
  row({ op: 'broadcast_in_dim', operands: [f32(3)], attrs: { shape: [-1, 3], dims: [1] }, error: /-1 is not a size/ }),
  row({ op: 'broadcast_in_dim', operands: [f32(1, 3)], attrs: { shape: [2, 'N', 3], dims: [1, 2] }, gives: [f32(2, 'N', 3)] }),
  row({ op: 'broadcast_in_dim', operands: [f32(3)], attrs: { shape: [3, 4], dims: [1] }, error: /operand axis 0 \(3\) cannot stretch to 4/ }),
  row({ op: 'broadcast_in_dim', operands: [f32(2, 3)], attrs: { shape: [3, 2], dims: [1, 0] }, error: /dims must be increasing output axes/ }),
  row({ op: 'broadcast_in_dim', operands: [f32(3)], attrs: { shape: [3], dims: [1] }, error: /dims must be increasing output axes/ }),
  row({ op: 'broadcast_in_dim', operands: [f32(2, 3)], attrs: { shape: [2, 3], dims: [0] }, error: /one output axis per operand axis/ }),
  row({ op: 'transpose', operands: [f32('N', 3, 4)], attrs: { perm: [2, 0, 1] }, gives: [f32(4, 'N', 3)] }),
  row({ op: 'transpose', operands: [f32('N', 3, 4)], attrs: { perm: [0, 0, 1] }, error: /not a permutation of the 3 axes/ }),
  row({ op: 'transpose', operands: [f32('N', 3)], attrs: { perm: [1, 0, 2] }, error: /not a permutation/ }),
  row({ op: 'slice', operands: [f32('N', 10)], attrs: { start: [0, 1], limit: ['N', 9], stride: [1, 3] }, gives: [f32('N', 3)] }),
  row({ op: 'slice', operands: [f32('N', 10)], attrs: { start: [1, 0], limit: ['N', 10], stride: [1, 1] }, error: /symbolic axis 0 \(N\) can only be kept whole/ }),
  row({ op: 'slice', operands: [f32('N', 10)], attrs: { start: [0, 0], limit: ['N', 10], stride: [2, 1] }, error: /symbolic axis 0/ }),
  row({ op: 'slice', operands: [f32(10)], attrs: { start: [0], limit: [11], stride: [1] }, error: /axis 0: need 0 <= start <= limit <= 10/ }),
  row({ op: 'slice', operands: [f32(10)], attrs: { start: [0], limit: [5], stride: [0] }, error: /stride >= 1/ }),
  row({ op: 'slice', operands: [f32(10, 2)], attrs: { start: [0], limit: [5], stride: [1] }, error: /one start\/limit\/stride per axis/ }),
  row({ op: 'pad', operands: [f32(2, 'N')], attrs: { low: [1, 0], high: [2, 0], value: 0 }, gives: [f32(5, 'N')] }),
  row({ op: 'pad', operands: [f32(2, 'N')], attrs: { low: [0, 1], high: [0, 0], value: 0 }, error: /cannot pad symbolic axis 1 \(N\)/ }),
  row({ op: 'pad', operands: [f32(2)], attrs: { low: [-1], high: [0], value: 0 }, error: /negative padding on axis 0/ }),
  row({ op: 'pad', operands: [f32(2, 2)], attrs: { low: [1], high: [1], value: 0 }, error: /one low\/high pair per axis/ }),
  row({ op: 'concatenate', operands: [f32('N', 2), f32('N', 3), f32('N', 1)], attrs: { axis: 1 }, gives: [f32('N', 6)] }),
  row({ op: 'concatenate', operands: [f32('N', 2)], attrs: { axis: 0 }, gives: [f32('N', 2)] }),
  row({ op: 'concatenate', operands: [f32('N', 2), f32('N', 2)], attrs: { axis: 0 }, error: /cannot join along symbolic axis 0 \(N\)/ }),
  row({ op: 'concatenate', operands: [f32(2, 3), f32(2, 4)], attrs: { axis: 0 }, error: /axis 1 differs \(3 vs 4\)/ }),
  row({ op: 'concatenate', operands: [f32(2), i32(2)], attrs: { axis: 0 }, error: /operand dtypes differ/ }),
  row({ op: 'concatenate', operands: [f32(2), f32(2, 1)], attrs: { axis: 0 }, error: /operand ranks differ/ }),
  row({ op: 'concatenate', operands: [f32(2)], attrs: { axis: 1 }, error: /axis 1 out of range for rank 1/ }),
  row({ op: 'concatenate', operands: [], attrs: { axis: 0 }, error: /needs at least one operand/ }),
  row({ op: 'gather', operands: [f32(5, 'N'), i32(2, 3)], attrs: { axis: 0 }, gives: [f32(2, 3, 'N')] }),
  row({ op: 'gather', operands: [f32(5, 'N'), T('u32', [])], attrs: { axis: 1 }, gives: [f32(5)] }),
  row({ op: 'gather', operands: [f32(5), f32(2)], attrs: { axis: 0 }, error: /indices must be i32 or u32, got f32/ }),
  row({ op: 'gather', operands: [f32(5), i32(2)], attrs: { axis: 1 }, error: /axis 1 out of range for rank 1/ }),
  row({ op: 'dot_general', operands: [f32('B', 4, 8), f32('B', 8, 5)], attrs: dot([2], [1], [0], [0]), gives: [f32('B', 4, 5)] }),
  row({ op: 'dot_general', operands: [f32('N', 3), f32(3, 4)], attrs: dot([1], [0]), gives: [f32('N', 4)] }),
  row({ op: 'dot_general', operands: [f32(2, 3), f32(5)], attrs: dot([], []), gives: [f32(2, 3, 5)] }),
  row({ op: 'dot_general', operands: [f32('N', 3), f32(4, 5)], attrs: dot([1], [0]), error: /contracting axis lhs 1 \(3\) != rhs 0 \(4\)/ }),
  row({ op: 'dot_general', operands: [f32('N', 3), f32('M', 3)], attrs: dot([1], [1], [0], [0]), error: /batch axis lhs 0 \(N\) != rhs 0 \(M\)/ }),
  row({ op: 'dot_general', operands: [f32(3), i32(3)], attrs: dot([0], [0]), error: /operand dtypes differ/ }),
  row({ op: 'dot_general', operands: [T('bool', [3]), T('bool', [3])], attrs: dot([0], [0]), error: /bool operands are not supported/ }),
  row({ op: 'dot_general', operands: [f32(3, 3), f32(3)], attrs: dot([0, 1], [0]), error: /lhs_contracting and rhs_contracting differ in length/ }),
  row({ op: 'dot_general', operands: [f32(3, 3), f32(3, 3)], attrs: dot([0], [0], [0], [1]), error: /lhs axes repeat/ }),
  row({ op: 'dot_general', operands: [f32(3), f32(3)], attrs: dot([1], [0]), error: /lhs axis 1 out of range/ }),
  row({ op: 'iota', operands: [], attrs: { shape: ['N', 3], dimension: 1, dtype: 'i32' }, gives: [i32('N', 3)] }),
  row({ op: 'iota', operands: [], attrs: { shape: ['N', 3], dimension: 2, dtype: 'i32' }, error: /dimension 2 out of range for shape \[N,3\]/ }),
  row({ op: 'iota', operands: [], attrs: { shape: [3], dimension: 0, dtype: 'bool' }, error: /dtype must be numeric/ }),
  row({ op: 'iota', operands: [], attrs: { shape: ['n m'], dimension: 0, dtype: 'i32' }, error: /'n m' is not a dimension name/ }),
  row({ op: 'constant', operands: [], attrs: { shape: ['inf'], dtype: 'f32', value: [0] }, error: /'inf' is not a dimension name/ }),
  row({ op: 'constant', operands: [], attrs: { shape: ['N', 3], dtype: 'f32', value: [0.5] }, gives: [f32('N', 3)] }),
  row({ op: 'constant', operands: [], attrs: { shape: [2, 2], dtype: 'i32', value: [1, 2, 3, 4] }, gives: [i32(2, 2)] }),
  row({ op: 'constant', operands: [], attrs: { shape: [2, 2], dtype: 'f32', value: [1, 2, 3] }, error: /3 values do not fill shape \[2,2\]/ }),
  row({ op: 'constant', operands: [], attrs: { shape: ['N'], dtype: 'f32', value: [1, 2] }, error: /2 values do not fill shape \[N\]/ }),
  row({ op: 'random_bits', operands: [T('u32', [2])], attrs: { shape: ['N', 4] }, gives: [T('u32', ['N', 4])] }),
  row({ op: 'random_bits', operands: [i32(2)], attrs: { shape: [4] }, error: /key must be u32\[2\]/ }),
  row({ op: 'random_bits', operands: [T('u32', [3])], attrs: { shape: [4] }, error: /key must be u32\[2\]/ }),
  row({ op: 'random_bits', operands: [T('u32', [2])], attrs: { shape: ['2N'] }, error: /'2N' is not a dimension name/ }),
];

/** scan operands: a carry f32[N,4], xs f32[5,N,4] and i32[5], a constant f32[4]; a step's slices are f32[N,4] and i32[]. */
const SCANNED = [f32('N', 4), f32(5, 'N', 4), i32(5), f32(4)];
const STEP = [f32('N', 4), f32('N', 4), i32(), f32(4)];
const scanAttrs = (length: number, carried = 1, scanned = 2) => ({ length, carried, scanned, reverse: false });
const SCAN_ROWS: readonly Row[] = [
  // Yields (carry, y₁ = x_t, y₂ = the i32 slice, y₃ = the constant): stacked to [5, ...].
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), regions: [passBody(STEP, [0, 1, 2, 3])], gives: [f32('N', 4), f32(5, 'N', 4), i32(5), f32(5, 4)] }),
  row({ op: 'scan', operands: SCANNED, attrs: { ...scanAttrs(5), reverse: true }, regions: [passBody(STEP, [0])], gives: [f32('N', 4)] }),
  row({ op: 'scan', operands: [f32(3)], attrs: scanAttrs(4, 0, 0), regions: [passBody([f32(3)], [0])], gives: [f32(4, 3)] }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(4), regions: [passBody(STEP, [0])], error: /scanned operand 0 is f32\[5,N,4\]; its leading axis must have the scan's length 4/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5, 2, 3), regions: [passBody(STEP, [0])], error: /carried \(2\) and scanned \(3\) values must fit the 4 operands/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), regions: [passBody(STEP, [2])], error: /body yields i32\[\] for carried value 0 of type f32\[N,4\]/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), regions: [passBody(SCANNED, [0])], error: /body input 1 is f32\[5,N,4\], expected f32\[N,4\]/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), regions: [passBody(STEP.slice(0, 3), [0])], error: /body takes 3 values, scan passes 4/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), regions: [passBody(STEP, [])], error: /body yields 0 values, 1 are carried/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(-1), regions: [passBody(STEP, [0])], error: /length must be a non-negative integer/ }),
  row({ op: 'scan', operands: [f32(), f32()], attrs: scanAttrs(2, 1, 1), regions: [passBody([f32(), f32()], [0])], error: /scanned operand 0 is f32\[\]; its leading axis/ }),
  row({ op: 'scan', operands: SCANNED, attrs: scanAttrs(5), error: /missing body/ }),
];

/** A region over `params` yielding a fresh bool[] (a comparison of the i32 state with itself). */
function condBody(params: readonly TensorType[], yields: 'bool' | 'i32' | 'two' = 'bool'): Graph {
  const b = new GraphBuilder();
  const vs = params.map((t) => b.input(t));
  const flag = b.add1('lt', [vs[1], vs[1]], {});
  return b.build(yields === 'bool' ? [flag] : yields === 'i32' ? [vs[1]] : [flag, flag], 'cond');
}
const LOOPED = [f32('N', 4), i32(), f32(4)];
const whileAttrs = (max_trips: number, check_every = 10, carried = 2) => ({ max_trips, check_every, carried });
const WHILE_ROWS: readonly Row[] = [
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(100), regions: [condBody(LOOPED), passBody(LOOPED, [0, 1])], gives: LOOPED.slice(0, 2) }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(0, 1, 3), regions: [condBody(LOOPED), passBody(LOOPED, [0, 1, 2])], gives: LOOPED }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5), regions: [condBody(LOOPED, 'i32'), passBody(LOOPED, [0, 1])], error: /cond must yield one bool\[\], yields \(i32\[\]\)/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5), regions: [condBody(LOOPED, 'two'), passBody(LOOPED, [0, 1])], error: /cond must yield one bool\[\]/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5), regions: [condBody(LOOPED), passBody(LOOPED, [0, 2])], error: /body yields f32\[4\] for carried value 1 of type i32\[\]/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5), regions: [condBody(LOOPED.slice(0, 2)), passBody(LOOPED, [0, 1])], error: /cond takes 2 values, while_loop passes 3/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(-1), regions: [condBody(LOOPED), passBody(LOOPED, [0, 1])], error: /max_trips must be a non-negative integer/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5, 0), regions: [condBody(LOOPED), passBody(LOOPED, [0, 1])], error: /check_every must be a positive integer, got 0/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5, 1, 0), regions: [condBody(LOOPED), passBody(LOOPED, [])], error: /carried must be between 1 and the operand count/ }),
  row({ op: 'while_loop', operands: LOOPED, attrs: whileAttrs(5), regions: [condBody(LOOPED)], error: /needs cond and body regions/ }),
];

const STATE = [f32('N', 4), i32(), f32(4)];
const LOOP_ROWS: readonly Row[] = [
  row({ op: 'loop', operands: STATE, attrs: { trips: 3, carried: 2 }, regions: [passBody(STATE, [0, 1])], gives: STATE.slice(0, 2) }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 0, carried: 3 }, regions: [passBody(STATE, [0, 1, 2])], gives: STATE }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 3, carried: 2 }, regions: [passBody(STATE, [0, 2])], error: /body yields f32\[4\] for carried value 1 of type i32\[\]/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 3, carried: 2 }, regions: [passBody(STATE, [0])], error: /body yields 1 values, 2 are carried/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 3, carried: 2 }, regions: [passBody(STATE.slice(0, 2), [0, 1])], error: /body takes 2 values, loop passes 3/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 3, carried: 2 }, regions: [passBody([f32('M', 4), i32(), f32(4)], [0, 1])], error: /body input 0 is f32\[M,4\], operand is f32\[N,4\]/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: -1, carried: 2 }, regions: [passBody(STATE, [0, 1])], error: /trips must be a non-negative integer/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 1, carried: 0 }, regions: [passBody(STATE, [])], error: /carried must be between 1 and the operand count/ }),
  row({ op: 'loop', operands: STATE, attrs: { trips: 1, carried: 1 }, error: /missing body/ }),
  ...SCAN_ROWS,
  ...WHILE_ROWS,
  row({ op: 'custom_vjp', operands: [f32(3)], attrs: {}, regions: [passBody([f32(3)], [0]), passBody([f32(3), f32(3), f32(3)], [2])], gives: [f32(3)] }),
  row({ op: 'custom_vjp', operands: [f32(3)], attrs: {}, regions: [passBody([f32(4)], [0]), passBody([f32(3), f32(3), f32(3)], [2])], error: /fwd takes \(f32\[4\]\), the operands differ/ }),
  row({ op: 'custom_vjp', operands: [f32(3)], attrs: {}, regions: [passBody([f32(3)], [0]), passBody([f32(3), f32(3)], [1])], error: /bwd must take \(operands, results, result cotangents\)/ }),
  row({ op: 'custom_vjp', operands: [f32(3), i32()], attrs: {}, regions: [passBody([f32(3), i32()], [0]), passBody([f32(3), i32(), f32(3), f32(3)], [3])], error: /bwd must return one cotangent per operand/ }),
];

const bool = (...shape: Shape) => T('bool', shape);
/** A cond branch over `params` yielding the ones at `yields` (the same body serves both branches). */
const branch = (params: readonly TensorType[], yields: readonly number[]) => passBody(params, yields);
const WINDOW_COND_ROWS: readonly Row[] = [
  row({ op: 'rev', operands: [f32('N', 3, 4)], attrs: { dims: [0, 2] }, gives: [f32('N', 3, 4)] }),
  row({ op: 'rev', operands: [f32(3, 4)], attrs: { dims: [1, 0] }, error: /dims \[1,0\] must be sorted, unique axes of a rank-2 operand/ }),
  row({ op: 'rev', operands: [f32(3)], attrs: { dims: [1] }, error: /must be sorted, unique axes/ }),
  row({ op: 'dynamic_slice', operands: [f32(5, 'N'), i32(2)], attrs: { sizes: [2, 'N'] }, gives: [f32(2, 'N')] }),
  row({ op: 'dynamic_slice', operands: [f32('B', 5, 6), i32('B', 2)], attrs: { sizes: [0, 6] }, gives: [f32('B', 0, 6)] }),
  row({ op: 'dynamic_slice', operands: [f32(5), T('u32', [1])], attrs: { sizes: [2] }, error: /start indices must be i32, got u32/ }),
  row({ op: 'dynamic_slice', operands: [f32(5), i32()], attrs: { sizes: [2] }, error: /start indices must be a vector/ }),
  row({ op: 'dynamic_slice', operands: [f32(5, 4), i32(1)], attrs: { sizes: [2] }, error: /1 start indices and 0 batch axes do not fit an operand of rank 2/ }),
  row({ op: 'dynamic_slice', operands: [f32(3, 5), i32(2, 1)], attrs: { sizes: [2] }, error: /batch axis 0 differs \(3 vs 2\)/ }),
  row({ op: 'dynamic_slice', operands: [f32(5)], attrs: { sizes: [2] }, error: /takes 2 operand\(s\), got 1/ }),
  row({ op: 'dynamic_slice', operands: [f32(5), i32(1)], attrs: { sizes: [6] }, error: /axis 0: window size 6 does not fit the axis of size 5/ }),
  row({ op: 'dynamic_slice', operands: [f32('N'), i32(1)], attrs: { sizes: [1] }, error: /a window on a symbolic axis must take it whole \(size 1, axis N\)/ }),
  row({ op: 'dynamic_slice', operands: [f32(5, 5), i32(2)], attrs: { sizes: [2] }, error: /sizes \[2\] must give one size per start index \(2\)/ }),
  row({ op: 'dynamic_update_slice', operands: [f32(5, 'N'), f32(2, 'N'), i32(2)], attrs: {}, gives: [f32(5, 'N')] }),
  row({ op: 'dynamic_update_slice', operands: [i32('B', 4), i32('B', 3), i32('B', 1)], attrs: {}, gives: [i32('B', 4)] }),
  row({ op: 'dynamic_update_slice', operands: [f32(5), i32(2), i32(1)], attrs: {}, error: /update dtype i32 differs from the operand's f32/ }),
  row({ op: 'dynamic_update_slice', operands: [f32(5), f32(6), i32(1)], attrs: {}, error: /axis 0: window size 6 does not fit/ }),
  row({ op: 'dynamic_update_slice', operands: [f32(5, 2), f32(2), i32(2)], attrs: {}, error: /update rank 1 differs from the operand's 2/ }),
  row({ op: 'dynamic_update_slice', operands: [f32(3, 4), f32(2, 4), i32(3, 1)], attrs: {}, error: /batch axis 0 of the update differs \(2 vs 3\)/ }),
  row({ op: 'cond', operands: [bool(), f32('N', 3), i32()], attrs: {}, regions: [branch([f32('N', 3), i32()], [1, 0]), branch([f32('N', 3), i32()], [1, 0])], gives: [i32(), f32('N', 3)] }),
  row({ op: 'cond', operands: [bool()], attrs: {}, regions: [branch([], []), branch([], [])], gives: [] }),
  row({ op: 'cond', operands: [bool(2), f32(3)], attrs: {}, regions: [branch([f32(3)], [0]), branch([f32(3)], [0])], error: /the predicate must be bool\[\], got bool\[2\]/ }),
  row({ op: 'cond', operands: [i32(), f32(3)], attrs: {}, regions: [branch([f32(3)], [0]), branch([f32(3)], [0])], error: /the predicate must be bool\[\], got i32\[\]/ }),
  row({ op: 'cond', operands: [bool(), f32(3)], attrs: {}, regions: [branch([f32(3)], [0])], error: /needs then and else regions/ }),
  row({ op: 'cond', operands: [bool(), f32(3)], attrs: {}, regions: [branch([f32(3)], [0]), branch([f32(4)], [0])], error: /else takes \(f32\[4\]\), the operands after the predicate are \(f32\[3\]\)/ }),
  row({ op: 'cond', operands: [bool(), f32(3), i32()], attrs: {}, regions: [branch([f32(3), i32()], [0]), branch([f32(3), i32()], [1])], error: /the branches yield different types: then \(f32\[3\]\), else \(i32\[\]\)/ }),
  row({ op: 'cond', operands: [], attrs: {}, regions: [branch([], []), branch([], [])], error: /needs a predicate operand/ }),
];

const ROWS: readonly Row[] = [...elementwiseRows(), ...STRUCTURAL_ROWS, ...LOOP_ROWS, ...WINDOW_COND_ROWS];

/** Applies a row's op to fresh inputs of its operand types through the builder. */
function applyRow(r: Row) {
  const b = new GraphBuilder();
  const inputs = r.operands.map((t) => b.input(t));
  return b.add(r.op, inputs, r.attrs as never, { regions: r.regions ?? [] });
}

const describeRow = (r: Row) => `${r.op}(${r.operands.map(formatType).join(', ')}) ${JSON.stringify(r.attrs)}`;

describe('shape and dtype rules', () => {
  it('every op has rows that pass and rows that fail', () => {
    const missing = OP_NAMES.filter((op) => !ROWS.some((r) => r.op === op && r.gives) || !ROWS.some((r) => r.op === op && r.error));
    expect(missing).toEqual([]);
  });

  it.each(ROWS.filter((r) => r.gives).map((r) => [describeRow(r), r] as const))('%s infers its result types', (_, r) => {
    expect(applyRow(r).map((v) => v.type)).toEqual(r.gives);
  });

  it.each(ROWS.filter((r) => r.error).map((r) => [describeRow(r), r] as const))('%s is refused with a ShapeError naming op and operands', (_, r) => {
    let error: unknown;
    try {
      applyRow(r);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    const e = error as ShapeError;
    expect(e.op).toBe(r.op);
    expect(e.message).toMatch(new RegExp(`^${r.op}: `));
    expect(e.message).toMatch(r.error!);
    for (const t of r.operands) expect(e.message).toContain(formatType(t));
  });

  it('a ShapeError from the builder carries the call site', () => {
    const b = new GraphBuilder();
    const [x, y] = [b.input(f32('N', 3)), b.input(f32('M', 3))];
    expect(() => b.add1('add', [x, y], {}, { file: 'model.axon', line: 3, col: 9 })).toThrow(/at model\.axon:3:9$/);
  });
});

describe('bindDims (call-time unification)', () => {
  it('binds a symbol across arguments', () => {
    const r = bindDims([['N', 3], ['N'], [2, 'M']], [[5, 3], [5], [2, 7]]);
    expect('binding' in r && [...r.binding]).toEqual([['N', 5], ['M', 7]]);
  });

  it('extends an existing binding', () => {
    const r = bindDims([['N']], [[4]], new Map([['M', 2]]));
    expect('binding' in r && Object.fromEntries(r.binding)).toEqual({ M: 2, N: 4 });
  });

  it('reports a rank mismatch with the argument index', () => {
    expect(bindDims([['N', 3], ['N', 3]], [[2, 3], [2]])).toEqual({ error: 'rank 2 expected, got rank 1', index: 1 });
  });

  it('reports a size mismatch on a concrete axis', () => {
    expect(bindDims([['N', 3]], [[2, 4]])).toEqual({ error: 'axis 1 must be 3, got 4', index: 0 });
  });

  it('reports a symbol bound inconsistently', () => {
    const r = bindDims([['N', 3], [2, 'N']], [[5, 3], [2, 6]]);
    expect(r).toEqual({ error: 'dimension N is 5 from an earlier argument but 6 here (axis 1)', index: 1 });
    expect(bindDims([['N', 'N']], [[2, 3]])).toEqual({ error: 'dimension N is 2 from an earlier argument but 3 here (axis 1)', index: 0 });
  });
});
