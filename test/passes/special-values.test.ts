import { describe, expect, it } from 'vitest';
import { PASSES, runPasses } from '../../passes/manager.ts';
import { evaluate } from '../../runtime/reference.ts';
import { Executable } from '../../runtime/index.ts';
import {
  BINARY_OPS, GraphBuilder, hostTensor, UNARY_OPS,
  type BinaryOp, type DType, type Graph, type HostTensor, type UnaryOp, type Value,
} from '../../src/ir/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { disagreements, SPECIAL } from '../helpers/special-values.ts';

/**
 * NaN, infinities, signed zeros, subnormals and the f32 extremes through every elementwise,
 * select and reduction primitive on WebGPU: as inputs, and as literal constants that codegen
 * writes into the WGSL (once with the simplify pass folding what it can, once without, so that
 * the kernels themselves compute on the literals). Every value must agree with the reference.
 */

const UNARY_DTYPES: { [K in UnaryOp]: readonly DType[] } = {
  neg: ['f32', 'i32'], abs: ['f32', 'i32'], sign: ['f32', 'i32'],
  exp: ['f32'], log: ['f32'], sqrt: ['f32'], rsqrt: ['f32'], sin: ['f32'], cos: ['f32'], tanh: ['f32'], logistic: ['f32'],
  floor: ['f32'], ceil: ['f32'], round: ['f32'], log1p: ['f32'], expm1: ['f32'], erf: ['f32'],
  tan: ['f32'], asin: ['f32'], acos: ['f32'], atan: ['f32'], sinh: ['f32'], cosh: ['f32'], asinh: ['f32'], acosh: ['f32'], atanh: ['f32'],
  not: ['bool', 'i32', 'u32'], stop_gradient: ['f32', 'i32', 'u32', 'bool'],
};

const NUMERIC = ['f32', 'i32', 'u32'] as const;
const BITS = ['bool', 'i32', 'u32'] as const;
const BINARY_DTYPES: { [K in BinaryOp]: readonly DType[] } = {
  add: NUMERIC, sub: NUMERIC, mul: NUMERIC, div: NUMERIC, rem: NUMERIC, pow: ['f32'], atan2: ['f32'], max: NUMERIC, min: NUMERIC,
  and: BITS, or: BITS, xor: BITS, shl: ['i32', 'u32'], shr: ['i32', 'u32'],
  eq: ['f32', 'i32', 'u32', 'bool'], ne: ['f32', 'i32', 'u32', 'bool'], lt: NUMERIC, le: NUMERIC, gt: NUMERIC, ge: NUMERIC,
};

/** Correctly rounded in IEEE f32 (WGSL allows 2.5 ULP for division). */
const ROUNDED = 3e-7;
/** Transcendental functions: a few ULP, more where WGSL's accuracy depends on |x| (exp). */
const TRANSCENDENTAL = 2e-5;
const APPROXIMATE: ReadonlySet<string> = new Set([
  'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'logistic', 'log1p', 'expm1', 'erf', 'pow', 'rem',
  'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'atan2',
]);
const rtolOf = (op: string) => (APPROXIMATE.has(op) ? TRANSCENDENTAL : ROUNDED);

const WITHOUT_SIMPLIFY = PASSES.filter((p) => p.name !== 'simplify');

async function runBoth(graph: Graph, inputs: readonly HostTensor[], folded: boolean): Promise<{ gpu: HostTensor[]; ref: HostTensor[] }> {
  const backend = await gpuBackend();
  const program = runPasses(graph, backend.limits, { verifyEach: true }, folded ? PASSES : WITHOUT_SIMPLIFY);
  const exe = await Executable.create(backend, program);
  try {
    const gpu = await Promise.all(exe.run(inputs).map((o) => o.toHostTensor()));
    return { gpu, ref: evaluate(graph, inputs) };
  } finally {
    exe.dispose();
  }
}

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
const tensor = (dtype: DType, values: readonly number[]) => hostTensor(dtype, [values.length], values);
const constant = (b: GraphBuilder, dtype: DType, v: number): Value => b.add1('constant', [], { shape: [], dtype, value: [v] });

/** Every (a, b) pair of the dtype's special values, as two flat operands. */
function pairs(dtype: DType): { a: number[]; b: number[] } {
  const s = SPECIAL[dtype];
  return { a: s.flatMap((x) => s.map(() => x)), b: s.flatMap(() => s) };
}

function expectAgreement(gpu: HostTensor[], ref: HostTensor[], rtol: number, label: (output: number, i: number) => string): void {
  const problems = gpu.flatMap((g, k) => disagreements(g, ref[k], rtol, (i) => label(k, i)));
  expect(problems, problems.join('\n')).toEqual([]);
}

describe('special values through every unary primitive on WebGPU agree with the reference', () => {
  const rows = UNARY_OPS.flatMap((op) => UNARY_DTYPES[op].map((dtype) => [op, dtype] as const));
  it.each(rows)('%s %s: on inputs', async (op, dtype) => {
    const b = new GraphBuilder();
    const x = b.input({ dtype, shape: [SPECIAL[dtype].length] });
    const { gpu, ref } = await runBoth(b.build([b.add1(op, [x], {})]), [tensor(dtype, SPECIAL[dtype])], true);
    expectAgreement(gpu, ref, rtolOf(op), (_, i) => `${op}(${show(SPECIAL[dtype][i])})`);
  });
  it.each(rows.flatMap(([op, dtype]) => [[op, dtype, false], [op, dtype, true]] as const))(
    '%s %s: on literals (folded by simplify: %s)',
    async (op, dtype, folded) => {
      const b = new GraphBuilder();
      const outs = SPECIAL[dtype].map((c) => b.add1(op, [constant(b, dtype, c)], {}));
      const { gpu, ref } = await runBoth(b.build(outs), [], folded);
      expectAgreement(gpu, ref, rtolOf(op), (k) => `${op}(literal ${show(SPECIAL[dtype][k])})`);
    },
  );
});

describe('special values through every binary primitive on WebGPU agree with the reference', () => {
  const rows = BINARY_OPS.flatMap((op) => BINARY_DTYPES[op].map((dtype) => [op, dtype] as const));
  it.each(rows)('%s %s: every pair of inputs', async (op, dtype) => {
    const { a, b: bv } = pairs(dtype);
    const b = new GraphBuilder();
    const x = b.input({ dtype, shape: [a.length] });
    const y = b.input({ dtype, shape: [a.length] });
    const { gpu, ref } = await runBoth(b.build([b.add1(op, [x, y], {})]), [tensor(dtype, a), tensor(dtype, bv)], true);
    expectAgreement(gpu, ref, rtolOf(op), (_, i) => `${op}(${show(a[i])}, ${show(bv[i])})`);
  });
  it.each(rows)('%s %s: an operand with itself', async (op, dtype) => {
    const b = new GraphBuilder();
    const x = b.input({ dtype, shape: [SPECIAL[dtype].length] });
    const { gpu, ref } = await runBoth(b.build([b.add1(op, [x, x], {})]), [tensor(dtype, SPECIAL[dtype])], false);
    expectAgreement(gpu, ref, rtolOf(op), (_, i) => `${op}(x, x) at x = ${show(SPECIAL[dtype][i])}`);
  });
  it.each(rows.flatMap(([op, dtype]) => [[op, dtype, false], [op, dtype, true]] as const))(
    '%s %s: each special value as a literal operand on either side (folded by simplify: %s)',
    async (op, dtype, folded) => {
      const s = SPECIAL[dtype];
      const b = new GraphBuilder();
      const x = b.input({ dtype, shape: [s.length] });
      const outs = s.flatMap((c) => [b.add1(op, [x, constant(b, dtype, c)], {}), b.add1(op, [constant(b, dtype, c), x], {})]);
      const { gpu, ref } = await runBoth(b.build(outs), [tensor(dtype, s)], folded);
      expectAgreement(gpu, ref, rtolOf(op), (k, i) => {
        const c = show(s[k >> 1]);
        return k & 1 ? `${op}(literal ${c}, ${show(s[i])})` : `${op}(${show(s[i])}, literal ${c})`;
      });
    },
  );
});

describe('special values through select and cast on WebGPU agree with the reference', () => {
  it.each(['f32', 'i32', 'u32', 'bool'] as const)('select %s: either predicate, every pair', async (dtype) => {
    const { a, b: bv } = pairs(dtype);
    const p = [...a.keys()].map((i) => i % 2);
    const b = new GraphBuilder();
    const [pv, x, y] = (['bool', dtype, dtype] as const).map((d) => b.input({ dtype: d, shape: [a.length] }));
    const literal = constant(b, dtype, SPECIAL[dtype][SPECIAL[dtype].length - 1]);
    const outs = [b.add1('select', [pv, x, y], {}), b.add1('select', [pv, literal, y], {}), b.add1('select', [pv, x, literal], {})];
    const { gpu, ref } = await runBoth(b.build(outs), [tensor('bool', p), tensor(dtype, a), tensor(dtype, bv)], false);
    expectAgreement(gpu, ref, 0, (k, i) => `select #${k} (${p[i]}, ${show(a[i])}, ${show(bv[i])})`);
  });
  const casts = (['f32', 'i32', 'u32', 'bool'] as const).flatMap((from) =>
    (['f32', 'i32', 'u32', 'bool'] as const).filter((to) => to !== from).map((to) => [from, to] as const),
  );
  it.each(casts)('cast %s to %s: on inputs and on literals', async (from, to) => {
    const s = SPECIAL[from];
    const b = new GraphBuilder();
    const x = b.input({ dtype: from, shape: [s.length] });
    const outs = [b.add1('cast', [x], { dtype: to }), ...s.map((c) => b.add1('cast', [constant(b, from, c)], { dtype: to }))];
    const { gpu, ref } = await runBoth(b.build(outs), [tensor(from, s)], false);
    expectAgreement(gpu, ref, 0, (k, i) => `cast(${show(k === 0 ? s[i] : s[k - 1])}) to ${to}${k ? ' (literal)' : ''}`);
  });
});

/** Rows whose reduction must keep NaN, mix infinities, keep or lose the sign of zero, overflow. */
const REDUCE_ROWS: readonly (readonly number[])[] = ([
  [1, NaN, 3],
  [NaN, -Infinity, 2],
  [Infinity, -Infinity, 0],
  [Infinity, Infinity, 1],
  [-0, -0, -0],
  [-0, 0, -0],
  [0, -0, 0],
  [3.4028234663852886e38, 3.4028234663852886e38, 1],
  [1e-40, 1e-40, -1e-40],
  [-Infinity, -Infinity, -Infinity],
  [-5, -7, -1],
] as const).map((row) => row.map(Math.fround));

describe('special values through every reduction on WebGPU agree with the reference', () => {
  const ops = ['reduce_sum', 'reduce_max', 'reduce_min'] as const;
  const width = REDUCE_ROWS[0].length;
  it.each(ops)('%s over short rows (one invocation per row) and long rows (a workgroup per row)', async (op) => {
    const short = REDUCE_ROWS.flat();
    // Long rows: each short row with 100 copies of its last element, so the tree reduction combines them.
    const long = REDUCE_ROWS.flatMap((row) => [...row, ...Array(100).fill(row[row.length - 1])]);
    const b = new GraphBuilder();
    const xs = b.input({ dtype: 'f32', shape: [REDUCE_ROWS.length, width] });
    const xl = b.input({ dtype: 'f32', shape: [REDUCE_ROWS.length, width + 100] });
    const outs = [xs, xl].map((x) => b.add1(op, [x], { axes: [1], keepdims: false }));
    const { gpu, ref } = await runBoth(
      b.build(outs),
      [hostTensor('f32', [REDUCE_ROWS.length, width], short), hostTensor('f32', [REDUCE_ROWS.length, width + 100], long)],
      true,
    );
    expectAgreement(gpu, ref, 1e-6, (k, i) => `${op} of ${k ? 'long ' : ''}row [${REDUCE_ROWS[i].map(show)}]`);
  });
});
