import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { LOWER_UNFUSED, PASSES, runPasses } from '../../passes/manager.ts';
import { DeviceArray, Executable, resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { DEFAULT_LIMITS, type KernelLimits, type Program, type Step } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { arbitraryBuilderProgram } from '../helpers/random-builder-program.ts';

/**
 * Kernel fusion: fused programs compute what one-kernel-per-primitive programs compute, in
 * fewer dispatches, within the adapter's binding limit, with temporaries shared and donated
 * arguments updated in place.
 */
const UNFUSED = PASSES.map((p) => (p.name === 'fuse' ? LOWER_UNFUSED : p));

const dispatches = (steps: readonly Step[]): Step[] =>
  steps.flatMap((s) => (s.kind === 'loop' ? dispatches(s.body) : s.kind === 'dispatch' ? [s] : []));

const SOFTWARE: KernelLimits = { ...DEFAULT_LIMITS, maxStorageBuffersPerShaderStage: 16, adapterKind: 'software' };
const countOf = (f: (...a: ax.Tensor[]) => unknown, ...specs: ax.Spec[]): number =>
  dispatches(compileProgram(ax.trace(f as never, ...specs), SOFTWARE).steps).length;

const x = ax.spec('f32', ['N', 10]);
const labels = ax.spec('i32', ['N']);
const layerNorm = (t: ax.Tensor) => {
  const m = t.mean(-1, true);
  const v = t.sub(m).square().mean(-1, true);
  return t.sub(m).div(v.add(1e-5).sqrt());
};
const crossEntropy = (z: ax.Tensor, y: ax.Tensor) => ax.nn.logSoftmax(z).mul(ax.nn.oneHot(y, 10)).sum(-1).mean().neg();
const withGrad = (f: (t: ax.Tensor) => ax.Tensor) => (t: ax.Tensor) => ax.valueAndGrad((u: ax.Tensor) => f(u).square().sum())(t);

describe('the fused plan of common composites', () => {
  it.each([
    ['softmax', (t: ax.Tensor) => ax.softmax(t)],
    ['logSoftmax', (t: ax.Tensor) => ax.logSoftmax(t)],
    ['layerNorm', layerNorm],
  ] as const)('%s: at most 3 dispatches forward, 3 more for the backward pass', (_, f) => {
    expect(countOf(f, x)).toBeLessThanOrEqual(3);
    expect(countOf(withGrad(f), x)).toBeLessThanOrEqual(6);
  });

  it('softmax cross-entropy on integer labels: 3 dispatches forward, one more with its gradient', () => {
    expect(countOf(crossEntropy, x, labels)).toBeLessThanOrEqual(3);
    expect(countOf((z, y) => ax.valueAndGrad(crossEntropy)(z, y), x, labels)).toBeLessThanOrEqual(4);
  });

  it('a matmul with bias, activation and residual is one kernel; a relaxation step in a loop too', () => {
    const layer = (h: ax.Tensor, w: ax.Tensor, b: ax.Tensor) => ax.tanh(h.matmul(w).add(b)).add(h);
    expect(countOf(layer, ax.spec('f32', ['N', 64]), ax.spec('f32', [64, 64]), ax.spec('f32', [64]))).toBe(1);
    const relax = (s: ax.Tensor, w: ax.Tensor, u: ax.Tensor) =>
      ax.loop(50, (t: ax.Tensor) => t.add(t.neg().add(ax.tanh(t.matmul(w).add(u))).mul(0.1)), s);
    expect(countOf(relax, ax.spec('f32', ['N', 64]), ax.spec('f32', [64, 64]), ax.spec('f32', ['N', 64]))).toBe(1);
  });

  it('an elementwise chain over 2^20 elements is one vec4 kernel', () => {
    const chain = (v: ax.Tensor) => ax.tanh(ax.relu(v.mul(1.5).add(0.25)).mul(0.5).sub(0.125)).add(v.mul(v));
    const p = compileProgram(ax.trace(chain, ax.spec('f32', [1 << 20])), SOFTWARE);
    expect(dispatches(p.steps)).toHaveLength(1);
    expect(p.kernels[0].wgsl).toContain('array<vec4<f32>>');
  });
});

describe('fused programs on WebGPU', () => {
  let backend: GpuBackend;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  const run = async (program: Program, inputs: ax.HostTensor[]) => {
    const exe = await Executable.create(backend, program);
    try {
      return await Promise.all((await exe.runChecked(inputs)).map((o) => o.toHostTensor()));
    } finally {
      exe.dispose();
    }
  };

  it('agree with the one-kernel-per-primitive plans of random programs, also under a 4-binding limit', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBuilderProgram({ symbolic: false }), fc.boolean(), async (p, narrow) => {
        const limits = narrow ? { ...backend.limits, maxStorageBuffersPerShaderStage: 4 } : backend.limits;
        const fused = runPasses(p.graph, limits, { verifyEach: true });
        const unfused = runPasses(p.graph, limits, { verifyEach: true }, UNFUSED);
        for (const k of fused.kernels) expect(k.reads + k.writes).toBeLessThanOrEqual(limits.maxStorageBuffersPerShaderStage);
        expect(dispatches(fused.steps).length).toBeLessThanOrEqual(dispatches(unfused.steps).length);
        const inputs = p.inputs();
        const [a, b] = [await run(fused, inputs), await run(unfused, inputs)];
        a.forEach((t, i) => expectClose(t, b[i], t.dtype === 'f32' ? 1e-4 : 0, `output ${i}`));
      }),
      { seed: 20261202, numRuns: 12 },
    );
  });

  it('count every buffer an inline epilogue operand reads against the binding limit (linear, layer norm, branch linear, backward)', async () => {
    // An epilogue operand (x − mean)·rstd is inline and reads three buffers; counting it as one
    // once built a 9-binding kernel under the default 8.
    const net = (w1: ax.Tensor, b1: ax.Tensor, g: ax.Tensor, beta: ax.Tensor, w2: ax.Tensor, x: ax.Tensor) => {
      const h = x.matmul(w1).add(b1);
      const m = h.mean(-1, true);
      const r = h.sub(m).square().mean(-1, true).add(1e-5).rsqrt();
      const y = h.sub(m).mul(r).mul(g).add(beta).matmul(w2).reshape(['N', 4, 16]);
      return y.square().sum();
    };
    const specs = [[8, 16], [16], [16], [16], [16, 64]].map((s) => ax.spec('f32', s));
    const graph = ax.trace((...a: ax.Tensor[]) => ax.grad(net, { argnums: [0, 1, 2, 3, 4] })(...(a as [ax.Tensor, ax.Tensor, ax.Tensor, ax.Tensor, ax.Tensor, ax.Tensor])), ...specs, ax.spec('f32', ['N', 8]));
    const limits = { ...backend.limits, maxStorageBuffersPerShaderStage: 8 };
    const fused = runPasses(graph, limits, { verifyEach: true });
    for (const k of fused.kernels) expect(k.reads + k.writes, k.name).toBeLessThanOrEqual(8);
    const rand = (n: number, scale: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + n) * scale);
    const inputs = [[8, 16], [16], [16], [16], [16, 64], [5, 8]].map((s) => ax.hostTensor('f32', s, rand(s.reduce((a, b) => a * b, 1), 0.5)));
    const expected = evaluate(graph, inputs);
    (await run(fused, inputs)).forEach((t, i) => expectClose(t, expected[i], 1e-4, `gradient ${i}`));
  });

  /** The W2 benchmark's step at a small batch: 784 -> 512 -> 512 -> 10, ReLU, softmax cross-entropy, SGD. */
  const mlpStep = (p: Record<'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3', ax.Tensor>, xs: ax.Tensor, ys: ax.Tensor) => {
    const loss = (q: typeof p) => {
      const h1 = ax.relu(xs.matmul(q.w1).add(q.b1));
      const h2 = ax.relu(h1.matmul(q.w2).add(q.b2));
      return crossEntropy(h2.matmul(q.w3).add(q.b3), ys);
    };
    const [value, g] = ax.valueAndGrad(loss)(p) as [ax.Tensor, typeof p];
    const params = Object.fromEntries(Object.entries(p).map(([k, w]) => [k, w.sub(g[k as keyof typeof p].mul(0.01))]));
    return { loss: value, params };
  };
  const rand = (shape: number[], scale: number, seed: number) =>
    ax.array(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 12.9898 + seed) * scale), shape);
  const initial = () => ({
    w1: rand([784, 512], 0.05, 1), b1: rand([512], 0.01, 2), w2: rand([512, 512], 0.05, 3),
    b2: rand([512], 0.01, 4), w3: rand([512, 10], 0.05, 5), b3: rand([10], 0.01, 6),
  });

  it('run an MLP training step in at most 12 dispatches and one submission, parameters updated in place when donated', async () => {
    const xs = rand([16, 784], 1, 7);
    const ys = ax.array(Int32Array.from({ length: 16 }, (_, i) => i % 10), [16], 'i32');
    const plain = ax.jit(mlpStep, { backend });
    const donating = ax.jit(mlpStep, { backend, donateArgnums: [0] });
    type Params = Record<keyof ReturnType<typeof initial>, DeviceArray>;
    const upload = async (p: ReturnType<typeof initial>): Promise<Params> =>
      Object.fromEntries(await Promise.all(Object.entries(p).map(async ([k, v]) => [k, await ax.devicePut(v)] as const))) as Params;
    let donated = await upload(initial());
    let kept = await upload(initial());
    for (let step = 0; step < 3; step++) {
      const buffers = Object.values(donated).map((a) => a.gpuBuffer());
      resetStats();
      const d = (await donating(donated, xs, ys)) as { loss: DeviceArray; params: Params };
      expect(stats.dispatches).toBeLessThanOrEqual(12);
      expect(stats.submissions).toBe(1);
      // Every parameter's update was written into the buffer it was read from.
      expect(Object.values(d.params).map((a) => a.gpuBuffer())).toEqual(buffers);
      expect(() => donated.w1.gpuBuffer()).toThrow(/donated/);
      const k = (await plain(kept, xs, ys)) as { loss: DeviceArray; params: Params };
      expect((await d.loss.data())[0]).toBe((await k.loss.data())[0]);
      donated = d.params;
      kept = k.params;
    }
    const [dw, kw] = await ax.readAll([donated.w1, kept.w1]);
    expect(Array.from(dw)).toEqual(Array.from(kw));
  });

  it('share temporaries whose lifetimes do not overlap', () => {
    const chain = (v: ax.Tensor) => {
      let t = v;
      for (let i = 0; i < 6; i++) t = ax.softmax(t.matmul(t.T).add(1));
      return t;
    };
    const p = compileProgram(ax.trace(chain, ax.spec('f32', [32, 32])), backend.limits);
    const temps = p.buffers.filter((b) => b.kind === 'temp').length;
    const written = new Set(dispatches(p.steps).flatMap((s) => (s.kind === 'dispatch' ? s.buffers : [])));
    expect(dispatches(p.steps).length).toBeGreaterThan(temps);
    expect(written.size).toBeGreaterThan(0);
  });
});
