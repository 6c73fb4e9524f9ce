import { DeviceError } from '../src/ir/errors.ts';
import type { KernelDecl } from '../src/ir/program.ts';
import type { GpuBackend } from './device.ts';
import { stats } from './stats.ts';

export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

interface DeviceCache {
  readonly layouts: Map<string, GPUBindGroupLayout>;
  readonly pipelines: Map<string, Promise<CompiledKernel>>;
}

const caches = new WeakMap<GPUDevice, DeviceCache>();

function cacheFor(device: GPUDevice): DeviceCache {
  let c = caches.get(device);
  if (!c) caches.set(device, (c = { layouts: new Map(), pipelines: new Map() }));
  return c;
}

/**
 * The explicit layout of a kernel: binding 0 the sizes uniform, then `reads` read-only storage
 * buffers, then `writes` storage buffers. Explicit (not 'auto') so a kernel that ignores a
 * binding, such as the uniform, still accepts the same bind group.
 */
function bindGroupLayout(device: GPUDevice, reads: number, writes: number): GPUBindGroupLayout {
  const cache = cacheFor(device).layouts;
  const key = `${reads}/${writes}`;
  let layout = cache.get(key);
  if (layout) return layout;
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
  ];
  for (let i = 0; i < reads + writes; i++)
    entries.push({
      binding: i + 1,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: i < reads ? 'read-only-storage' : 'storage' },
    });
  layout = device.createBindGroupLayout({ entries });
  cache.set(key, layout);
  return layout;
}

/**
 * The pipeline of a kernel, compiled once per device and WGSL text (shared by every Executable).
 * Throws DeviceError with the compiler's messages and the numbered source when WGSL is invalid.
 */
export function compileKernel(backend: GpuBackend, kernel: KernelDecl): Promise<CompiledKernel> {
  const cache = cacheFor(backend.device).pipelines;
  const key = `${kernel.reads}/${kernel.writes}\0${kernel.entryPoint}\0${kernel.wgsl}`;
  let compiled = cache.get(key);
  if (compiled) {
    // Least recently used order: a hit moves to the back.
    cache.delete(key);
  } else {
    compiled = createPipeline(backend.device, kernel);
    compiled.catch(() => cache.delete(key));
  }
  cache.set(key, compiled);
  // A long-lived process that compiles many programs must not keep every pipeline: evict the
  // least recently used (Executables that use an evicted pipeline keep their own reference).
  while (cache.size > MAX_CACHED_PIPELINES) cache.delete(cache.keys().next().value!);
  return compiled;
}

const MAX_CACHED_PIPELINES = 1024;

async function createPipeline(device: GPUDevice, kernel: KernelDecl): Promise<CompiledKernel> {
  const layout = bindGroupLayout(device, kernel.reads, kernel.writes);
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: kernel.wgsl, label: kernel.name });
  const moduleError = await device.popErrorScope();
  if (moduleError) throw await compileError(kernel, module, moduleError.message);
  try {
    const pipeline = await device.createComputePipelineAsync({
      label: kernel.name,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: kernel.entryPoint },
    });
    stats.pipelinesCreated++;
    return { pipeline, layout };
  } catch (e) {
    throw await compileError(kernel, module, (e as Error).message);
  }
}

async function compileError(kernel: KernelDecl, module: GPUShaderModule, fallback: string): Promise<DeviceError> {
  const info = await module.getCompilationInfo();
  const messages = info.messages
    .filter((m) => m.type === 'error' || m.type === 'warning')
    .map((m) => `  ${m.type} at line ${m.lineNum}:${m.linePos}: ${m.message}`);
  // A valid module can still fail as a pipeline (wrong entry point, bindings that differ from
  // the layout): then only the pipeline error says why.
  if (!info.messages.some((m) => m.type === 'error')) messages.unshift(`  ${fallback.trim()}`);
  const numbered = kernel.wgsl
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(4)} | ${line}`)
    .join('\n');
  return new DeviceError(
    `kernel '${kernel.name}' (entry point ${kernel.entryPoint}) failed to compile:\n` +
      `${messages.join('\n')}\n` +
      `WGSL:\n${numbered}`,
  );
}
