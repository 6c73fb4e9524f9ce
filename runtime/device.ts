import { DeviceError } from '../src/ir/errors.ts';
import type { KernelLimits } from '../src/ir/program.ts';

/** A WebGPU device with the limits code generation must respect. */
export interface GpuBackend {
  readonly kind: 'webgpu';
  readonly device: GPUDevice;
  readonly adapterName: string;
  readonly limits: KernelLimits;
}

/** No WebGPU adapter: graphs run on the float64 reference interpreter. */
export interface CpuBackend {
  readonly kind: 'cpu';
  readonly reason: string;
}

export type Backend = GpuBackend | CpuBackend;

type Env = Readonly<Record<string, string | undefined>>;

const KERNEL_LIMIT_NAMES = [
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
] as const satisfies readonly (keyof KernelLimits)[];

/** The device limits raised to what the adapter offers (WebGPU grants only defaults otherwise). */
const REQUESTED_LIMITS = [...KERNEL_LIMIT_NAMES, 'maxBufferSize'] as const;

/** A non-literal specifier keeps browser bundlers from trying to bundle Dawn's native module. */
const DAWN_MODULE = 'webgpu';

const nodeProcess = (): NodeJS.Process | undefined =>
  (globalThis as { process?: NodeJS.Process }).process?.versions?.node ? globalThis.process : undefined;

let shared: Promise<Backend> | undefined;
let announcedCpu = false;

/**
 * The process-wide backend, acquired on first use. Falls back to the CPU reference interpreter
 * (saying so once on stderr) when no adapter exists, unless AXONIC_REQUIRE_WEBGPU=1.
 * After the device is lost, the next call acquires a fresh one.
 */
export function getBackend(): Promise<Backend> {
  shared ??= acquireBackend().then((backend) => {
    if (backend.kind === 'cpu') announceCpu(backend);
    else void backend.device.lost.then(() => (shared = undefined));
    return backend;
  });
  shared.catch(() => (shared = undefined));
  return shared;
}

/** Acquires a new backend (not the shared one): tests use it to lose or break a device safely. */
export async function acquireBackend(env: Env = nodeProcess()?.env ?? {}): Promise<Backend> {
  const required = env.AXONIC_REQUIRE_WEBGPU === '1';
  if (env.AXONIC_BACKEND === 'cpu') {
    if (required)
      throw new DeviceError('AXONIC_BACKEND=cpu and AXONIC_REQUIRE_WEBGPU=1 contradict each other: unset one of them');
    return { kind: 'cpu', reason: 'AXONIC_BACKEND=cpu' };
  }
  if (env.AXONIC_BACKEND !== undefined && env.AXONIC_BACKEND !== '' && env.AXONIC_BACKEND !== 'webgpu')
    throw new DeviceError(`AXONIC_BACKEND=${env.AXONIC_BACKEND} is not a backend: use 'webgpu' or 'cpu'`);
  let adapter: GPUAdapter | null;
  try {
    adapter = await requestAdapter();
  } catch (e) {
    return noAdapter(`${(e as Error).message}`, required);
  }
  if (!adapter) return noAdapter('requestAdapter() returned null', required);
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  let device: GPUDevice;
  try {
    // Timestamps let Executable.profile time each dispatch; subgroups speed up reductions.
    const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    if (subgroupsAvailable(adapter, env)) requiredFeatures.push('subgroups' as GPUFeatureName);
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  } catch (e) {
    return noAdapter(`requestDevice failed: ${(e as Error).message}`, required);
  }
  watchHealth(device);
  const limits = {
    ...(Object.fromEntries(KERNEL_LIMIT_NAMES.map((n) => [n, device.limits[n]])) as Omit<KernelLimits, 'adapterKind' | 'subgroups'>),
    adapterKind: isSoftwareAdapter(adapter.info) ? 'software' : 'hardware',
    subgroups: device.features.has('subgroups'),
  } satisfies KernelLimits;
  return { kind: 'webgpu', device, adapterName: adapterName(adapter.info), limits };
}

/**
 * Subgroup kernels need the adapter's 'subgroups' feature and WGSL's subgroup_id built-ins;
 * AXONIC_SUBGROUPS=0 turns them off (the shared-memory fallback).
 */
function subgroupsAvailable(adapter: GPUAdapter, env: Env): boolean {
  if (env.AXONIC_SUBGROUPS === '0') return false;
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? dawnInstance;
  const wgsl = (gpu as { wgslLanguageFeatures?: ReadonlySet<string> } | undefined)?.wgslLanguageFeatures;
  return adapter.features.has('subgroups') && wgsl?.has('subgroup_id') === true;
}

async function requestAdapter(): Promise<GPUAdapter | null> {
  const browserGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (browserGpu) return browserGpu.requestAdapter({ powerPreference: 'high-performance' });
  const proc = nodeProcess();
  if (!proc) throw new Error('navigator.gpu is missing (this browser has no WebGPU)');
  quietMesa(proc);
  let dawn: { create(options: string[]): GPU; globals: object };
  try {
    dawn = await import(/* @vite-ignore */ DAWN_MODULE);
  } catch (e) {
    throw new Error(`the 'webgpu' package could not be loaded: ${(e as Error).message}`);
  }
  Object.assign(globalThis, dawn.globals);
  dawnInstance ??= dawn.create([]);
  return dawnInstance.requestAdapter({ powerPreference: 'high-performance' });
}

/**
 * Dawn's GPU object must outlive every device made from it: once it is garbage-collected, Dawn
 * stops processing events (mapAsync never resolves) and the process can abort in a Dawn thread.
 */
let dawnInstance: GPU | undefined;

/** Mesa warns on every process without XDG_RUNTIME_DIR; any private writable folder silences it. */
function quietMesa(proc: NodeJS.Process): void {
  if (proc.env.XDG_RUNTIME_DIR) return;
  const fs = proc.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  const os = proc.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  if (!fs || !os) return;
  const dir = `${os.tmpdir()}/axonic-xdg-${proc.getuid?.() ?? 'user'}`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    proc.env.XDG_RUNTIME_DIR = dir;
  } catch {
    // Only a warning is at stake; run without the folder.
  }
}

function noAdapter(reason: string, required: boolean): CpuBackend {
  if (required)
    throw new DeviceError(
      `no WebGPU adapter found (${reason}), and AXONIC_REQUIRE_WEBGPU=1 forbids the CPU fallback: ` +
        'install Mesa lavapipe from bookworm-backports (see README), or unset AXONIC_REQUIRE_WEBGPU',
    );
  return { kind: 'cpu', reason };
}

function announceCpu(backend: CpuBackend): void {
  if (announcedCpu) return;
  announcedCpu = true;
  const line = `axonic: no WebGPU adapter (${backend.reason}); running on the CPU reference interpreter\n`;
  const proc = nodeProcess();
  if (proc) proc.stderr.write(line);
  else console.warn(line.trimEnd());
}

/**
 * Whether the adapter runs shaders on the CPU (lavapipe/llvmpipe, SwiftShader, WARP): code
 * generation then favours fewer, fatter invocations.
 */
export function isSoftwareAdapter(info: GPUAdapterInfo): boolean {
  if ((info as { isFallbackAdapter?: boolean }).isFallbackAdapter) return true;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return /llvmpipe|lavapipe|swiftshader|warp|software/.test(text);
}

/** A readable adapter name from whichever GPUAdapterInfo fields the implementation fills. */
export function adapterName(info: GPUAdapterInfo): string {
  const main = info.description || info.device || info.vendor || 'unknown adapter';
  // The device field is a slug of the description when both exist (Dawn): keep it only alone.
  const details = [info.vendor, info.architecture, info.description ? '' : info.device].filter(
    (s) => s && !main.includes(s),
  );
  if ((info as { isFallbackAdapter?: boolean }).isFallbackAdapter) details.push('fallback adapter');
  return details.length ? `${main} [${details.join(', ')}]` : main;
}

export function describeBackend(b: Backend): string {
  return b.kind === 'webgpu' ? `WebGPU on ${b.adapterName}` : `CPU reference interpreter (${b.reason})`;
}

interface DeviceHealth {
  lost?: string;
  /** Errors WebGPU raised outside an error scope since the last check. */
  readonly errors: string[];
}

const MAX_KEPT_ERRORS = 8;
const health = new WeakMap<GPUDevice, DeviceHealth>();

function watchHealth(device: GPUDevice): void {
  const h: DeviceHealth = { errors: [] };
  health.set(device, h);
  void device.lost.then((info) => (h.lost = info.message || info.reason || 'unknown reason'));
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    if (h.errors.length < MAX_KEPT_ERRORS) h.errors.push(`${error.constructor.name}: ${error.message.trim()}`);
  });
}

/** Throws DeviceError when the device is lost or WebGPU reported errors since the last check. */
export function checkDevice(backend: GpuBackend): void {
  const h = health.get(backend.device);
  if (!h) return;
  if (h.lost !== undefined)
    throw new DeviceError(
      `the WebGPU device was lost (${h.lost}): call getBackend() again and recreate executables and arrays`,
    );
  if (h.errors.length === 0) return;
  const errors = h.errors.splice(0);
  const outOfMemory = errors.some((e) => e.startsWith('GPUOutOfMemoryError'));
  throw new DeviceError(
    `WebGPU reported ${errors.length} error(s) in earlier work:\n${errors.join('\n')}\n` +
      (outOfMemory
        ? 'the device ran out of memory: dispose() arrays you no longer need, or use smaller batches'
        : 'this is a bug in axonic or in a hand-written kernel; please report it with the messages above'),
  );
}

/** The device lost reason, if lost (for error messages of pending reads). */
export const lostReason = (backend: GpuBackend): string | undefined => health.get(backend.device)?.lost;

const SCOPES: readonly GPUErrorFilter[] = ['internal', 'out-of-memory', 'validation'];

/** Opens the error scopes that catch what one call raises (closed by closeErrorScopes). */
export function openErrorScopes(device: GPUDevice): number {
  for (const filter of SCOPES) device.pushErrorScope(filter);
  return SCOPES.length;
}

/**
 * Closes the scopes of one call: the promise resolves when WebGPU has judged the call, and
 * rejects with a DeviceError naming `what` if it raised any error. The scopes are popped now,
 * so scopes of later calls nest correctly.
 */
export function closeErrorScopes(device: GPUDevice, count: number, what: string): Promise<void> {
  const popped: Promise<GPUError | null>[] = [];
  for (let i = 0; i < count; i++) popped.push(device.popErrorScope());
  return Promise.all(popped).then((errors) => {
    const raised = errors.filter((e): e is GPUError => e !== null);
    if (raised.length === 0) return;
    const lines = raised.map((e) => `  ${e.constructor.name}: ${e.message.trim()}`);
    const oom = raised.some((e) => e.constructor.name === 'GPUOutOfMemoryError');
    throw new DeviceError(
      `WebGPU rejected ${what}:\n${lines.join('\n')}\n` +
        (oom
          ? 'the device ran out of memory: dispose() arrays you no longer need, or use smaller batches'
          : 'its results were not computed; this is a bug in axonic or in a hand-written program: please report it with the messages above'),
    );
  });
}
