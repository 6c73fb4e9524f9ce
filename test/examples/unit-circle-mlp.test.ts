import { beforeAll, expect, test } from 'vitest';
import { fitMlpUnitCircle } from '../../examples/unit-circle.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * SEMANTICS.md 5.3 d, in full: the tutorial's width-1024 ReLU MLP trained for 10 000 updates
 * (lr 0.001, 100 points, w ~ N(0, 1), b = 0) on WebGPU, in chunks of 1000 updates, each chunk one
 * ax.loop program and one submission. Fails, never skips, without an adapter.
 *
 * Slow on lavapipe (CPU Vulkan): about 0.1 s per update there, so this file is kept apart from
 * the fast unit-circle tests; on a real GPU the same run takes seconds.
 */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const MINUTES = 60_000;

test('10 000 updates on WebGPU drive the loss below 5e-3 and below 1e-5 of its start', async () => {
  const { curve, seconds, firstChunkSeconds, adapter } = await fitMlpUnitCircle({ backend, updates: 10_000, chunk: 1000 });
  const [, initial] = curve[0];
  const [done, final] = curve[curve.length - 1];
  console.log(
    `MLP unit circle on ${adapter}: ${seconds.toFixed(1)} s (first chunk, with compiling, ${firstChunkSeconds.toFixed(1)} s); ` +
      curve.map(([n, l]) => `${n}: ${l.toExponential(3)}`).join(', '),
  );
  expect(done).toBe(10_000);
  expect(initial).toBeGreaterThan(1);
  expect(final).toBeLessThan(5e-3);
  expect(final).toBeLessThan(1e-5 * initial);
}, 40 * MINUTES);
