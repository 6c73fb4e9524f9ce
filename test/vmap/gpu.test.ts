import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { draw } from './batch-case.ts';

type Tensor = ax.Tensor;

/** Batched programs compiled for WebGPU (fails, never skips, without an adapter). */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const PI = Math.PI;
const dsin = (x: Tensor) => ax.vmap(ax.grad(ax.sin))(x) as Tensor;

describe('SEMANTICS 5.2 / 5.3a in float32 on WebGPU', () => {
  it('vmap(grad(sin))([0, π/4, π/2, 3π/4, π]) = [1, 0.707107, −4.37114e−08, −0.707107, −1]', async () => {
    const f = ax.jit(dsin, { backend });
    const out = await f(hostTensor('f32', [5], [0, PI / 4, PI / 2, (3 * PI) / 4, PI]));
    expect(out.onGpu).toBe(true);
    // SEMANTICS' float32 tolerance, ~1e-6 relative to the vector's scale: the middle entry must
    // be cos(float32(π/2)) = −4.37114e−08 to within ~1e-8, not the float64 value 6e−17.
    const want = [1, 0.707107, -4.37114e-8, -0.707107, -1];
    expect(maxRelError(await out.data(), want)).toBeLessThanOrEqual(1e-6);
    expect(maxRelError(await (await f(hostTensor('f32', [1], [2 * PI]))).data(), [1])).toBeLessThanOrEqual(1e-6);
  });

  it('vmap(grad(sin)) on shape [5,1] is a ShapeError: grad sees [1], not a scalar', async () => {
    const f = ax.jit(dsin, { backend });
    await expect(f(hostTensor('f32', [5, 1], [0, 1, 2, 3, 4]))).rejects.toThrowError(ax.ShapeError);
  });

  it('vmap(grad(λx. sin(x).squeeze())) on [[0],[π/4],[π/2],[3π/4],[π/2]] has shape [5,1]', async () => {
    const f = ax.jit((x: Tensor) => ax.vmap(ax.grad((v: Tensor) => ax.sin(v).squeeze()))(x) as Tensor, { backend });
    const out = await f(hostTensor('f32', [5, 1], [0, PI / 4, PI / 2, (3 * PI) / 4, PI / 2]));
    expect([...out.shape]).toEqual([5, 1]);
    expect(maxRelError(await out.data(), [1, 0.707107, -4.37114e-8, -0.707107, -4.37114e-8])).toBeLessThanOrEqual(1e-6);
  });
});

describe('batched programs on WebGPU against the reference', () => {
  const d = draw(23);

  /** Compiles `fn` for the arguments' types, runs it on WebGPU and compares with the reference. */
  async function compare(fn: (...xs: Tensor[]) => unknown, args: readonly ax.HostTensor[], rtol: number): Promise<void> {
    const graph = ax.trace(fn as never, ...args);
    const want = evaluate(graph, args);
    const out = await (ax.jit(fn as never, { backend }) as unknown as (...xs: ax.HostTensor[]) => Promise<unknown>)(...args);
    const got = (Array.isArray(out) ? out : [out]) as ax.DeviceArray[];
    for (const [k, a] of got.entries()) {
      expect(a.onGpu, `result ${k} on the GPU`).toBe(true);
      expect([...a.shape]).toEqual([...want[k].shape]);
      const err = maxRelError(await a.data(), want[k].data);
      expect(err, `result ${k}: max relative error ${err}`).toBeLessThanOrEqual(rtol);
    }
  }

  it('per-example gradients of an MLP, with a symbolic number of examples (one program for every N)', async () => {
    const loss = (w: Tensor, x: Tensor, y: Tensor) => ax.tanh(ax.matmul(x, w)).sub(y).pow(2).sum();
    const perExample = (w: Tensor, x: Tensor, y: Tensor) => ax.vmap(ax.grad(loss), [null, 0, 0])(w, x, y) as Tensor;
    const specs = [ax.spec('f32', [3, 4]), ax.spec('f32', ['N', 3]), ax.spec('f32', ['N', 4])];
    const graph = ax.trace(perExample, ...specs);
    const jitted = ax.jit(perExample, { backend, specs });
    // Unsaturated tanh: near ±1, 1 − tanh² loses its digits in f32.
    const w = d.f32([3, 4], -0.5, 0.5);
    for (const n of [2, 67]) {
      const args = [w, d.f32([n, 3], -1, 1), d.f32([n, 4])];
      const want = evaluate(graph, args)[0];
      const got = await jitted(...(args as [never, never, never]));
      expect([...got.shape]).toEqual([n, 3, 4]);
      expect(maxRelError(await got.data(), want.data)).toBeLessThanOrEqual(1e-4);
    }
    expect(jitted.compileCount).toBe(1);
  });

  it('take with per-example tables and indices (both batched), for a known and a symbolic batch', async () => {
    const pick = (t: Tensor, i: Tensor) => ax.vmap((t: Tensor, i: Tensor) => ax.take(t, i, 1))(t, i) as Tensor;
    const tables = d.f32([6, 3, 5]);
    const idx = d.int('i32', [6, 4], -2, 7);
    await compare(pick, [tables, idx], 0);
    const specs = [ax.spec('f32', ['N', 3, 5]), ax.spec('i32', ['N', 4])];
    const graph = ax.trace(pick, ...specs);
    const got = await ax.jit(pick, { backend, specs })(tables, idx);
    expect(maxRelError(await got.data(), evaluate(graph, [tables, idx])[0].data)).toBe(0);
  });

  it('random bits with one key per example match the reference bit for bit', async () => {
    const keys = d.int('u32', [5, 2], 0, 0xffffffff);
    await compare((k: Tensor) => ax.vmap((k: Tensor) => ax.random.bits(k, [3, 7]))(k), [keys], 0);
  });

  it('a relaxation loop whose shared initial state becomes batched', async () => {
    const relax = (x: Tensor, w: Tensor) => ax.loop(8, (s: Tensor) => ax.tanh(ax.matmul(s, w).add(x)), ax.zeros([4]));
    await compare((x: Tensor, w: Tensor) => ax.vmap(relax, [0, null])(x, w), [d.f32([9, 4]), d.f32([4, 4], -0.5, 0.5)], 1e-5);
  });
});
