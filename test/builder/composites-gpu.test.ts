import { beforeAll, describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { evaluate } from '../../runtime/reference.ts';
import { readAll, resetStats, stats } from '../../runtime/index.ts';
import * as ax from '../../src/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { ht, randomTensor } from './helpers.ts';

/**
 * One WebGPU run of the composites of cond.test, arrange.test, triangle.test, scatter.test and
 * dynamic-slice.test (their primitives have their own GPU rows in test/passes): one small program
 * holding a representative of each, compiled once and called with two predicates and indices.
 * Fails, never skips, without an adapter.
 */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

type T = ax.Tensor;
const program = (p: T, i: T, x: T, rows: T, u: T) => [
  ax.cond(p, (v: T) => v.sin(), (v: T) => v.exp().mul(u.sum()), x),
  ax.switch(i, [(v: T) => v.neg(), (v: T) => v.mul(v), (v: T) => v.tanh()], x),
  ax.roll(x, i, 1),
  ax.tril(x, -1),
  x.at(rows).add(u),
  x.at(rows).set(u),
  ax.dynamicUpdateSlice(x, u.index(0).reshape([1, 3]), [i, 0]),
];
const SPECS = [ax.spec('bool', []), ax.spec('i32', []), ax.spec('f32', [4, 3]), ax.spec('i32', [3]), ax.spec('f32', [3, 3])];

describe('cond, switch and the array composites on WebGPU', () => {
  it('match the float64 reference, the branch chosen on the device for each call', async () => {
    const f = ax.jit(program, { backend, specs: SPECS });
    const x = randomTensor(91, [4, 3]);
    const u = randomTensor(92, [3, 3]);
    const rows = ht([3], [0, 3, 3], 'i32');
    const graph = ax.trace(program, ...SPECS);
    // cond and switch became selects: the program is dispatches only (no loop, no host step).
    expect(compileProgram(graph, backend.limits).steps.every((s) => s.kind === 'dispatch')).toBe(true);
    for (const [p, i] of [[1, 2], [0, -1]]) {
      const args = [ht([], [p], 'bool'), ht([], [i], 'i32'), x, rows, u] as const;
      resetStats();
      const outs = (await f(...args)) as ax.DeviceArray[];
      expect(stats).toMatchObject({ submissions: 1, readbacks: 0 });
      const got = await readAll(outs);
      evaluate(graph, [...args]).forEach((want, k) => expect(maxRelError(got[k], want.data), `output ${k} at p=${p}, i=${i}`).toBeLessThanOrEqual(1e-5));
    }
    expect(f.compileCount).toBe(1);
  });
});
