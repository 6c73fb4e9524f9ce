import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';
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
