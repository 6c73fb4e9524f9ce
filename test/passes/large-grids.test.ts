import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { evaluate } from '../../runtime/reference.ts';
import { DEFAULT_LIMITS, type KernelLimits } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';
import { APPROX, BITWISE, EXACT, f32, makeCase, u32, type OpCase } from './cases/case.ts';

/**
 * Workgroups of 64 invocations (which codegen must honour when the limits say so) reach a grid
 * of more than 65,535 workgroups with a quarter of the data that 256 would need; the runtime
 * then folds the count into x and y and the kernels recombine it.
 */
const LIMITS: KernelLimits = { ...DEFAULT_LIMITS, maxComputeInvocationsPerWorkgroup: 64, maxComputeWorkgroupSizeX: 64 };
const MAX_PER_DIMENSION = 65535;
const ELEMENTS = (MAX_PER_DIMENSION + 2) * 64 + 3;

const workgroups = (c: OpCase): number => {
  const k = compileProgram(c.graph, LIMITS).kernels;
  expect(k.length).toBe(1);
  const d = k[0].dispatch;
  if (d.kind !== 'linear') throw new Error('expected a linear dispatch');
  const bound = c.inputs.length ? c.inputs[0].shape.reduce((a, b) => a * b, 1) : 0;
  return Math.ceil((d.count.constant * (d.count.symbols.length ? bound : 1)) / d.count.divisor);
};

const CASES: OpCase[] = [
  makeCase({
    name: `a map over ${ELEMENTS} elements`,
    covers: ['mul'],
    inputs: [f32(ELEMENTS)],
    body: (b, [x]) => [b.add1('mul', [x, b.add1('constant', [], { shape: [], dtype: 'f32', value: [-1.5] })], {})],
    rtol: EXACT,
    limits: LIMITS,
  }),
  makeCase({
    // Rows of symbolic length K get a workgroup per output (they could be long).
    name: 'a workgroup-per-output reduction with 70,000 outputs',
    covers: ['reduce_sum'],
    inputs: [f32(70000, 'K')],
    bind: { K: 33 },
    body: (b, [x]) => [b.add1('reduce_sum', [x], { axes: [1], keepdims: false })],
    rtol: APPROX,
    limits: LIMITS,
  }),
  makeCase({
    name: `random_bits of ${ELEMENTS} elements`,
    covers: ['random_bits'],
    inputs: [u32(2)],
    domains: [{ lo: 0, hi: 4294967295 }],
    body: (b, [key]) => [b.add1('random_bits', [key], { shape: [ELEMENTS] })],
    rtol: BITWISE,
    limits: LIMITS,
  }),
];

describe('grids of more than 65,535 workgroups', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    expect(workgroups(c)).toBeGreaterThan(MAX_PER_DIMENSION);
    const actual = await runOnGpu(c.graph, c.inputs, c.limits);
    const expected = evaluate(c.graph, c.inputs);
    actual.forEach((a, i) => expectClose(a, expected[i], expected[i].dtype === 'f32' ? c.rtol : 0));
  });
});
