import { LimitError } from '../src/ir/errors.ts';
import type { GpuBackend } from './device.ts';
import { stats } from './stats.ts';

/** Even a zero-element tensor gets a buffer, so that every binding is valid. */
export const MIN_BUFFER_BYTES = 16;

/** Free buffers kept for reuse beyond this many bytes are destroyed instead. */
const MAX_POOLED_BYTES = 512 * 1024 * 1024;

/**
 * Bucketed size: powers of two up to 64 KiB, then quarter steps between powers of two, so a
 * reused buffer wastes at most a quarter of its size and sizes that differ slightly share one.
 */
export function bucketBytes(bytes: number): number {
  const n = Math.max(MIN_BUFFER_BYTES, Math.ceil(bytes / 4) * 4);
  const pow = 2 ** Math.ceil(Math.log2(n));
  if (pow <= 65536) return pow;
  const step = pow / 8;
  return Math.ceil(n / step) * step;
}

/**
 * Reuses GPUBuffers by (bucketed size, usage). Releasing a buffer that submitted work still uses
 * is safe: WebGPU orders later writes and submissions after earlier ones on the same queue.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;

  constructor(private readonly backend: GpuBackend) {}

  /** A STORAGE|COPY_SRC|COPY_DST buffer for a tensor; `what` names it in a LimitError. */
  acquireStorage(bytes: number, what: string): GPUBuffer {
    const limit = this.backend.limits.maxStorageBufferBindingSize;
    if (bytes > limit)
      throw new LimitError(
        `${what} needs ${bytes} bytes, more than this adapter's maxStorageBufferBindingSize of ${limit} bytes ` +
          `(${this.backend.adapterName}): use a smaller batch or split the tensor along an axis`,
      );
    const size = Math.min(bucketBytes(bytes), Math.max(MIN_BUFFER_BYTES, Math.floor(limit / 4) * 4));
    return this.acquire(size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  }

  /** A MAP_READ|COPY_DST buffer to read results back through. */
  acquireStaging(bytes: number): GPUBuffer {
    return this.acquire(bucketBytes(bytes), GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** A UNIFORM|COPY_DST buffer (the sizes uniform). */
  acquireUniform(bytes: number): GPUBuffer {
    return this.acquire(bucketBytes(bytes), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  release(buffer: GPUBuffer): void {
    if (this.pooledBytes + buffer.size > MAX_POOLED_BYTES) {
      buffer.destroy();
      return;
    }
    const key = poolKey(buffer.size, buffer.usage);
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buffer);
    this.pooledBytes += buffer.size;
  }

  /** Destroys every free buffer (memory goes back to the device). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }

  get freeBytes(): number {
    return this.pooledBytes;
  }

  private acquire(size: number, usage: number): GPUBuffer {
    const reused = this.free.get(poolKey(size, usage))?.pop();
    if (reused) {
      this.pooledBytes -= size;
      return reused;
    }
    stats.buffersCreated++;
    return this.backend.device.createBuffer({ size, usage });
  }
}

/** Usage flags fit in 10 bits, so one number keys (size, usage) without allocating a string. */
const poolKey = (size: number, usage: number): number => size * 1024 + usage;

const pools = new WeakMap<GPUDevice, BufferPool>();

/** The pool of a device (one per device, shared by its arrays and executables). */
export function poolFor(backend: GpuBackend): BufferPool {
  let pool = pools.get(backend.device);
  if (!pool) pools.set(backend.device, (pool = new BufferPool(backend)));
  return pool;
}
