import { beforeAll, describe, expect, it } from 'vitest';
import { LimitError } from '../../src/ir/index.ts';
import { bucketBytes, BufferPool, MIN_BUFFER_BYTES } from '../../runtime/buffer-pool.ts';
import { resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

describe('bucketBytes', () => {
  it('rounds up to a word-aligned bucket that wastes at most a quarter', () => {
    for (let bytes = 0; bytes < 1 << 26; bytes = Math.floor(bytes * 1.37) + 4) {
      const b = bucketBytes(bytes);
      expect(b).toBeGreaterThanOrEqual(Math.max(bytes, MIN_BUFFER_BYTES));
      expect(b % 4).toBe(0);
      if (bytes > 65536) expect(b).toBeLessThanOrEqual(bytes * 1.25);
      else expect(Math.log2(b) % 1).toBe(0);
    }
  });

  it('lets nearby sizes share a bucket', () => {
    expect(bucketBytes(1000)).toBe(bucketBytes(1020));
    expect(bucketBytes(1_000_000)).toBe(bucketBytes(1_010_000));
  });
});

describe('BufferPool', () => {
  it('reuses released buffers of the same bucket and usage', () => {
    const pool = new BufferPool(gpu);
    const a = pool.acquireStorage(1000, 'test');
    pool.release(a);
    resetStats();
    expect(pool.acquireStorage(1020, 'test')).toBe(a);
    const staging = pool.acquireStaging(1000);
    expect(staging).not.toBe(a);
    expect(stats.buffersCreated).toBe(1);
    expect(a.usage).toBe(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    pool.release(staging);
    pool.trim();
    expect(pool.freeBytes).toBe(0);
  });

  it('gives zero-byte requests a minimum-size buffer', () => {
    const pool = new BufferPool(gpu);
    expect(pool.acquireStorage(0, 'empty').size).toBe(MIN_BUFFER_BYTES);
  });

  it('throws LimitError naming the size, the limit and what to change', () => {
    const pool = new BufferPool(gpu);
    const limit = gpu.limits.maxStorageBufferBindingSize;
    const request = () => pool.acquireStorage(limit + 4, 'tensor f32[huge]');
    expect(request).toThrow(LimitError);
    expect(request).toThrow(
      new RegExp(`tensor f32\\[huge\\] needs ${limit + 4} bytes.*maxStorageBufferBindingSize of ${limit} bytes.*smaller batch`),
    );
  });

  it('never rounds a buffer past the binding limit', () => {
    const pool = new BufferPool(gpu);
    const limit = gpu.limits.maxStorageBufferBindingSize;
    const b = pool.acquireStorage(limit - 1000, 'almost too big');
    expect(b.size).toBeLessThanOrEqual(limit);
    expect(b.size).toBeGreaterThanOrEqual(limit - 1000);
    b.destroy();
  });
});
