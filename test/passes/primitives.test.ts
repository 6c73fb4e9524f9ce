import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { expectClose } from '../helpers/compare.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';
import { elementwiseCases } from './cases/elementwise.ts';
import { loopCases } from './cases/loop.ts';
import { movementCases } from './cases/movement.ts';
import { scanCases } from './cases/scan.ts';
import { whileCases } from './cases/while.ts';
import { dotCases, reduceCases } from './cases/reduce-dot.ts';
import { windowCondCases } from './cases/window-cond.ts';
import type { OpCase } from './cases/case.ts';

const CASES: OpCase[] = [...elementwiseCases(), ...movementCases(), ...reduceCases(), ...dotCases(), ...loopCases(), ...scanCases(), ...whileCases(), ...windowCondCases()];

describe('every primitive on WebGPU matches the float64 reference', () => {
  it('has a test row for every primitive in the registry', () => {
    const covered = new Set(CASES.flatMap((c) => c.covers));
    expect(OP_NAMES.filter((op) => !covered.has(op))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const expected = evaluate(c.graph, c.inputs);
    const actual = await runOnGpu(c.graph, c.inputs, c.limits);
    expect(actual.length).toBe(expected.length);
    // The tolerance is for f32 results; integer and bool results must match exactly.
    actual.forEach((a, i) => expectClose(a, expected[i], expected[i].dtype === 'f32' ? c.rtol : 0, `output ${i}`));
  });
});
