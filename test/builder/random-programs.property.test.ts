import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import {
  arbitraryBuilderProgram, N_SIZES, randomBuilderProgram, SYMBOL, type BuilderProgram,
} from '../helpers/random-builder-program.ts';
import { seededChooser } from '../helpers/random-chooser.ts';

/**
 * Random programs of 10–30 ax functions, traced once and evaluated by the float64 reference, and
 * run through ax.jit on WebGPU: every output agrees (f32 to a relative 1e-4, integers and bools
 * exactly). Fails, never skips, without an adapter.
 */
const RTOL = 1e-4;
const SEED = 20240611;

let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

/** Runs the jit function on the program's inputs and compares with the reference; the IR on failure. */
async function expectAgreement(p: BuilderProgram, f: (...xs: ax.HostTensor[]) => Promise<unknown>, n?: number): Promise<void> {
  const inputs = p.inputs(n);
  const expected = evaluate(p.graph, inputs);
  const outputs = (await f(...inputs)) as ax.DeviceArray[];
  const actual = await Promise.all(outputs.map((o) => o.toHostTensor()));
  try {
    expect(actual.length).toBe(expected.length);
    actual.forEach((a, i) => expectClose(a, expected[i], expected[i].dtype === 'f32' ? RTOL : 0, `output ${i}`));
  } catch (e) {
    const binding = p.symbolic ? ` with ${SYMBOL} = ${n}` : '';
    throw new Error(`${(e as Error).message}\nin the program${binding} (applied: ${p.applied.join(', ')}):\n${ax.printGraph(p.graph)}`);
  }
}

describe('random builder programs', () => {
  it('replay the same graph on every trace and reach every family of ax functions', () => {
    const applied = new Set<string>();
    for (let seed = 0; seed < 80; seed++) {
      const p = randomBuilderProgram(seededChooser(seed), { symbolic: seed % 2 === 0 });
      expect(ax.printGraph(ax.trace(p.fn, ...p.specs))).toBe(ax.printGraph(p.graph));
      expect(p.applied.length).toBeGreaterThanOrEqual(10);
      p.applied.forEach((name) => applied.add(name));
    }
    const families = [
      'exp', 'tanh', 'sigmoid', 'sqrt(abs)', 'log(1+x²)', 'add', 'multiply', 'divide', 'where', 'less',
      'sum', 'mean', 'max', 'min', 'argmax', 'reshape', 'transpose', 'expandDims', 'squeeze', 'slice',
      'pad', 'concatenate', 'take', 'matmul', 'einsum', 'softmax', 'logsumexp', 'astype(i32)',
      'astype(f32)', 'loop',
    ];
    expect(families.filter((f) => !applied.has(f))).toEqual([]);
  });

  it('with concrete shapes agree between WebGPU (ax.jit) and the float64 reference', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBuilderProgram({ symbolic: false }), async (p) => {
        await expectAgreement(p, ax.jit(p.fn, { backend }));
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it(`with a symbolic dim ${SYMBOL}: one compiled program agrees for ${SYMBOL} = ${N_SIZES.join(' and ')}`, async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBuilderProgram({ symbolic: true }), async (p) => {
        const f = ax.jit(p.fn, { backend, specs: p.specs });
        for (const n of N_SIZES) await expectAgreement(p, f, n);
        expect([f.traceCount, f.compileCount]).toEqual([1, 1]);
      }),
      { seed: SEED + 1, numRuns: 8 },
    );
  });
});
