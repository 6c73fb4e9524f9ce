import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { splitWide } from '../../passes/split-wide.ts';
import { evaluate } from '../../runtime/reference.ts';
import { DEFAULT_LIMITS, GraphBuilder, LimitError, verifyGraph, walkNodes, type KernelLimits } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';
import { EXACT, makeCase } from './cases/case.ts';

const FOUR: KernelLimits = { ...DEFAULT_LIMITS, maxStorageBuffersPerShaderStage: 4 };
const WIDTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const wideConcat = makeCase({
  name: 'concatenate of 10 operands',
  covers: ['concatenate'],
  inputs: WIDTHS.map((w) => ({ dtype: 'f32' as const, shape: ['N', w] })),
  bind: { N: 3 },
  body: (b, xs) => [b.add1('concatenate', xs, { axis: 1 })],
  rtol: EXACT,
});

describe('split-wide: kernels stay within the storage-binding limit', () => {
  it('rewrites a 10-operand concatenate into concatenates of at most 3 operands', () => {
    const split = splitWide(wideConcat.graph, FOUR);
    verifyGraph(split);
    const concats = [...walkNodes(split)].filter((n) => n.op === 'concatenate');
    expect(concats.length).toBeGreaterThan(1);
    for (const n of concats) expect(n.inputs.length).toBeLessThanOrEqual(3);
    expect(split.outputs).toEqual(wideConcat.graph.outputs);
  });

  it('compiles to kernels with at most 4 storage bindings that compute the right values', async () => {
    const program = compileProgram(wideConcat.graph, FOUR, { verifyEach: true });
    for (const k of program.kernels) expect(k.reads + k.writes).toBeLessThanOrEqual(4);
    const [actual] = await runOnGpu(wideConcat.graph, wideConcat.inputs, FOUR);
    expectClose(actual, evaluate(wideConcat.graph, wideConcat.inputs)[0], 0);
  });

  it('splits inside loop bodies and leaves narrow graphs untouched', () => {
    const b = new GraphBuilder();
    const xs = [0, 1, 2, 3, 4].map(() => b.input({ dtype: 'f32', shape: [2] }));
    const body = new GraphBuilder();
    const inner = xs.map((x) => body.input(x.type));
    const joined = body.add1('concatenate', inner, { axis: 0 });
    const head = body.add1('slice', [joined], { start: [0], limit: [2], stride: [1] });
    const [out] = b.add('loop', xs, { trips: 2, carried: 1 }, { regions: [body.build([head], 'body')] });
    const g = b.build([out]);
    const split = splitWide(g, FOUR);
    verifyGraph(split);
    for (const n of walkNodes(split)) if (n.op === 'concatenate') expect(n.inputs.length).toBeLessThanOrEqual(3);
    expect(splitWide(g, DEFAULT_LIMITS)).toBe(g);
  });

  it('refuses limits that leave no room for a binary operator', () => {
    expect(() => compileProgram(wideConcat.graph, { ...DEFAULT_LIMITS, maxStorageBuffersPerShaderStage: 2 })).toThrow(LimitError);
  });
});
