import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * The README's taste example (examples/taste.ts) runs as users run it, in a child process, on
 * WebGPU, and prints the numbers the math gives. Fails, never skips, without an adapter.
 */
const ROOT = resolve(import.meta.dirname, '../..');
beforeAll(async () => {
  await gpuBackend();
});

function runExample(): Promise<string> {
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir(), AXONIC_REQUIRE_WEBGPU: '1' };
  return new Promise((done, fail) =>
    execFile(process.execPath, ['--import', 'tsx', 'examples/taste.ts'], { cwd: ROOT, env }, (error, stdout, stderr) =>
      error ? fail(new Error(`examples/taste.ts failed: ${stderr}`)) : done(stdout),
    ),
  );
}

/** The list printed after `label:` (a JSON array on the rest of its line). */
const listAfter = (out: string, label: string): number[] => {
  const line = out.split('\n').find((l) => l.startsWith(`${label} `));
  expect(line, `a line "${label} …" in:\n${out}`).toBeDefined();
  return JSON.parse(line!.slice(label.length + 1)) as number[];
};

test('examples/taste.ts prints what the math gives', async () => {
  const out = await runExample();
  const th = Math.tanh(0.5);
  expect(listAfter(out, "tanh''(0.5) =")[0]).toBeCloseTo(-2 * th * (1 - th * th), 6);
  // d/dw (x·w − y)² = 2(x·w − y)x at w = [1, 2], y = 0.
  expect(listAfter(out, 'per-example grads:')).toEqual([2, 0, 0, 4, 6, 6]);
  expect(listAfter(out, 'straight-through grad:')).toEqual([1, 1, 1]);
  const sigmoidGrad = (x: number) => 4 / (1 + Math.exp(-4 * x)) * (1 - 1 / (1 + Math.exp(-4 * x)));
  const surrogate = listAfter(out, 'surrogate grad:');
  [-1.5, -0.5, 0.5].forEach((x, i) => expect(surrogate[i]).toBeCloseTo(sigmoidGrad(x), 6));
  // Each fit step moves w and b by 0.1 toward 1.7 (SEMANTICS 1.10 c): 9 steps give 1.8.
  expect(listAfter(out, 'pyneurons neuron after 9 fit steps:')[0]).toBeCloseTo(1.8, 6);
  expect(out).toContain('zephyr mlp parameters: {"0":{"weights":[3,32],"bias":[32]},"1":{"weights":[32,1],"bias":[1]}}');
  expect(out).toContain('output shape: [2,1]');
}, 120_000);
