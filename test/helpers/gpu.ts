import { getBackend, type GpuBackend } from '../../runtime/index.ts';

/**
 * The shared WebGPU backend for tests that need a GPU. Throws (so the test fails, never skips)
 * when no adapter exists.
 */
export async function gpuBackend(): Promise<GpuBackend> {
  const backend = await getBackend();
  if (backend.kind !== 'webgpu')
    throw new Error(
      `this test needs WebGPU but the backend is the CPU interpreter (${backend.reason}): ` +
        'install Mesa lavapipe from bookworm-backports (see README) and unset AXONIC_BACKEND',
    );
  return backend;
}
