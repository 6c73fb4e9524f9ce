import { beforeAll, describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { evaluate } from '../../runtime/reference.ts';
import { DeviceArray, Executable, resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

type T = ax.Tensor;
let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

/** x ← 2x + 1, k ← k + 1 while k < 7 (at most 50 trips): seven trips, whatever the data. */
const counted = (checkEvery: number) => (x: T) =>
  ax.whileLoop((s: { x: T; k: T }) => s.k.lt(7), (s) => ({ x: s.x.mul(2).add(1), k: s.k.add(1) }), { x, k: ax.zeros([], 'i32') }, { maxTrips: 50, checkEvery });

describe('while loops on WebGPU: chunks of checkEvery trips, one flag read between chunks', () => {
  const x0 = hostTensor('f32', [3], [0.5, -1, 2]);
  const expected = [0.5, -1, 2].map((v) => v * 128 + 127);

  // Flag reads: after each chunk until one finds the flag false; none when the chunk reaches maxTrips.
  for (const [checkEvery, reads] of [[1, 7], [3, 3], [7, 1], [100, 0]] as const)
    it(`checkEvery ${checkEvery}: the state of trip 7 exactly, ${reads} flag reads, ${reads + 1} submissions`, async () => {
      const graph = ax.trace(counted(checkEvery), x0);
      const exe = await Executable.create(gpu, compileProgram(graph, gpu.limits));
      resetStats();
      const outputs = exe.run([x0]);
      await DeviceArray.ready(outputs);
      expect(stats.readbacks).toBe(reads);
      expect(stats.submissions).toBe(reads + 1);
      const [x, k] = await ax.readAll(outputs);
      expect(Array.from(x)).toEqual(expected);
      expect(k[0]).toBe(7);
      exe.dispose();
    });

  it('keeps its own copy of the arguments (disposed right after the call) and runs calls one after another', async () => {
    const f = (x: T) => ax.loop(200, (v: T) => v.add(x.div(v)).mul(0.5), ax.onesLike(x), { tol: 1e-6, checkEvery: 4 });
    const exe = await Executable.create(gpu, compileProgram(ax.trace(f, x0), gpu.limits));
    const inputs = [[2, 9, 16], [0.25, 100, 3]].map((v) => DeviceArray.fromHost(gpu, 'f32', [3], v));
    const [a, b] = inputs.map((x) => exe.run([x])[0]);
    for (const x of inputs) x.dispose();
    expect(Array.from(await a.data()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1.41421, 3, 4]);
    expect(Array.from(await b.data()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0.5, 10, 1.73205]);
    exe.dispose();
  });

  it('runs a while loop inside a scan (one chunked run per call) as the reference does', async () => {
    const f = (xs: T) =>
      ax.scan((c: T, x: T) => {
        const root = ax.loop(60, (v: T) => v.add(x.div(v)).mul(0.5), c, { tol: 1e-5, checkEvery: 5 });
        return [root, root.sum()] as const;
      }, ax.ones([2]), xs);
    const xs = hostTensor('f32', [3, 2], [4, 9, 25, 2, 0.5, 49]);
    const graph = ax.trace(f, xs);
    const expectedAll = evaluate(graph, [xs]);
    const out = await ax.jit(f, { backend: gpu })(xs);
    const got = await ax.readAll(out);
    got.forEach((g, k) => expect(Array.from(g).map((v, i) => Math.abs(v - expectedAll[k].data[i])).every((d) => d < 1e-5), `output ${k}`).toBe(true));
  });

  it('runs eagerly outside jit (the eager op\'s array waits for the chunked run)', async () => {
    const s = ax.whileLoop((x: T) => x.sum().lt(100), (x) => x.mul(2), ax.array([2, 9]), { maxTrips: 20 }) as unknown as DeviceArray;
    expect(Array.from(await s.data())).toEqual([32, 144]);
  });

  it('donates an argument to an output computed in place', async () => {
    const f = (x: T) => [counted(3)(x).x, x.mul(3)];
    const g = ax.jit(f, { backend: gpu, donateArgnums: [0] });
    const x = DeviceArray.fromHost(gpu, 'f32', [3], [0.5, -1, 2]);
    const [y, tripled] = await g(x);
    expect(Array.from(await y.data())).toEqual(expected);
    expect(Array.from(await tripled.data())).toEqual([1.5, -3, 6]);
    expect(x.disposed, 'the argument was given to the call').toBe(true);
  });
});
