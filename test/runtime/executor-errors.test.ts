import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceError, InputError, LimitError, VerifyError, fillTensor, hostTensor } from '../../src/ir/index.ts';
import { DeviceArray, Executable, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { buffer, dispatch, mapKernel, program, size, unaryF32, WORKGROUP } from './programs.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

/** y = x + b for x: f32[N,784], b: f32[N,784]. */
const twoInputs = program({
  dims: ['N'],
  buffers: [buffer(0, 'f32', ['N', 784], 'input'), buffer(1, 'f32', ['N', 784], 'input'), buffer(2, 'f32', ['N', 784], 'temp')],
  kernels: [
    mapKernel({
      name: 'add',
      dims: ['N'],
      reads: [
        { name: 'x', dtype: 'f32' },
        { name: 'b', dtype: 'f32' },
      ],
      writes: [{ name: 'y', dtype: 'f32' }],
      count: 'sizes.N * 784u',
      body: 'y[i] = x[i] + b[i];',
      dispatch: size(784, ['N'], WORKGROUP),
    }),
  ],
  steps: [dispatch(0, [0, 1, 2])],
  inputs: [0, 1],
  outputs: [2],
});

const zeros = (dtype: 'f32' | 'i32', shape: number[]) => fillTensor(dtype, shape, () => 0);

describe('argument checks', () => {
  let exe: Executable;
  beforeAll(async () => {
    exe = await Executable.create(gpu, twoInputs);
  });

  const expectInputError = (run: () => unknown, ...parts: string[]) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    for (const p of parts) expect((error as Error).message).toContain(p);
  };

  it('names the argument and both types on a wrong axis size', () => {
    expectInputError(
      () => exe.run([zeros('f32', [32, 784]), zeros('f32', [32, 785])], ['x', 'bias']),
      'argument bias',
      'f32[N,784]',
      'f32[32,785]',
      'axis 1 must be 784',
    );
  });

  it('rejects a wrong rank, naming unnamed arguments by position', () => {
    expectInputError(() => exe.run([zeros('f32', [784]), zeros('f32', [1, 784])]), 'argument #0', 'f32[N,784]', 'f32[784]', 'rank');
  });

  it('rejects a wrong dtype', () => {
    expectInputError(() => exe.run([zeros('f32', [2, 784]), zeros('i32', [2, 784])], ['x', 'b']), 'argument b', 'f32[N,784]', 'i32[2,784]');
  });

  it('rejects a symbol bound to two sizes', () => {
    expectInputError(
      () => exe.run([zeros('f32', [2, 784]), zeros('f32', [3, 784])], ['x', 'b']),
      'argument b',
      'f32[3,784]',
      'dimension N is 2',
    );
  });

  it('rejects a wrong number of arguments', () => {
    expectInputError(() => exe.run([zeros('f32', [2, 784])], ['x', 'b']), '2 arguments', 'x: f32[N,784]', 'got 1 arguments');
  });

  it('rejects a disposed array', () => {
    const x = DeviceArray.fromHost(gpu, 'f32', [1, 784], new Float32Array(784));
    x.dispose();
    expectInputError(() => exe.run([x, zeros('f32', [1, 784])], ['x', 'b']), 'argument x', 'disposed');
  });

  it('still runs correctly after rejected calls', async () => {
    const x = fillTensor('f32', [2, 784], (i) => i);
    const b = fillTensor('f32', [2, 784], (i) => -2 * i);
    const [y] = exe.run([x, b]);
    expect(Array.from(await y.data())).toEqual(Array.from(x.data, (v, i) => v + b.data[i]));
  });
});

describe('limits', () => {
  it('throws LimitError before allocating a temp larger than a storage binding allows', async () => {
    const rowElements = 1 << 20;
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N', rowElements], 'temp'), buffer(2, 'f32', ['N'], 'temp')],
        kernels: [unaryF32('copy', 'v')],
        steps: [dispatch(0, [0, 2])],
        inputs: [0],
        outputs: [2],
      }),
    );
    const rows = Math.floor(gpu.limits.maxStorageBufferBindingSize / (4 * rowElements)) + 1;
    const run = () => exe.run([hostTensor('f32', [rows], new Array(rows).fill(1))]);
    expect(run).toThrow(LimitError);
    expect(run).toThrow(new RegExp(`${rows * rowElements * 4} bytes.*maxStorageBufferBindingSize of ${gpu.limits.maxStorageBufferBindingSize}`));
    const [ok] = exe.run([hostTensor('f32', [2], [5, 6])]);
    expect(Array.from(await ok.data())).toEqual([5, 6]);
  });

  it('throws LimitError naming the kernel when a grid dimension is too large', async () => {
    const grid = unaryF32('wide_grid', 'v');
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
        kernels: [{ ...grid, dispatch: { kind: 'grid', x: size(1, ['N']), y: size(1), z: size(1) } }],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1],
      }),
    );
    const n = gpu.limits.maxComputeWorkgroupsPerDimension + 1;
    expect(() => exe.run([hostTensor('f32', [n])])).toThrow(/kernel 'wide_grid'.*N=65536.*x count exceeds/s);
  });

  it('throws LimitError at create when a kernel binds more storage buffers than the adapter allows', async () => {
    const reads = gpu.limits.maxStorageBuffersPerShaderStage;
    const kernel = { ...unaryF32('too_many', 'v'), reads };
    const p = program({
      dims: ['N'],
      buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
      kernels: [kernel],
      steps: [dispatch(0, [...new Array(reads).fill(0), 1])],
      inputs: [0],
      outputs: [1],
    });
    await expect(Executable.create(gpu, p)).rejects.toThrow(LimitError);
    await expect(Executable.create(gpu, p)).rejects.toThrow(/too_many.*maxStorageBuffersPerShaderStage/);
  });
});

describe('invalid programs and kernels', () => {
  it('reports WGSL compile errors with the kernel name, line numbers and the source', async () => {
    const broken = { ...unaryF32('broken_kernel', 'v * undefined_name'), name: 'broken_kernel' };
    const p = program({
      dims: ['N'],
      buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
      kernels: [broken],
      steps: [dispatch(0, [0, 1])],
      inputs: [0],
      outputs: [1],
    });
    const error = await Executable.create(gpu, p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceError);
    const message = (error as Error).message;
    expect(message).toContain("kernel 'broken_kernel'");
    expect(message).toMatch(/error at line 10:\d+: .*undefined_name/);
    expect(message).toContain('  10 |   let v = inp[i]; out[i] = v * undefined_name;');
  });

  it('reports a missing entry point', async () => {
    const kernel = { ...unaryF32('no_entry', 'v'), entryPoint: 'absent' };
    const p = program({
      dims: ['N'],
      buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
      kernels: [kernel],
      steps: [dispatch(0, [0, 1])],
      inputs: [0],
      outputs: [1],
    });
    await expect(Executable.create(gpu, p)).rejects.toThrow(/kernel 'no_entry' \(entry point absent\) failed/);
  });

  it('rejects malformed programs with VerifyError', async () => {
    const base = {
      dims: ['N'],
      buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
      kernels: [unaryF32('id', 'v')],
      inputs: [0],
      outputs: [1],
    };
    await expect(Executable.create(gpu, program({ ...base, steps: [dispatch(0, [0, 9])] }))).rejects.toThrow(
      /buffer 9, which is not declared/,
    );
    await expect(Executable.create(gpu, program({ ...base, steps: [dispatch(3, [0, 1])] }))).rejects.toThrow(VerifyError);
    await expect(Executable.create(gpu, program({ ...base, dims: ['N', 'M'], steps: [] }))).rejects.toThrow(
      /dimension M appears in no input shape/,
    );
    await expect(
      Executable.create(gpu, program({ ...base, buffers: [...base.buffers, buffer(2, 'f32', [3], 'const', [1])], steps: [] })),
    ).rejects.toThrow(/const buffer 2 needs 3 values/);
  });

  it('refuses to run after dispose', async () => {
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
        kernels: [unaryF32('id', 'v')],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1],
      }),
    );
    exe.dispose();
    expect(() => exe.run([hostTensor('f32', [1], [1])])).toThrow(/after dispose/);
  });
});

describe('WebGPU errors raised by a call', () => {
  // Binding one buffer as both the read-only input and the writable output of a dispatch is a
  // validation error that WebGPU raises while the call is encoded and submitted.
  const aliased = program({
    dims: ['N'],
    buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp'), buffer(2, 'f32', ['N'], 'temp')],
    kernels: [unaryF32('copy', 'v'), unaryF32('aliased_in_place', 'v + 1.0')],
    steps: [dispatch(0, [0, 1]), dispatch(1, [1, 1]), dispatch(0, [1, 2])],
    inputs: [0],
    outputs: [2],
  });

  it('reject the call with a DeviceError naming the error, and never give a result', async () => {
    const exe = await Executable.create(gpu, aliased);
    const x = hostTensor('f32', [3], [1, 2, 3]);
    const error = await exe.runChecked([x]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as Error).message).toMatch(/WebGPU rejected a call of the program with kernels k?\w*copy/);
    expect((error as Error).message).toMatch(/GPUValidationError: .*writable usage/is);
    // Without waiting for validation, the outputs exist, but reading them fails the same way.
    const [y] = exe.run([x]);
    await expect(y.data()).rejects.toThrow(/GPUValidationError/);
  });

  it('leave the device usable: the next valid call computes its result', async () => {
    const exe = await Executable.create(gpu, aliased);
    await exe.runChecked([hostTensor('f32', [2], [0, 0])]).catch(() => undefined);
    const ok = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
        kernels: [unaryF32('plus_one', 'v + 1.0')],
        steps: [dispatch(0, [0, 1])],
        inputs: [0],
        outputs: [1],
      }),
    );
    const [y] = await ok.runChecked([hostTensor('f32', [2], [4, 5])]);
    expect(Array.from(await y.data())).toEqual([5, 6]);
  });
});
