import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { Executable, stats } from '../../runtime/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { GraphBuilder, type Graph } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { APPROX, randomTensor, seeded } from './cases/case.ts';

/** A graph with a map, a reduction and a contraction over a symbolic batch. */
function mlp(): Graph {
  const b = new GraphBuilder();
  const x = b.input({ dtype: 'f32', shape: ['N', 8] });
  const w = b.input({ dtype: 'f32', shape: [8, 4] });
  const xw = b.add1('dot_general', [x, w], { lhs_contracting: [1], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  const h = b.add1('tanh', [xw], {});
  return b.build([b.add1('reduce_sum', [h], { axes: [0], keepdims: false }), h]);
}

describe('pipelines are shared', () => {
  it('compiling the same graph twice and running it creates no new pipelines', async () => {
    const backend = await gpuBackend();
    const rand = seeded(3);
    const run = async (n: number) => {
      const graph = mlp();
      const inputs = [randomTensor(rand, 'f32', [n, 8]), randomTensor(rand, 'f32', [8, 4])];
      const exe = await Executable.create(backend, compileProgram(graph, backend.limits));
      try {
        const outs = await Promise.all(exe.run(inputs).map((o) => o.toHostTensor()));
        evaluate(graph, inputs).forEach((e, i) => expectClose(outs[i], e, APPROX));
      } finally {
        exe.dispose();
      }
    };
    await run(5);
    const created = stats.pipelinesCreated;
    await run(300);
    expect(stats.pipelinesCreated).toBe(created);
  });
});
