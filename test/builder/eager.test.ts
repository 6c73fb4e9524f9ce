import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import { eagerStats } from '../../src/builder/eager.ts';
import * as ax from '../../src/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { randomTensor } from './helpers.ts';

/** Eager mode on WebGPU (the shared backend, as a REPL user gets it). Fails, never skips, without an adapter. */
beforeAll(async () => {
  await gpuBackend();
});

/** Outside a trace an ax function returns a DeviceArray; its static type stays Tensor. */
const concrete = (t: unknown): ax.DeviceArray => {
  expect(t).toBeInstanceOf(ax.DeviceArray);
  return t as ax.DeviceArray;
};
const values = async (t: unknown) => Array.from(await concrete(t).data());

function lineHere(): number {
  const frame = new Error().stack!.split('\n')[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

describe('eager ax functions on WebGPU', () => {
  test('ax.add(ax.array([1, 2]), 1) is a DeviceArray printed as f32[2] on webgpu [2, 3]', async () => {
    const y = concrete(ax.add(ax.array([1, 2]), 1));
    expect(y.dtype).toBe('f32');
    expect(y.shape).toEqual([2]);
    expect(await values(y)).toEqual([2, 3]);
    expect(String(y)).toBe('DeviceArray f32[2] on webgpu [2, 3]');
    expect(inspect(y)).toBe('DeviceArray f32[2] on webgpu [2, 3]');
    expect(y.onGpu).toBe(true);
  });

  test('an eager sequence, the same function under jit and the float64 reference agree', async () => {
    // The same code: ax functions and Tensor methods, run eagerly on DeviceArrays and traced by jit.
    const f = (x: ax.Tensor, y: ax.Tensor) => {
      const z = ax.exp(x.mul(y).sub(1)).sum(0);
      return z.add(ax.sin(y).max()).div(x.abs().mean().add(1));
    };
    const xs = randomTensor(11, [5, 3], -1, 1);
    const ys = randomTensor(12, [3], -2, 2);
    const x = ax.array(Float32Array.from(xs.data), [5, 3]);
    const y = ax.array(Float32Array.from(ys.data), [3]);

    // Static types stay as they are (ax functions return Tensor): eager callers cast, JS callers need not.
    const eager = concrete(f(x as unknown as ax.Tensor, y as unknown as ax.Tensor));
    expect(eager.shape).toEqual([3]); // known at once, before anything ran
    const jitted = (await ax.jit(f)(x, y)) as ax.DeviceArray;
    const [e, j] = await ax.readAll([eager, jitted]);
    expect(maxRelError(e, j)).toBeLessThan(1e-6);
    // The reference runs on the f32 inputs, in float64.
    const f32 = (t: typeof xs) => ax.hostTensor('f32', t.shape, Float32Array.from(t.data));
    const [ref] = evaluate(ax.trace(f, xs, ys), [f32(xs), f32(ys)]);
    expect(maxRelError(e, ref.data)).toBeLessThan(1e-5);
  });

  test('results are usable at once in the next op; each op compiles once per signature, whichever line calls it', async () => {
    const x = ax.array([0.5, -1.5, 2], [3]);
    const before = eagerStats.compiles;
    const y = ax.multiply(x, x);
    const z = ax.multiply(y, y); // same op, same types: the cached program
    expect(await values(z)).toEqual([0.0625, 5.0625, 16]);
    expect(eagerStats.compiles - before).toBe(1); // programs compile asynchronously, so count after a read
    expect(await values(ax.multiply(ax.array([3, 4, 5], [3]), ax.array([1, 2, 3], [3])))).toEqual([3, 8, 15]);
    expect(eagerStats.compiles - before).toBe(1);
  });

  test('a JS number operand is an input of the cached program, so another value compiles nothing', async () => {
    const x = ax.array([1, 2, 3, 4], [4], 'i32');
    await values(ax.subtract(x, 0));
    const before = eagerStats.compiles;
    for (const k of [1, 7, -3]) expect(await values(ax.subtract(x, k))).toEqual([1 - k, 2 - k, 3 - k, 4 - k]);
    expect(eagerStats.compiles).toBe(before);
  });

  test('composites, reductions with options, creation functions and transforms run eagerly', async () => {
    const x = ax.array([[1, 2, 3], [4, 5, 6]]);
    expect(await values(ax.sum(x, 1, true))).toEqual([6, 15]);
    expect(concrete(ax.sum(x, 1, true)).shape).toEqual([2, 1]);
    const s = await values(ax.nn.softmax(ax.array([0, Math.log(3)])));
    expect(s[0]).toBeCloseTo(0.25, 6);
    expect(s[1]).toBeCloseTo(0.75, 6);
    expect(await values(ax.zeros([2], 'i32'))).toEqual([0, 0]);
    // grad of sum(x^2) is 2x, computed eagerly.
    expect(await values(ax.grad((v: ax.Tensor) => v.square().sum())(ax.array([1, -2])))).toEqual([2, -4]);
  });

  test('an op that returns its operand gives back the same array, with no program', () => {
    const x = ax.array([1, 2], [2], 'i32');
    const before = eagerStats.compiles;
    expect(ax.astype(x, 'i32')).toBe(x);
    expect(eagerStats.compiles).toBe(before);
  });

  test('a shape error is thrown at once, at the user line', () => {
    let line = 0;
    let error: unknown;
    try {
      line = lineHere() + 1;
      ax.add(ax.array([1, 2]), ax.array([1, 2, 3]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ax.ShapeError);
    expect((error as ax.ShapeError).loc).toEqual({ file: 'test/builder/eager.test.ts', line, col: expect.any(Number) });
  });

  test('an op that cannot compile fails every read of its result and of arrays computed from it, and jit calls on them', async () => {
    let line = 0;
    line = lineHere() + 1;
    const huge = ax.broadcastTo(ax.array([1]), [100_000_000]); // 400 MB: over lavapipe's 128 MiB binding limit
    const after = ax.add(huge, 1);
    const want = new RegExp(`broadcast_in_dim at test/builder/eager\\.test\\.ts:${line}:\\d+ makes a f32\\[100000000\\] value`);
    await expect(concrete(huge).data()).rejects.toThrow(want);
    await expect(concrete(after).data()).rejects.toThrow(want);
    await expect(ax.jit((v: ax.Tensor) => v.mul(2))(concrete(after))).rejects.toThrow(want);
    expect(String(after)).toMatch(/^DeviceArray f32\[100000000\] \(failed: broadcast_in_dim at /);
  });

  test('a WebGPU failure of an input reaches the results computed from it, never stale values', async () => {
    const a = await ax.devicePut(ax.array([1, 2]));
    a.awaitBefore(Promise.reject(new ax.DeviceError('WebGPU rejected the call that wrote this array')));
    const b = ax.exp(a);
    await expect(concrete(b).data()).rejects.toThrow(/WebGPU rejected the call that wrote this array/);
    await expect(ax.readAll([concrete(ax.add(b, 1))])).rejects.toThrow(ax.DeviceError);
  });

  test('inside a trace the ax functions and DeviceArray methods are the traced ones', () => {
    const w = ax.array([1, 2]);
    const g = ax.trace((x: ax.Tensor) => ax.add(x, w.mul(3)), ax.spec('f32', [2]));
    // w.mul inside the trace captured w as a constant, as ax.multiply(w, 3) always did.
    expect(g.nodes.map((n) => n.op)).toEqual(['constant', 'constant', 'mul', 'add']);
    expect(Array.from(evaluate(g, [ax.hostTensor('f32', [2], [10, 20])])[0].data)).toEqual([13, 26]);
  });
});

describe('printing a traced Tensor', () => {
  test('shows its type and where it was made, not the trace', () => {
    let line = 0;
    const shown: string[] = [];
    ax.trace((x: ax.Tensor) => {
      line = lineHere() + 1;
      const y = x.mul(2);
      shown.push(inspect(x), inspect(y), inspect({ y }));
      return y;
    }, ax.spec('f32', [2, 3]));
    expect(shown[0]).toMatch(/^Tensor f32\[2,3\] \(input 0 of a traced function; a traced value has no numbers/);
    expect(shown[1]).toMatch(new RegExp(`^Tensor f32\\[2,3\\] \\(made by mul at test/builder/eager\\.test\\.ts:${line}:\\d+;`));
    for (const s of shown) expect(s).not.toMatch(/TraceContext|GraphBuilder|captured/);
  });
});

describe('eager on the CPU backend', () => {
  test('an eager sequence runs on the reference interpreter when AXONIC_BACKEND=cpu', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/builder/fixtures/eager-cpu.ts'], {
      cwd: root,
      env: { ...process.env, AXONIC_BACKEND: 'cpu', AXONIC_REQUIRE_WEBGPU: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, r.stderr).toBeDefined();
    const out = JSON.parse(line!);
    expect(out.printed).toBe('DeviceArray f32[2] on cpu [2, 3]');
    expect(out.chain).toEqual([Math.fround(Math.exp(2)) * 2, Math.fround(Math.exp(3)) * 2].map(Math.fround));
  });
});
