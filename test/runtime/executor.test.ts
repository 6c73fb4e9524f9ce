import { beforeAll, describe, expect, it } from 'vitest';
import { fillTensor, hostTensor } from '../../src/ir/index.ts';
import { DeviceArray, Executable, resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { buffer, copy, dispatch, mapKernel, program, size, unaryF32, WORKGROUP } from './programs.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

const f32 = (xs: ArrayLike<number>) => Array.from(xs, Math.fround);

/** y = x * 2 + 1 over x: f32[N,3] (count N*3 from the sizes uniform). */
const affine = program({
  dims: ['N'],
  buffers: [buffer(0, 'f32', ['N', 3], 'input'), buffer(1, 'f32', ['N', 3], 'temp')],
  kernels: [
    mapKernel({
      name: 'affine',
      dims: ['N'],
      reads: [{ name: 'x', dtype: 'f32' }],
      writes: [{ name: 'y', dtype: 'f32' }],
      count: 'sizes.N * 3u',
      body: 'y[i] = x[i] * 2.0 + 1.0;',
      dispatch: size(3, ['N'], WORKGROUP),
    }),
  ],
  steps: [dispatch(0, [0, 1])],
  inputs: [0],
  outputs: [1],
});

describe('Executable.run', () => {
  it('runs a map kernel for several bindings of a symbolic dim', async () => {
    const exe = await Executable.create(gpu, affine);
    for (const n of [1, 5, 100, 0]) {
      const x = fillTensor('f32', [n, 3], (i) => i * 0.25 - 7);
      const [y] = exe.run([x]);
      expect(y.shape).toEqual([n, 3]);
      expect(y.dtype).toBe('f32');
      expect(Array.from(await y.data())).toEqual(f32(Array.from(x.data, (v) => v * 2 + 1)));
    }
  });

  it('submits once per run, uploads host arguments and takes device arrays without copying', async () => {
    const exe = await Executable.create(gpu, affine);
    const x = DeviceArray.fromHost(gpu, 'f32', [4, 3], Array.from({ length: 12 }, (_, i) => i));
    resetStats();
    const [y] = exe.run([x]);
    expect(stats).toMatchObject({ submissions: 1, dispatches: 1, uploads: 0 });
    exe.run([hostTensor('f32', [4, 3], new Array(12).fill(1))]);
    expect(stats).toMatchObject({ submissions: 2, dispatches: 2, uploads: 1 });
    expect(Array.from(await y.data())).toEqual(Array.from({ length: 12 }, (_, i) => i * 2 + 1));
  });

  it('keeps results of earlier calls valid', async () => {
    const exe = await Executable.create(gpu, affine);
    const [a] = exe.run([hostTensor('f32', [2, 3], [1, 2, 3, 4, 5, 6])]);
    const [b] = exe.run([hostTensor('f32', [2, 3], [0, 0, 0, 0, 0, 0])]);
    expect(Array.from(await a.data())).toEqual([3, 5, 7, 9, 11, 13]);
    expect(Array.from(await b.data())).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('reuses temps and pipelines: a repeated call allocates only what the previous outputs freed', async () => {
    const p = program({
      ...affine,
      buffers: [...affine.buffers, buffer(2, 'f32', ['N', 3], 'temp')],
      kernels: [affine.kernels[0]],
      steps: [dispatch(0, [0, 2]), dispatch(0, [2, 1])],
    });
    const exe = await Executable.create(gpu, p);
    const x = DeviceArray.fromHost(gpu, 'f32', [8, 3], new Array(24).fill(1));
    const [warm] = exe.run([x]);
    await warm.data(); // the staging buffer is pooled too
    warm.dispose();
    resetStats();
    for (let step = 0; step < 5; step++) {
      const [y] = exe.run([x]);
      expect(Array.from(await y.data())).toEqual(new Array(24).fill(7)); // (1*2+1)*2+1
      y.dispose();
    }
    expect(stats.buffersCreated).toBe(0);
    // The disposed output's buffer comes back from the pool, so even its bind group is reused.
    expect(stats.bindGroupsCreated).toBe(0);
    const again = await Executable.create(gpu, p);
    expect(stats.pipelinesCreated).toBe(0);
    again.dispose();
  });

  it('writes two outputs from one kernel', async () => {
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp'), buffer(2, 'i32', ['N'], 'temp')],
        kernels: [
          mapKernel({
            name: 'split',
            dims: ['N'],
            reads: [{ name: 'x', dtype: 'f32' }],
            writes: [
              { name: 'sq', dtype: 'f32' },
              { name: 'fl', dtype: 'i32' },
            ],
            count: 'sizes.N',
            body: 'sq[i] = x[i] * x[i]; fl[i] = i32(floor(x[i]));',
            dispatch: size(1, ['N'], WORKGROUP),
          }),
        ],
        steps: [dispatch(0, [0, 1, 2])],
        inputs: [0],
        outputs: [1, 2],
      }),
    );
    const xs = [-2.5, -0.5, 0, 1.5, 3.25, 7];
    const [sq, fl] = exe.run([hostTensor('f32', [6], xs)]);
    expect(Array.from(await sq.data())).toEqual(f32(xs.map((v) => v * v)));
    expect(fl.dtype).toBe('i32');
    expect(Array.from(await fl.data())).toEqual(xs.map(Math.floor));
  });

  it('copies between buffers and reads constants', async () => {
    const c = [10, 20, 30, 40];
    const exe = await Executable.create(
      gpu,
      program({
        dims: [],
        buffers: [
          buffer(0, 'f32', [4], 'input'),
          buffer(1, 'f32', [4], 'const', c),
          buffer(2, 'f32', [4], 'temp'),
          buffer(3, 'f32', [4], 'temp'),
        ],
        kernels: [
          mapKernel({
            name: 'add_const',
            dims: [],
            reads: [
              { name: 'x', dtype: 'f32' },
              { name: 'c', dtype: 'f32' },
            ],
            writes: [{ name: 'y', dtype: 'f32' }],
            count: '4u',
            body: 'y[i] = x[i] + c[i];',
            dispatch: size(1),
          }),
        ],
        steps: [dispatch(0, [0, 1, 2]), copy(2, 3), dispatch(0, [3, 1, 2])],
        inputs: [0],
        outputs: [3, 2, 1],
      }),
    );
    const [copied, twice, constant] = exe.run([hostTensor('f32', [4], [1, 2, 3, 4])]);
    expect(Array.from(await copied.data())).toEqual([11, 22, 33, 44]);
    expect(Array.from(await twice.data())).toEqual([21, 42, 63, 84]);
    expect(Array.from(await constant.data())).toEqual(c);
  });

  it('returns an input, a constant or a repeated output as separate arrays', async () => {
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
        kernels: [unaryF32('neg', '-v')],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1, 0, 1],
      }),
    );
    const x = DeviceArray.fromHost(gpu, 'f32', [3], [1, -2, 3]);
    const [y, same, y2] = exe.run([x]);
    expect(same.gpuBuffer()).not.toBe(x.gpuBuffer());
    expect(y2.gpuBuffer()).not.toBe(y.gpuBuffer());
    x.dispose();
    y.dispose();
    expect(Array.from(await same.data())).toEqual([1, -2, 3]);
    expect(Array.from(await y2.data())).toEqual([-1, 2, -3]);
  });

  it('folds a linear dispatch past 65535 workgroups into two dimensions', async () => {
    const workgroups = 70_000;
    const n = workgroups * WORKGROUP - 5;
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'u32', ['N'], 'input'), buffer(1, 'u32', ['N'], 'temp')],
        kernels: [
          mapKernel({
            name: 'index_fill',
            dims: ['N'],
            reads: [{ name: 'x', dtype: 'u32' }],
            writes: [{ name: 'y', dtype: 'u32' }],
            count: 'sizes.N',
            body: 'y[i] = x[i] + i * 3u;',
            dispatch: size(1, ['N'], WORKGROUP),
          }),
        ],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1],
      }),
    );
    expect(workgroups).toBeGreaterThan(gpu.limits.maxComputeWorkgroupsPerDimension);
    const x = DeviceArray.fromHost(gpu, 'u32', [n], new Uint32Array(n).fill(7));
    const y = await exe.run([x])[0].data();
    let wrong = 0;
    for (let i = 0; i < n; i++) if (y[i] !== 7 + i * 3) wrong++;
    expect(wrong).toBe(0);
  });

  it('runs a grid dispatch (a transpose over 8x8 workgroups)', async () => {
    const wgsl = `
struct Sizes { R: u32, C: u32 }
@group(0) @binding(0) var<uniform> sizes: Sizes;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> t: array<f32>;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= sizes.C || g.y >= sizes.R) { return; }
  t[g.x * sizes.R + g.y] = a[g.y * sizes.C + g.x];
}`;
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['R', 'C'],
        buffers: [buffer(0, 'f32', ['R', 'C'], 'input'), buffer(1, 'f32', ['C', 'R'], 'temp')],
        kernels: [
          {
            name: 'transpose',
            wgsl,
            entryPoint: 'main',
            reads: 1,
            writes: 1,
            dispatch: { kind: 'grid', x: size(1, ['C'], 8), y: size(1, ['R'], 8), z: size(1) },
            plan: 'transpose',
          },
        ],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1],
      }),
    );
    const [r, c] = [13, 21];
    const a = fillTensor('f32', [r, c], (i) => i);
    const [t] = exe.run([a]);
    expect(t.shape).toEqual([c, r]);
    const expected = Array.from({ length: r * c }, (_, k) => Math.floor(k / r) + (k % r) * c);
    expect(Array.from(await t.data())).toEqual(expected);
  });
});
