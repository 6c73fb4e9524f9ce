import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { coerce, hostTensor, InputError, type DType } from '../../src/ir/index.ts';
import { DeviceArray, readAll, resetStats, stats, type Backend, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

const cpu: Backend = { kind: 'cpu', reason: 'test' };

/** Values that probe each dtype's edges, and what a store of them into the dtype keeps. */
const cases: Record<DType, { values: number[]; arrayType: Function; expected: (v: number) => number }> = {
  f32: { values: [0.1, -2.5, 1e30, -0, Infinity, NaN, 3], arrayType: Float32Array, expected: Math.fround },
  i32: { values: [-2147483648, -1, 0, 7, 2147483647, 2.7, -2.7], arrayType: Int32Array, expected: (v) => coerce('i32', v) },
  u32: { values: [0, 1, 4294967295, 2147483648, -1, 5.9], arrayType: Uint32Array, expected: (v) => coerce('u32', v) },
  bool: { values: [0, 1, 2, -1, 0.5, NaN, 0], arrayType: Uint8Array, expected: (v) => coerce('bool', v) },
};

describe('DeviceArray', () => {
  for (const [dtype, c] of Object.entries(cases) as [DType, (typeof cases)[DType]][]) {
    it(`round-trips ${dtype} through the GPU and the CPU backend`, async () => {
      for (const backend of [gpu, cpu]) {
        const a = DeviceArray.fromHost(backend, dtype, [c.values.length], c.values);
        expect(a.onGpu).toBe(backend === gpu);
        const data = await a.data();
        expect(data).toBeInstanceOf(c.arrayType);
        expect(Array.from(data)).toEqual(c.values.map(c.expected));
        const t = await a.toHostTensor();
        expect(t.dtype).toBe(dtype);
        expect(t.shape).toEqual([c.values.length]);
        expect(Array.from(t.data)).toEqual(c.values.map(c.expected));
      }
    });
  }

  it('uploads a host tensor with its shape', async () => {
    const t = hostTensor('i32', [2, 3], [1, -2, 3, -4, 5, -6]);
    const a = DeviceArray.fromHostTensor(gpu, t);
    expect(a.shape).toEqual([2, 3]);
    expect(a.size).toBe(6);
    expect(Array.from(await a.data())).toEqual([1, -2, 3, -4, 5, -6]);
  });

  it('holds zero-element arrays and reads them without a submission', async () => {
    const a = DeviceArray.fromHost(gpu, 'f32', [0, 3], []);
    expect(a.gpuBuffer().size).toBeGreaterThanOrEqual(16);
    resetStats();
    expect(Array.from(await a.data())).toEqual([]);
    expect(stats.submissions).toBe(0);
  });

  it('checks the data length and the shape', () => {
    expect(() => DeviceArray.fromHost(gpu, 'f32', [2, 2], [1, 2, 3])).toThrow(InputError);
    expect(() => DeviceArray.fromHost(gpu, 'f32', [2, 2], [1, 2, 3])).toThrow(/4 elements for f32\[2,2\], got 3 elements/);
    expect(() => DeviceArray.fromHost(gpu, 'f32', [-1], [])).toThrow(InputError);
    expect(() => DeviceArray.fromHost(gpu, 'f32', [1.5], [])).toThrow(InputError);
  });

  it('reads several arrays with one submission', async () => {
    const arrays = [
      DeviceArray.fromHost(gpu, 'f32', [3], [1.5, 2.5, 3.5]),
      DeviceArray.fromHost(gpu, 'i32', [2], [-7, 8]),
      DeviceArray.fromHost(gpu, 'bool', [2], [1, 0]),
      DeviceArray.fromHost(cpu, 'u32', [1], [9]),
      DeviceArray.fromHost(gpu, 'u32', [0], []),
    ];
    resetStats();
    const data = await readAll(arrays);
    expect(stats).toMatchObject({ submissions: 1, readbacks: 1 });
    expect(data.map((d) => Array.from(d))).toEqual([[1.5, 2.5, 3.5], [-7, 8], [1, 0], [9], []]);
    expect(data[2]).toBeInstanceOf(Uint8Array);
  });

  it('returns its buffer to the pool on dispose and refuses use afterwards', async () => {
    const a = DeviceArray.fromHost(gpu, 'f32', [100], new Float32Array(100));
    const buffer = a.gpuBuffer();
    a.dispose();
    a.dispose();
    expect(a.disposed).toBe(true);
    await expect(a.data()).rejects.toThrow(/used after dispose/);
    expect(() => a.gpuBuffer()).toThrow(/used after dispose/);
    resetStats();
    const b = DeviceArray.fromHost(gpu, 'f32', [100], new Float32Array(100).fill(2));
    expect(stats.buffersCreated).toBe(0);
    expect(b.gpuBuffer()).toBe(buffer);
    expect((await b.data())[99]).toBe(2);
  });

  it('gives the buffers of collected arrays back to the pool', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/runtime/fixtures/gc-probe.ts'], {
      cwd: root,
      env: { ...process.env, AXONIC_BACKEND: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, r.stderr).toBeDefined();
    const { reclaimed, expected } = JSON.parse(line!);
    expect(reclaimed).toBe(expected);
  });
});
