import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { CpuBackend } from '../../runtime/device.ts';
import { at, randomTensor } from './helpers.ts';

/** These tests pin the CPU reference backend; jit-gpu.test.ts runs the same paths on WebGPU. */
const backend: CpuBackend = { kind: 'cpu', reason: 'jit-cpu tests' };
const values = async (a: unknown) => Array.from(await (a as ax.DeviceArray).data());

describe('jit on the CPU reference backend', () => {
  test('results are DeviceArrays in the structure the function returns', async () => {
    const f = ax.jit((x: ax.Tensor, p: { a: ax.Tensor; b: ax.Tensor[] }) => ({ y: x.mul(p.a), z: [p.b[0].add(p.b[1]), x.sum()] }), { backend });
    const out = (await f(ax.array([1, 2, 3]), { a: ax.array(2), b: [ax.array([1, 1, 1]), ax.array([0, 1, 2])] })) as {
      y: ax.DeviceArray;
      z: ax.DeviceArray[];
    };
    expect(out.y).toBeInstanceOf(ax.DeviceArray);
    expect(await values(out.y)).toEqual([2, 4, 6]);
    expect(await values(out.z[0])).toEqual([1, 2, 3]);
    expect(await values(out.z[1])).toEqual([6]);
  });

  test('argument and result types follow the traced function (no casts needed)', async () => {
    const f = (w: ax.Tensor, x: ax.Tensor) => ax.tanh(ax.matmul(x, w)).sum();
    const fj = ax.jit(f, { backend });
    const y = await fj(ax.array(new Float32Array([1, 2]), [2, 1]), ax.array(new Float32Array([0.5, 0.25]), [1, 2]));
    expect(Array.from(await y.data())[0]).toBeCloseTo(Math.tanh(1), 6);
    const g = ax.jit((p: { w: ax.Tensor[] }) => ({ first: p.w[0], n: 2 }), { backend });
    const out = await g({ w: [ax.array([1]), 3] });
    expect(await values(out.first)).toEqual([1]);
    expect(await values(out.n)).toEqual([2]);
  });

  test('same signature traces once; a new shape, dtype or structure retraces', async () => {
    let calls = 0;
    const f = ax.jit((x: ax.Tensor) => {
      calls++;
      return x.mul(2);
    }, { backend });
    await f(ax.array([1, 2]));
    await f(ax.array([5, 6]));
    expect(f.traceCount).toBe(1);
    await f(ax.array([1, 2, 3]));
    expect(f.traceCount).toBe(2);
    await f(ax.array(new Int32Array([1, 2])));
    expect(f.traceCount).toBe(3);
    await f(ax.array([7, 8]));
    expect(f.traceCount).toBe(3);
    expect(calls).toBe(3);
  });

  test('JS numbers are f32 scalar arguments: new values do not retrace', async () => {
    const f = ax.jit((x: ax.Tensor, lr: ax.Tensor) => x.sub(x.mul(lr)), { backend });
    expect(await values(await f(ax.array([10, 20]), 0.5))).toEqual([5, 10]);
    expect(await values(await f(ax.array([10, 20]), 1))).toEqual([0, 0]);
    expect(f.traceCount).toBe(1);
    const g = ax.jit((n: ax.Tensor) => n, { backend });
    expect((await g(3)) as ax.DeviceArray).toMatchObject({ dtype: 'f32', shape: [] });
  });

  test('with specs, one trace serves every N', async () => {
    const f = ax.jit((w: ax.Tensor, x: ax.Tensor) => ax.matmul(x, w).sum(1), {
      backend,
      specs: [ax.spec('f32', [2, 3]), ax.spec('f32', ['N', 2])],
    });
    const w = randomTensor(71, [2, 3]);
    for (const n of [1, 4, 7]) {
      const x = randomTensor(n, [n, 2]);
      const got = await values(await f(w, x));
      const expected = Array.from({ length: n }, (_, i) => [0, 1, 2].reduce((s, j) => s + at(x, [i, 0]) * at(w, [0, j]) + at(x, [i, 1]) * at(w, [1, j]), 0));
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
    expect(f.traceCount).toBe(1);
  });

  test('calls that do not fit the specs are InputErrors naming the argument path and both shapes', async () => {
    const f = ax.jit((params: { layers: { w: ax.Tensor }[] }, x: ax.Tensor) => ax.matmul(x, params.layers[0].w), {
      backend,
      specs: [{ layers: [{ w: ax.spec('f32', [2, 3]) }] }, ax.spec('f32', ['N', 2])],
    });
    const good = { layers: [{ w: ax.array(new Float32Array(6), [2, 3]) }] };
    await expect(f({ layers: [{ w: ax.array(new Float32Array(8), [2, 4]) }] }, ax.array(new Float32Array(2), [1, 2]))).rejects.toThrow(
      /argument params\.layers\[0\]\.w: expected f32\[2,3\], got f32\[2,4\] \(axis 1 must be 3, got 4\)/,
    );
    await expect(f(good, ax.array(new Float32Array(3), [3]))).rejects.toThrow(/argument x: expected f32\[N,2\], got f32\[3\] \(rank 2 expected, got rank 1\)/);
    await expect(f(good, ax.array(new Int32Array(2), [1, 2]))).rejects.toThrow(/argument x: expected f32\[N,2\], got i32\[1,2\]/);
    await expect(f(good, ax.array(new Int32Array(2), [1, 2]))).rejects.toThrow(ax.InputError);
    await expect(f({ layers: [] } as never, ax.array(new Float32Array(2), [1, 2]))).rejects.toThrow(
      /argument params\.layers\[0\]: expected an object with keys w, got nothing \(the specs have 1 entry there\)/,
    );
  });

  test('a symbolic dim must agree across arguments', async () => {
    const f = ax.jit((a: ax.Tensor, b: ax.Tensor) => a.add(b), { backend, specs: [ax.spec('f32', ['N']), ax.spec('f32', ['N'])] });
    await expect(f(ax.array([1, 2]), ax.array([1, 2, 3]))).rejects.toThrow(/argument b: expected f32\[N\], got f32\[3\] \(dimension N is 2 from an earlier argument but 3 here/);
  });

  test('concrete arrays closed over are constants of the program', async () => {
    const table = ax.array([10, 20, 30]);
    const f = ax.jit((x: ax.Tensor) => x.add(table), { backend });
    expect(await values(await f(ax.array([1, 2, 3])))).toEqual([11, 22, 33]);
  });

  test('tutorial: cos(1^2) = 0.540302 and sin(2π) in f32', async () => {
    const cosSq = ax.jit((x: ax.Tensor) => ax.cos(x.pow(2)), { backend });
    expect((await values(await cosSq(ax.array(new Float32Array([1]), []))))[0]).toBeCloseTo(0.540302, 6);
    const sin = ax.jit(ax.sin, { backend });
    // The reference computes in float64 on the f32-rounded input 2π: sin(fl32(2π)) = 1.7484555e-7.
    expect((await values(await sin(ax.array(new Float32Array([2 * Math.PI]), [1]))))[0]).toBeCloseTo(1.7484555e-7, 13);
  });
});
