import { beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { CpuBackend, GpuBackend } from '../../runtime/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/** zephyr's parameters declared by use, created by trace (SEMANTICS 2.1, 2.7 a–e, k). */
const { _, nets, trace, validate, chain, skip, threadKey } = ax.zephyr;
type Params = ax.zephyr.Params;
const cpu: CpuBackend = { kind: 'cpu', reason: 'reference interpreter (test)' };

const shapes = (tree: ax.zephyr.Params) => ax.treeMap((t: ax.HostTensor) => [...t.shape], tree as never);
const host = (t: unknown) => t as ax.HostTensor;
/** Runs `fn` on the reference interpreter and reads its single result. */
const jitted = (fn: unknown, backend: ax.Backend) => ax.jit(fn as never, { backend }) as unknown as (...args: unknown[]) => Promise<any>;
const onReference = async (fn: (...xs: any[]) => ax.Tensor, ...args: unknown[]) =>
  (await ax.readAll([(await jitted(fn, cpu)(...args)) as ax.DeviceArray]))[0];

describe('trace creates parameters from their declared use (SEMANTICS 2.7 a, d)', () => {
  test('linear(_, _, 256) on [8, 16]: weights [16, 256] in (−0.5, 0.5), bias [256] of zeros, output [8, 256]', async () => {
    const layer = nets.linear(_, _, 256);
    const params = trace(layer, ax.random.key(0), ax.spec('f32', [8, 16]));
    expect(Object.keys(params)).toEqual(['weights', 'bias']);
    expect(shapes(params)).toEqual({ weights: [16, 256], bias: [256] });
    const w = Array.from(host(params.weights).data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(0.5);
    // A truncated normal scaled by 1/√16: std 0.879626/4 = 0.2199 (4096 draws, so within 5%).
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.2199 * 0.95);
    expect(std).toBeLessThan(0.2199 * 1.05);
    expect(Array.from(host(params.bias).data).every((v) => v === 0)).toBe(true);
    const y = ax.trace((p: Params, x: ax.Tensor) => layer(p, x), params as never, ax.spec('f32', [8, 16]));
    expect([...y.outputs[0].type.shape]).toEqual([8, 256]);
  });

  test('an unbatched [8] gives [256]; [8, 16, 32] with 4 outputs gives [8, 16, 4] from weights [32, 4]', () => {
    const p1 = trace(nets.linear(_, _, 256), ax.random.key(1), ax.spec('f32', [8]));
    expect(shapes(p1)).toEqual({ weights: [8, 256], bias: [256] });
    expect([...ax.trace((p: Params, x: ax.Tensor) => nets.linear(p, x, 256), p1 as never, ax.spec('f32', [8])).outputs[0].type.shape]).toEqual([256]);
    const p3 = trace(nets.linear(_, _, 4), ax.random.key(1), ax.spec('f32', [8, 16, 32]));
    expect(shapes(p3)).toEqual({ weights: [32, 4], bias: [4] });
    const out = ax.trace((p: Params, x: ax.Tensor) => nets.linear(p, x, 4), p3 as never, ax.spec('f32', [8, 16, 32]));
    expect([...out.outputs[0].type.shape]).toEqual([8, 16, 4]);
  });

  test('mlp(_, _, [256, 512]) on [16, 32]: {0: {[32,256],[256]}, 1: {[256,512],[512]}}, output [16, 512]', () => {
    const model = nets.mlp(_, _, [256, 512]);
    const params = trace(model, ax.random.key(2), ax.spec('f32', [16, 32]));
    expect(shapes(params)).toEqual({ 0: { weights: [32, 256], bias: [256] }, 1: { weights: [256, 512], bias: [512] } });
    expect([...ax.trace((p: Params, x: ax.Tensor) => model(p, x), params as never, ax.spec('f32', [16, 32])).outputs[0].type.shape]).toEqual([16, 512]);
  });

  test('each parameter gets its own subkey: same key, same parameters; another key, others', () => {
    const a = trace(nets.mlp(_, _, [4, 4]), ax.random.key(3), ax.spec('f32', [2, 4]));
    const b = trace(nets.mlp(_, _, [4, 4]), ax.random.key(3), ax.spec('f32', [2, 4]));
    const c = trace(nets.mlp(_, _, [4, 4]), ax.random.key(4), ax.spec('f32', [2, 4]));
    expect(Array.from(host(a[0].weights).data)).toEqual(Array.from(host(b[0].weights).data));
    expect(Array.from(host(a[0].weights).data)).not.toEqual(Array.from(host(a[1].weights).data));
    expect(Array.from(host(a[0].weights).data)).not.toEqual(Array.from(host(c[0].weights).data));
  });

  test('a symbolic batch dim is fine: parameters depend only on the feature axis', () => {
    const params = trace(nets.linear(_, _, 3), ax.random.key(0), ax.spec('f32', ['N', 5]));
    expect(shapes(params)).toEqual({ weights: [5, 3], bias: [3] });
  });
});

describe('the nets compute what SEMANTICS 2.7 b, c, e give', () => {
  test('linear: W = [[1,0,−1],[2,1,0]], b = [0.5,0,−0.5], x = [[1,2]] → [[5.5, 2, −1.5]]', async () => {
    const params = { weights: ax.array([[1, 0, -1], [2, 1, 0]]), bias: ax.array([0.5, 0, -0.5]) };
    const y = await onReference((p: Params, x: ax.Tensor) => nets.linear(p, x, 3), params, ax.array([[1, 2]]));
    expect(Array.from(y)).toEqual([5.5, 2, -1.5]);
  });

  test('branchLinear: x = [1, 2], k = 2, W = [[1,0,0,1],[0,1,1,0]], b = 0 → [[1,2],[2,1]]; traced shapes', async () => {
    const params = { weights: ax.array([[1, 0, 0, 1], [0, 1, 1, 0]]), bias: ax.array([0, 0, 0, 0]) };
    const y = await onReference((p: Params, x: ax.Tensor) => nets.branchLinear(p, x, 2), params, ax.array([1, 2]));
    expect(Array.from(y)).toEqual([1, 2, 2, 1]);
    const shapeOf = (shape: number[], k: number) => {
      const p = trace(nets.branchLinear(_, _, k), ax.random.key(0), ax.spec('f32', shape));
      return [...ax.trace((q: Params, x: ax.Tensor) => nets.branchLinear(q, x, k), p as never, ax.spec('f32', shape)).outputs[0].type.shape];
    };
    expect(shapeOf([16, 32], 8)).toEqual([16, 8, 32]);
    expect(shapeOf([4, 16, 8], 32)).toEqual([4, 16, 32, 8]);
  });

  test('layerNorm of [1,2,3,4] (unit scale, zero offset) and of a constant row', async () => {
    const model = nets.layerNorm(_, _, -1);
    const params = trace(model, ax.random.key(0), ax.spec('f32', [1, 4]));
    expect(shapes(params)).toEqual({ scale: [1, 4], offset: [1, 4] });
    const y = await onReference((p: Params, x: ax.Tensor) => model(p, x), params, ax.array([[1, 2, 3, 4], [5, 5, 5, 5]]));
    expect(maxRelError(y.subarray(0, 4), [-1.34164, -0.447214, 0.447214, 1.34164])).toBeLessThan(1e-5);
    expect(Array.from(y.subarray(4))).toEqual([0, 0, 0, 0]);
  });
});

describe('composition (SEMANTICS 2.7 k)', () => {
  test('skip(λx. 2x)(3) = 9; chain([λx. x + 1, λx. 2x])(3) = 8', () => {
    expect(skip((x: number) => 2 * x)(3)).toBe(9);
    expect(chain([(x: number) => x + 1, (x: number) => 2 * x])(3)).toBe(8);
  });

  test('threadKey([f, g, h], k): f ← split(k)[1], g ← split(split(k)[0])[1], h ← split(split(k)[0])[0]', async () => {
    const keys = await onReference((k: ax.Tensor) => {
      const id = (key: ax.Tensor) => key;
      const [f, g, h] = threadKey([id, id, id] as const, k);
      const [k0, k1] = ax.random.split(k);
      const [k00, k01] = ax.random.split(k0);
      return ax.stack([f(), g(), h(), k1, k01, k00]);
    }, ax.random.key(7));
    const rows = Array.from({ length: 6 }, (_, i) => Array.from(keys.subarray(2 * i, 2 * i + 2)));
    expect(rows.slice(0, 3)).toEqual(rows.slice(3));
  });
});

describe('bad declarations are typed errors', () => {
  test('two uses of one parameter with conflicting shapes name both call sites', () => {
    const model = (params: Params, x: ax.Tensor) => {
      const h = ax.matmul(x, validate(params.w, [4, 3]));
      return ax.matmul(h, validate(params.w, [3, 4]));
    };
    let error: unknown;
    try {
      trace(model, ax.random.key(0), ax.spec('f32', [2, 4]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ax.zephyr.ParameterShapeError);
    expect(error).toBeInstanceOf(ax.ShapeError);
    const message = (error as Error).message;
    expect(message).toMatch(/params\.w is declared as \[4,3\] at .*trace\.test\.ts:\d+:\d+ and as \[3,4\] at .*trace\.test\.ts:\d+:\d+/);
    const [first, second] = [...message.matchAll(/trace\.test\.ts:(\d+):\d+/g)].map((m) => Number(m[1]));
    expect(second).toBe(first + 1);
  });

  test('real parameters of the wrong shape are a ShapeError naming both shapes', () => {
    const params = { weights: ax.array([[1, 2, 3]]), bias: ax.array([0, 0, 0]) };
    expect(() => ax.trace((p: Params, x: ax.Tensor) => nets.linear(p, x, 3), params as never, ax.spec('f32', [1, 2]))).toThrow(
      /f32\[1,3\].*\[2,3\]/,
    );
  });

  test('a missing parameter says the key is missing', () => {
    expect(() => ax.trace((p: Params, x: ax.Tensor) => nets.linear(p, x, 3), { weights: ax.array([[1, 2, 3]]) } as never, ax.spec('f32', [1, 1]))).toThrow(
      /undefined \(is the key missing from params\?\)/,
    );
  });
});

describe('a zephyr MLP trains on WebGPU', () => {
  let backend: GpuBackend;
  beforeAll(async () => {
    backend = await gpuBackend();
  });

  test('mlp [32, 1] (tanh) fits sin on [−2, 2]: 200 SGD steps in one loop cut the loss 10×, as the reference does', async () => {
    const model = nets.mlp(_, _, [32, 1], { activation: ax.tanh });
    const x = ax.array(Array.from({ length: 64 }, (_, i) => [-2 + (4 * i) / 63]));
    const y = ax.array(Array.from({ length: 64 }, (_, i) => [Math.sin(-2 + (4 * i) / 63)]));
    const params = trace(model, ax.random.key(0), x);
    const loss = (p: Params, xs: ax.Tensor, ys: ax.Tensor) => ax.mean(ax.square(ax.subtract(model(p, xs), ys)));
    const train = (p: Params, xs: ax.Tensor, ys: ax.Tensor) => {
      const trained = ax.loop(200, (q: Params) => ax.treeMap((w: ax.Tensor, g: ax.Tensor) => w.sub(g.mul(0.1)), q, ax.grad(loss)(q, xs, ys) as never) as Params, p);
      return { before: loss(p, xs, ys), after: loss(trained, xs, ys) };
    };
    const gpu = await jitted(train, backend)(params, x, y) as { before: ax.DeviceArray; after: ax.DeviceArray };
    expect(gpu.after.onGpu).toBe(true);
    const [before, after] = await ax.readAll([gpu.before, gpu.after]);
    const ref = await jitted(train, cpu)(params, x, y) as { before: ax.DeviceArray; after: ax.DeviceArray };
    const [refBefore, refAfter] = await ax.readAll([ref.before, ref.after]);
    console.log(`zephyr mlp on ${ax.describeBackend(backend)}: loss ${before[0].toFixed(5)} -> ${after[0].toFixed(5)} (reference ${refAfter[0].toFixed(5)})`);
    expect(after[0]).toBeLessThan(before[0] / 10);
    expect(Math.abs(before[0] - refBefore[0]) / refBefore[0]).toBeLessThan(1e-5);
    expect(Math.abs(after[0] - refAfter[0]) / refAfter[0]).toBeLessThan(1e-3);
  });
});
