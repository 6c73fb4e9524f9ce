import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { buildArtifact } from '../../src/lang/artifact.ts';
import { loadChecked, lowerModelFile } from '../../src/lang/compile.ts';
import { LangError } from '../../src/lang/diagnostics.ts';
import { TWINS } from '../../examples/models/builders.ts';

const MODELS = resolve(import.meta.dirname, '../../examples/models');

describe('each model file lowers to the IR of its builder-API twin', () => {
  for (const twin of TWINS)
    test(`${twin.file} ${twin.model}`, () => {
      const lowered = lowerModelFile(`${MODELS}/${twin.file}`, { model: twin.model });
      const fromFile = ax.printGraph(lowered.forward.graph, { locations: false });
      const fromBuilder = ax.printGraph(twin.trace(), { locations: false });
      expect(fromFile).toBe(fromBuilder);
    });
});

describe('each runnable example compiles to an artifact and runs', () => {
  const seen = new Set<string>();
  for (const twin of TWINS) {
    const key = `${twin.file} ${twin.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    test(key, async () => {
      const lowered = lowerModelFile(`${MODELS}/${twin.file}`, { model: twin.model });
      const files = await buildArtifact(lowered);
      expect([...files.keys()].filter((f) => f.startsWith('kernels/forward/')).length).toBeGreaterThan(0);
      // Run forward on the reference interpreter with the initial parameters and three rows of input.
      const inputs = lowered.forward.inputs.filter((p) => p.kind === 'input').map((p) => {
        const shape = p.type.shape.map((d) => (typeof d === 'string' ? 3 : d));
        const n = shape.reduce((a, b) => a * b, 1);
        return ax.hostTensor(p.type.dtype, shape, Array.from({ length: n }, (_, i) => (p.type.dtype === 'f32' ? Math.sin(i + 1) : i % 2)));
      });
      const [out] = ax.evaluate(lowered.forward.graph, [...lowered.initialParams(), ...inputs]);
      expect(out.shape).toEqual(lowered.forward.outputs[0].type.shape.map((d) => (typeof d === 'string' ? 3 : d)));
      expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
    });
  }
});

describe('examples of work that has not landed: checked, and lowering says what it waits for', () => {
  test.each([
    ['zephyr-encoder.axon', undefined, /^zephyr-encoder\.axon:\d+:\d+: error: conv1d is not available in this build of axonic: it is a layer of the nn work/],
    ['zephyr-decoder.axon', 'Decoder', /^zephyr-decoder\.axon:\d+:\d+: error: self_attention is not available in this build of axonic/],
    ['ep.axon', undefined, /^ep\.axon:16:8: error: rule ep is not available in this build of axonic/],
    ['pc.axon', undefined, /^pc\.axon:16:8: error: rule pc is not available in this build of axonic/],
  ])('%s', (file, model, message) => {
    expect(() => loadChecked(`${MODELS}/${file}`)).not.toThrow();
    let error: unknown;
    try {
      lowerModelFile(`${MODELS}/${file}`, { model });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LangError);
    expect((error as LangError).code).toBe('unsupported');
    expect((error as LangError).diagnostics[0].render().replace(/^.*examples\/models\//, '')).toMatch(message);
  });

  test('hopfield.axon: an energy model, parsed and checked', () => {
    const program = loadChecked(`${MODELS}/hopfield.axon`);
    expect([...program.entry.own.values()].map((d) => `${d.kind} ${d.name.name}`)).toEqual(['energy Memory']);
  });
});
