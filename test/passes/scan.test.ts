import { beforeAll, describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { evaluate } from '../../runtime/reference.ts';
import { resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import * as ax from '../../src/index.ts';
import type { Program, Step } from '../../src/ir/index.ts';
import { randomTensor } from '../builder/helpers.ts';
import { scaledError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';

type T = ax.Tensor;
const spec = (...shape: number[]) => ax.spec('f32', shape);

/** A recurrent net's loss over the steps of xs [steps, 2, 4]: the scan carries h [2, 8] and stacks each step's sum. */
const loss = (p: { w: T; u: T }, h0: T, xs: T) => {
  const [h, hs] = ax.scan((c: T, x: T) => {
    const n = ax.tanh(c.matmul(p.w).add(x.matmul(p.u)));
    return [n, n.sum()] as const;
  }, h0, xs);
  return h.square().mean().add(hs.mean());
};
const step = ax.valueAndGrad(loss, { argnums: [0, 1, 2] });

/** Every dispatch inside `steps`, nested loops included. */
function* dispatches(steps: readonly Step[]): Generator<Extract<Step, { kind: 'dispatch' }>> {
  for (const s of steps) {
    if (s.kind === 'dispatch') yield s;
    else if (s.kind === 'loop') yield* dispatches(s.body);
  }
}

function* loops(steps: readonly Step[]): Generator<Extract<Step, { kind: 'loop' }>> {
  for (const s of steps)
    if (s.kind === 'loop') {
      yield s;
      yield* loops(s.body);
    }
}

describe('scan lowering', () => {
  it('each trip of backpropagation through time touches one step of the stacks, never a whole stack', () => {
    const steps = 256;
    const program: Program = compileProgram(ax.trace(step, { w: spec(8, 8), u: spec(4, 8) }, spec(2, 8), spec(steps, 2, 4)));
    const scans = [...loops(program.steps)].filter((l) => l.xs?.length || l.ys?.length);
    expect(scans.map((l) => [l.trips, !!l.reverse])).toEqual([[steps, false], [steps, true]]);
    const sizeOf = (id: number) => program.buffers.find((b) => b.id === id)!.shape.reduce<number>((a, d) => a * (d as number), 1);
    for (const l of scans) {
      const stacks = [...(l.xs ?? []), ...(l.ys ?? [])];
      for (const { stacked, slice } of stacks) expect(sizeOf(stacked)).toBe(steps * sizeOf(slice));
      // The kernels of a trip bind slices, state and constants (at most 8×8 here): no stack, nothing that grows with the steps.
      const stacked = new Set(stacks.map((p) => p.stacked));
      for (const d of dispatches(l.body))
        for (const b of d.buffers) {
          expect(stacked.has(b), `buffer ${b} is a stack`).toBe(false);
          expect(sizeOf(b), `buffer ${b} in a trip`).toBeLessThanOrEqual(64);
        }
    }
  });
});

describe('scan on WebGPU', () => {
  let backend: GpuBackend;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  it('computes the loss and every gradient of BPTT over 24 steps in one submission, as the reference does', async () => {
    const params = { w: randomTensor(1, [8, 8], -0.5, 0.5), u: randomTensor(2, [4, 8]) };
    const [h0, xs] = [randomTensor(3, [2, 8]), randomTensor(4, [24, 2, 4])];
    const expected = evaluate(ax.trace(step, params, h0, xs), [params.w, params.u, h0, xs]);
    const f = ax.jit(step, { backend });
    await f(params, h0, xs); // compiles, so that only the call is counted below
    resetStats();
    const [value, [g, gh0, gxs]] = await f(params, h0, xs);
    expect(stats.submissions).toBe(1);
    const got = await ax.readAll([value, g.w, g.u, gh0, gxs]);
    got.forEach((a, k) => expect(scaledError(a, expected[k].data), `output ${k}`).toBeLessThanOrEqual(1e-5));
  });

  it('runs eagerly outside jit', async () => {
    const results = ax.scan((c: T, x: T) => [c.add(x), c.mul(x)] as const, ax.array([1, 2]), ax.array([1, 2, 3, 4, 5, 6], [3, 2]));
    const [h, ys] = results as unknown as ax.DeviceArray[];
    expect(h).toBeInstanceOf(ax.DeviceArray);
    expect(Array.from(await h.data())).toEqual([10, 14]);
    expect(Array.from(await ys.data())).toEqual([1, 4, 6, 16, 25, 48]);
  });
});
