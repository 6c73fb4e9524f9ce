import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, DeviceError, hostTensor, type KernelLimits } from '../../src/ir/index.ts';
import { adapterName } from '../../runtime/device.ts';
import {
  acquireBackend,
  checkDevice,
  describeBackend,
  DeviceArray,
  Executable,
  getBackend,
  type GpuBackend,
} from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { buffer, dispatch, program, unaryF32 } from './programs.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the backend probe in a fresh process with extra environment variables. */
function probeBackend(env: Record<string, string>): { stdout: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/runtime/fixtures/backend-probe.ts'], {
    cwd: root,
    env: { ...process.env, AXONIC_BACKEND: '', AXONIC_REQUIRE_WEBGPU: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`probe printed no result (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: JSON.parse(line), stderr: r.stderr };
}

/** An empty Vulkan driver list: Dawn finds no adapter, as on a machine without a GPU. */
const NO_DRIVERS = { VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json' };

describe('getBackend', () => {
  it('acquires a WebGPU device with limits raised to at least the WebGPU defaults', async () => {
    const gpu = await gpuBackend();
    expect(gpu.kind).toBe('webgpu');
    expect(gpu.adapterName.length).toBeGreaterThan(0);
    expect(describeBackend(gpu)).toBe(`WebGPU on ${gpu.adapterName}`);
    for (const key of Object.keys(DEFAULT_LIMITS) as (keyof KernelLimits & keyof GPUSupportedLimits)[]) {
      expect(gpu.limits[key], key).toBeGreaterThanOrEqual(DEFAULT_LIMITS[key] as number);
      expect(gpu.limits[key], key).toBe(gpu.device.limits[key]);
    }
    expect(await getBackend()).toBe(gpu);
  });

  it('falls back to the CPU interpreter without an adapter, saying so once on stderr', () => {
    const { stdout, stderr } = probeBackend(NO_DRIVERS);
    expect(stdout).toMatchObject({ kind: 'cpu', cached: true });
    const notices = stderr.match(/axonic: no WebGPU adapter \(.*\); running on the CPU reference interpreter/g);
    expect(notices, stderr).toHaveLength(1);
  });

  it('fails without an adapter when AXONIC_REQUIRE_WEBGPU=1', () => {
    const { stdout } = probeBackend({ ...NO_DRIVERS, AXONIC_REQUIRE_WEBGPU: '1' });
    expect(stdout.error).toBe('DeviceError');
    expect(stdout.message).toMatch(/no WebGPU adapter found.*AXONIC_REQUIRE_WEBGPU=1.*bookworm-backports/);
  });

  it('honours AXONIC_BACKEND', async () => {
    expect(await acquireBackend({ AXONIC_BACKEND: 'cpu' })).toEqual({ kind: 'cpu', reason: 'AXONIC_BACKEND=cpu' });
    await expect(acquireBackend({ AXONIC_BACKEND: 'cpu', AXONIC_REQUIRE_WEBGPU: '1' })).rejects.toThrow(DeviceError);
    await expect(acquireBackend({ AXONIC_BACKEND: 'metal' })).rejects.toThrow(/'webgpu' or 'cpu'/);
    expect(describeBackend({ kind: 'cpu', reason: 'AXONIC_BACKEND=cpu' })).toBe(
      'CPU reference interpreter (AXONIC_BACKEND=cpu)',
    );
  });

  it('builds a readable adapter name from the non-empty info fields', () => {
    const info = (fields: Partial<Record<keyof GPUAdapterInfo, unknown>>) => fields as unknown as GPUAdapterInfo;
    expect(
      adapterName(info({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-slug', description: 'llvmpipe (LLVM 19)' })),
    ).toBe('llvmpipe (LLVM 19) [mesa, software]');
    expect(adapterName(info({ vendor: 'amd', architecture: 'rdna-3', device: 'radeon', description: '' }))).toBe(
      'radeon [amd, rdna-3]',
    );
    // A field the main name already contains adds nothing.
    expect(adapterName(info({ vendor: 'nvidia', architecture: '', device: 'nvidia-h100', description: '' }))).toBe('nvidia-h100');
    expect(adapterName(info({ vendor: 'x', device: 'y', description: 'z', isFallbackAdapter: true }))).toBe(
      'z [x, fallback adapter]',
    );
    expect(adapterName(info({ vendor: '', architecture: '', device: '', description: '' }))).toBe('unknown adapter');
  });
});

describe('device health', () => {
  const identity = program({
    dims: ['N'],
    buffers: [buffer(0, 'f32', ['N'], 'input'), buffer(1, 'f32', ['N'], 'temp')],
    kernels: [unaryF32('identity', 'v')],
    steps: [dispatch(0, [0, 1])],
    inputs: [0],
    outputs: [1],
  });

  const freshGpu = async (): Promise<GpuBackend> => {
    const b = await acquireBackend({});
    if (b.kind !== 'webgpu') throw new Error(`a second WebGPU device is needed: ${b.reason}`);
    return b;
  };

  it('turns a lost device into DeviceError on later calls', async () => {
    const gpu = await freshGpu();
    const exe = await Executable.create(gpu, identity);
    const x = DeviceArray.fromHost(gpu, 'f32', [2], [1, 2]);
    gpu.device.destroy();
    await gpu.device.lost;
    expect(() => exe.run([x])).toThrow(DeviceError);
    expect(() => exe.run([x])).toThrow(/device was lost.*call getBackend\(\) again/);
    await expect(x.data()).rejects.toThrow(DeviceError);
  });

  it('reports errors WebGPU raised outside the runtime once, then recovers', async () => {
    const gpu = await freshGpu();
    gpu.device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
    await gpu.device.queue.onSubmittedWorkDone();
    for (let i = 0; i < 50; i++) {
      try {
        checkDevice(gpu);
      } catch (e) {
        expect(e).toBeInstanceOf(DeviceError);
        expect((e as Error).message).toMatch(/GPUValidationError.*MapRead/s);
        break;
      }
      if (i === 49) throw new Error('the validation error was never reported');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const exe = await Executable.create(gpu, identity);
    const [y] = exe.run([hostTensor('f32', [2], [3, 4])]);
    expect(Array.from(await y.data())).toEqual([3, 4]);
    gpu.device.destroy();
  });

  it('refuses arrays from another device', async () => {
    const shared = await gpuBackend();
    const other = await freshGpu();
    const exe = await Executable.create(shared, identity);
    const x = DeviceArray.fromHost(other, 'f32', [1], [1]);
    expect(() => exe.run([x], ['x'])).toThrow(/argument x lives on another WebGPU device/);
    other.device.destroy();
  });
});
