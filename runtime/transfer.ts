import { BYTES_PER_ELEMENT, coerce, hostArrayFor, type DType, type HostData } from '../src/ir/dtype.ts';
import { DeviceError } from '../src/ir/errors.ts';
import { poolFor } from './buffer-pool.ts';
import { checkDevice, lostReason, type GpuBackend } from './device.ts';
import { stats } from './stats.ts';

/** The 32-bit words a tensor occupies in a GPU buffer (bool as u32 0/1). */
export function deviceWords(dtype: DType, data: ArrayLike<number>): Float32Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'f32':
      return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'i32':
      return data instanceof Int32Array ? data : Int32Array.from(data);
    case 'u32':
      return data instanceof Uint32Array ? data : Uint32Array.from(data);
    case 'bool':
      return Uint32Array.from(data, (v) => coerce('bool', v));
  }
}

/** Uploads a tensor into a fresh pooled storage buffer; `what` names it in a LimitError. */
export function uploadTensor(backend: GpuBackend, dtype: DType, data: ArrayLike<number>, what: string): GPUBuffer {
  const buffer = poolFor(backend).acquireStorage(data.length * BYTES_PER_ELEMENT, what);
  writeTensor(backend, buffer, dtype, data);
  return buffer;
}

export function writeTensor(backend: GpuBackend, buffer: GPUBuffer, dtype: DType, data: ArrayLike<number>): void {
  if (data.length === 0) return;
  const words = deviceWords(dtype, data);
  backend.device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, words.byteLength);
  stats.uploads++;
}

export interface ReadSource {
  readonly buffer: GPUBuffer;
  readonly dtype: DType;
  readonly size: number;
}

/**
 * Reads tensors back with one submission: every copy into its staging buffer is recorded in one
 * encoder, then all staging buffers are mapped together.
 */
export async function readBuffers(backend: GpuBackend, sources: readonly ReadSource[]): Promise<HostData[]> {
  checkDevice(backend);
  const pool = poolFor(backend);
  const staging: (GPUBuffer | undefined)[] = [];
  const encoder = backend.device.createCommandEncoder();
  for (const s of sources) {
    if (s.size === 0) {
      staging.push(undefined);
      continue;
    }
    const buffer = pool.acquireStaging(s.size * BYTES_PER_ELEMENT);
    encoder.copyBufferToBuffer(s.buffer, 0, buffer, 0, s.size * BYTES_PER_ELEMENT);
    staging.push(buffer);
  }
  const pending = staging.filter((b): b is GPUBuffer => b !== undefined);
  if (pending.length === 0) return sources.map((s) => hostArrayFor(s.dtype, 0));
  backend.device.queue.submit([encoder.finish()]);
  stats.submissions++;
  stats.readbacks++;
  try {
    await Promise.all(pending.map((b) => b.mapAsync(GPUMapMode.READ)));
  } catch (e) {
    const lost = lostReason(backend);
    throw new DeviceError(
      lost !== undefined
        ? `reading results failed because the WebGPU device was lost (${lost}): call getBackend() again`
        : `reading results failed: ${(e as Error).message}`,
    );
  }
  const results = sources.map((s, i) => {
    const buffer = staging[i];
    if (!buffer) return hostArrayFor(s.dtype, 0);
    const out = copyOut(s.dtype, s.size, buffer.getMappedRange(0, s.size * BYTES_PER_ELEMENT));
    buffer.unmap();
    pool.release(buffer);
    return out;
  });
  checkDevice(backend);
  return results;
}

function copyOut(dtype: DType, size: number, mapped: ArrayBuffer): HostData {
  const out = hostArrayFor(dtype, size);
  switch (dtype) {
    case 'f32':
      out.set(new Float32Array(mapped));
      break;
    case 'i32':
      out.set(new Int32Array(mapped));
      break;
    case 'u32':
      out.set(new Uint32Array(mapped));
      break;
    case 'bool': {
      const words = new Uint32Array(mapped);
      for (let i = 0; i < size; i++) out[i] = words[i] !== 0 ? 1 : 0;
      break;
    }
  }
  return out;
}
