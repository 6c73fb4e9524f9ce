import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalShape, OP_NAMES, parseGraph, printGraph, verifyGraph, type HostTensor } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { arbitraryProgram, randomProgramFromSeed, type RandomProgram } from '../helpers/random-graph.ts';
import { expectWellFormed } from '../helpers/well-formed.ts';

/** Same dtype, shape and bits: NaN equals NaN, and -0 differs from 0. */
function expectIdentical(actual: readonly HostTensor[], expected: readonly HostTensor[], text: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.dtype, `output ${i} dtype\n${text}`).toBe(e.dtype);
    expect([...a.shape], `output ${i} shape\n${text}`).toEqual([...e.shape]);
    for (let k = 0; k < e.data.length; k++)
      if (!Object.is(a.data[k], e.data[k])) expect.fail(`output ${i} element ${k}: ${a.data[k]} != ${e.data[k]}\n${text}`);
  });
}

function checkRoundTrip({ graph, inputs }: RandomProgram): void {
  verifyGraph(graph);
  const text = printGraph(graph);
  const parsed = parseGraph(text);
  expect(printGraph(parsed), text).toBe(text);
  verifyGraph(parsed);
  expectIdentical(evaluate(parsed, inputs), evaluate(graph, inputs), text);
}

describe('random programs survive print → parse', () => {
  it('prints identically, verifies and evaluates to the same values (fast-check, shrinking)', () => {
    fc.assert(fc.property(arbitraryProgram(), checkRoundTrip), { numRuns: 100 });
  });

  it('holds for seeded programs too (the form WebGPU tests replay)', () => {
    for (let seed = 1; seed <= 50; seed++) checkRoundTrip(randomProgramFromSeed(seed));
  });

  it('the reference agrees with the type rules on every value of a random program', () => {
    for (let seed = 101; seed <= 150; seed++) {
      const { graph, inputs, binding } = randomProgramFromSeed(seed);
      const every = graph.nodes.flatMap((n) => n.outputs);
      const results = evaluate({ ...graph, outputs: every }, inputs);
      results.forEach((r, i) => {
        const what = `seed ${seed}, %${every[i].id}`;
        expect(r.dtype, what).toBe(every[i].type.dtype);
        expect([...r.shape], what).toEqual(evalShape(every[i].type.shape, binding));
        expectWellFormed(r, what);
      });
    }
  });

  it('the generator reaches every primitive of the registry', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) randomProgramFromSeed(seed).applied.forEach((op) => seen.add(op));
    expect(OP_NAMES.filter((op) => !seen.has(op))).toEqual([]);
  });

  it('the generator honours an op subset, step counts and the size cap', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const p = randomProgramFromSeed(seed, { ops: ['add', 'mul', 'reduce_sum'], minSteps: 5, maxSteps: 5, maxElements: 64 });
      const own = p.applied.filter((op) => op !== 'constant');
      expect(own.length).toBeLessThanOrEqual(5);
      expect(own.every((op) => ['add', 'mul', 'reduce_sum'].includes(op))).toBe(true);
      for (const n of p.graph.nodes)
        for (const v of n.outputs) {
          const size = v.type.shape.reduce<number>((acc, d) => acc * (typeof d === 'number' ? d : p.binding.get(d)!), 1);
          expect(size).toBeLessThanOrEqual(64);
        }
    }
  });

  it('seeded programs are reproducible', () => {
    const a = randomProgramFromSeed(42);
    const b = randomProgramFromSeed(42);
    expect(printGraph(b.graph)).toBe(printGraph(a.graph));
    expectIdentical(b.inputs, a.inputs, printGraph(a.graph));
  });
});
