import { beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { randomTensor } from './helpers.ts';

/** jit on WebGPU. Fails (never skips) when no adapter exists. */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const values = async (a: unknown) => Array.from(await (a as ax.DeviceArray).data());

describe('jit on WebGPU', () => {
  test('tutorial numbers: sin(2π) = 1.7484555e-07 in f32, cos(1²) = 0.540302', async () => {
    const sin = ax.jit(ax.sin, { backend });
    const [s] = await values(await sin(ax.array(new Float32Array([2 * Math.PI]), [1])));
    expect(Math.abs(s - 1.7484555e-7)).toBeLessThan(1e-12);
    const cosSq = ax.jit((x: ax.Tensor) => ax.cos(x.pow(2)), { backend });
    const [c] = await values(await cosSq(ax.array(new Float32Array([1]), [])));
    expect(c).toBeCloseTo(0.540302, 6);
  });

  test('results live on the GPU and match the reference interpreter', async () => {
    const f = (w: ax.Tensor, x: ax.Tensor) => ({ h: ax.nn.softmax(ax.tanh(ax.matmul(x, w))), total: ax.logsumexp(x, 1) });
    const w = randomTensor(81, [6, 5]);
    const x = randomTensor(82, [4, 6], -3, 3);
    const out = (await ax.jit(f, { backend })(w, x)) as { h: ax.DeviceArray; total: ax.DeviceArray };
    expect(out.h.onGpu).toBe(true);
    const [h, total] = evaluate(ax.trace(f, w, x), [w, x]);
    expect(maxRelError(await out.h.data(), h.data)).toBeLessThan(1e-5);
    expect(maxRelError(await out.total.data(), total.data)).toBeLessThan(1e-5);
  });

  test('with specs, one compiled program serves every N', async () => {
    const f = ax.jit((w: ax.Tensor, x: ax.Tensor) => ax.tanh(ax.matmul(x, w)).sum(), {
      backend,
      specs: [ax.spec('f32', [8, 3]), ax.spec('f32', ['N', 8])],
    });
    const g = ax.trace((w: ax.Tensor, x: ax.Tensor) => ax.tanh(ax.matmul(x, w)).sum(), ax.spec('f32', [8, 3]), ax.spec('f32', ['N', 8]));
    const w = ax.array(new Float32Array(randomTensor(83, [8, 3]).data), [8, 3]);
    for (const n of [1, 5, 300]) {
      const x = randomTensor(n + 100, [n, 8]);
      const [got] = await values(await f(w, ax.array(new Float32Array(x.data), [n, 8])));
      const [expected] = evaluate(g, [randomTensor(83, [8, 3]), x]);
      expect(maxRelError([got], expected.data)).toBeLessThan(1e-5);
    }
    expect(f.traceCount).toBe(1);
    expect(f.compileCount).toBe(1);
  });

  test('a new shape without specs retraces and recompiles; the same shape reuses', async () => {
    const f = ax.jit((x: ax.Tensor) => x.mul(x), { backend });
    await f(ax.array([1, 2]));
    await f(ax.array([3, 4]));
    expect([f.traceCount, f.compileCount]).toEqual([1, 1]);
    expect(await values(await f(ax.array([1, 2, 3])))).toEqual([1, 4, 9]);
    expect([f.traceCount, f.compileCount]).toEqual([2, 2]);
  });

  test('outputs of one call feed the next without leaving the GPU', async () => {
    const step = ax.jit((theta: ax.Tensor) => theta.sub(theta.mul(0.5)), { backend });
    let theta = (await step(ax.array([8, -4]))) as ax.DeviceArray;
    for (let i = 0; i < 3; i++) theta = (await step(theta)) as ax.DeviceArray;
    expect(await values(theta)).toEqual([0.5, -0.25]);
  });

  test('random draws agree with the reference bit for bit', async () => {
    const draw = (k: ax.Tensor) => [ax.random.bits(k, [3, 70]), ax.random.uniform(k, [3, 70])];
    const key = ax.random.key(1234);
    const [bits, uniform] = (await ax.jit(draw, { backend })(key)) as ax.DeviceArray[];
    const [rb, ru] = evaluate(ax.trace(draw, key), [key]);
    expect(await values(bits)).toEqual(Array.from(rb.data));
    expect(await values(uniform)).toEqual(Array.from(ru.data));
  });

  test('devicePut uploads once; a GPU array can be an argument but not a captured constant', async () => {
    const w = await ax.devicePut(ax.array([1, 2, 3]));
    expect(w.onGpu).toBe(true);
    expect(await values(await ax.jit((a: ax.Tensor, b: ax.Tensor) => a.mul(b), { backend })(w, w))).toEqual([1, 4, 9]);
    const captured = ax.jit((a: ax.Tensor) => a.add(w), { backend });
    await expect(captured(ax.array([1, 1, 1]))).rejects.toThrow(/lives in a GPU buffer and cannot be embedded .* pass it to the jit function as an argument/);
  });
});
