import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { Backend, GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * Messages a new user met and could not act on (issue 13, item 5): each now names what to change
 * and where, the argument path or the user's file:line, and these tests assert exactly that.
 */

const FILE = 'test/builder/errors-calls.test.ts';
const cpu: Backend = { kind: 'cpu', reason: 'test' };

/** The line of the caller of this function (where the error-causing call is written). */
function lineHere(): number {
  const frame = new Error().stack!.split('\n')[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('calls of jit functions name the argument to change', () => {
  const add = (a: ax.Tensor, b: ax.Tensor) => ax.add(a, b);

  test('too few arguments, with specs: the missing argument and its spec', async () => {
    const f = ax.jit(add, { backend: cpu, specs: [ax.spec('f32', [2]), ax.spec('f32', [2])] });
    const e = (await rejected((f as (...a: unknown[]) => Promise<unknown>)(ax.array([1, 2])))) as ax.InputError;
    expect(e).toBeInstanceOf(ax.InputError);
    expect(e.argument).toBe('b');
    expect(e.message).toBe('argument b: expected f32[2], got nothing (the specs declare 2 arguments (a, b), the call passed 1)');
  });

  test('too few arguments, without specs: the missing argument, with the trace failure as its cause', async () => {
    const f = ax.jit(add, { backend: cpu }) as (...a: unknown[]) => Promise<unknown>;
    const e = (await rejected(f(ax.array([1, 2])))) as ax.InputError;
    expect(e).toBeInstanceOf(ax.InputError);
    expect(e.argument).toBe('b');
    expect(e.message).toBe('argument b: expected an array or a number, got nothing (add takes 2 arguments (a, b), the call passed 1)');
    expect(String((e.cause as Error).message)).toMatch(new RegExp(`ax\\.add: operand 1 is undefined \\(a missing argument or property\\?\\).* \\(at ${FILE.replace(/\./g, '\\.')}:\\d+:\\d+\\)`));
  });

  test('a plain JS array: the argument, the user line that failed, and ax.array', async () => {
    let line = 0;
    const f = ax.jit((x: ax.Tensor) => {
      line = lineHere() + 1;
      return x.add(1);
    }, { backend: cpu }) as (...a: unknown[]) => Promise<unknown>;
    const e = (await rejected(f([1, 2]))) as ax.InputError;
    expect(e).toBeInstanceOf(ax.InputError);
    expect(e.argument).toBe('x');
    expect(e.message).toContain('got a JS array of 2 numbers');
    expect(e.message).toMatch(new RegExp(`failed at ${FILE.replace(/\./g, '\\.')}:${line}:\\d+ with "x.add is not a function"`));
    expect(e.message).toContain('wrap it with ax.array(...)');
  });

  test('a call whose nested structure differs from the specs names the path inside the argument', async () => {
    const f = ax.jit((p: { w: ax.Tensor; b: ax.Tensor }) => p.w.add(p.b), {
      backend: cpu,
      specs: [{ w: ax.spec('f32', [2]), b: ax.spec('f32', [2]) }],
    });
    const e = (await rejected(f({ w: ax.array([1, 2]) } as never))) as ax.InputError;
    expect(e.argument).toBe('p.b');
    expect(e.message).toMatch(/^argument p\.b: expected f32\[2\], got nothing/);
  });
});

describe('builder errors name the path or the user line', () => {
  test('ax.array of a ragged nested list names the ragged element', () => {
    const e = caught(() => ax.array([[1, 2], [3]])) as ax.InputError;
    expect(e).toBeInstanceOf(ax.InputError);
    expect(e.argument).toBe('data[1]');
    expect(e.message).toMatch(/^argument data\[1\]: expected 2 elements, as data\[0\] has, got 1/);
    expect((caught(() => ax.array([[[1], [2]], [[3], [4, 5]]])) as ax.InputError).argument).toBe('data[1][1]');
    expect((caught(() => ax.array([[1, 2], 3] as never)) as ax.InputError).argument).toBe('data[1]');
  });

  test('grad with respect to an integer argument blames that argument, by path, at the user line', () => {
    let line = 0;
    const loss = (p: { w: ax.Tensor; n: ax.Tensor }) => p.w.mul(p.n).sum();
    const e = caught(() =>
      ax.trace(
        (w: ax.Tensor, n: ax.Tensor) => {
          line = lineHere() + 1;
          return ax.grad(loss)({ w, n });
        },
        ax.spec('f32', [2]),
        ax.spec('i32', [2]),
      ),
    ) as ax.ShapeError;
    expect(e).toBeInstanceOf(ax.ShapeError);
    expect(e.message).toMatch(/^grad: cannot differentiate with respect to p\.n \(i32\[2\]\): only f32 arrays have gradients/);
    expect(e.loc).toEqual({ file: FILE, line, col: expect.any(Number) });
    // Even when the output is then an integer too, the argument is the cause named.
    const count = (k: ax.Tensor) => k.sum();
    expect(caught(() => ax.trace((k: ax.Tensor) => ax.grad(count)(k), ax.spec('i32', [3]))).message).toMatch(/with respect to k \(i32\[3\]\)/);
  });

  test('a loop body that returns another shape: the loop line and the body line', () => {
    let loopLine = 0;
    let bodyLine = 0;
    const e = caught(() =>
      ax.trace((s0: ax.Tensor) => {
        loopLine = lineHere() + 1;
        return ax.loop(3, (s: ax.Tensor) => {
          bodyLine = lineHere() + 1;
          return s.sum();
        }, s0);
      }, ax.spec('f32', [2])),
    ) as ax.ShapeError;
    expect(e).toBeInstanceOf(ax.ShapeError);
    expect(e.op).toBe('loop');
    expect(e.loc).toEqual({ file: FILE, line: loopLine, col: expect.any(Number) });
    expect(e.message).toContain('the body returns f32[] for state, but the state is f32[2]');
    expect(e.message).toMatch(new RegExp(`the body made it at ${FILE.replace(/\./g, '\\.')}:${bodyLine}:`));
  });

  test('an index out of range names index, the valid range and the user line', () => {
    let line = 0;
    const e = caught(() =>
      ax.trace((x: ax.Tensor) => {
        line = lineHere() + 1;
        return x.index(5);
      }, ax.spec('f32', [2, 3])),
    ) as ax.ShapeError;
    expect(e).toBeInstanceOf(ax.ShapeError);
    expect(e.op).toBe('index');
    expect(e.message).toMatch(/^index: index 5 is out of range for axis 0 of size 2: use an index in -2 … 1/);
    expect(e.message).not.toContain('start <= limit');
    expect(e.loc).toEqual({ file: FILE, line, col: expect.any(Number) });
    expect(caught(() => ax.trace((x: ax.Tensor) => ax.index(x, -3), ax.spec('f32', [2]))).message).toMatch(/index -3 is out of range/);
  });
});

describe('a value over the adapter buffer limit names the argument or the op and line', () => {
  /** The shared device with a 1 KiB storage-binding limit, so the limit is met without big buffers. */
  async function smallDevice(): Promise<GpuBackend> {
    const gpu = await gpuBackend();
    return { ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 1024 } };
  }

  test('an argument too big, with static shapes (at compile time) and symbolic ones (at the call)', async () => {
    const backend = await smallDevice();
    const f = ax.jit((x: ax.Tensor) => x.mul(2), { backend });
    const e = await rejected(f(ax.array(new Float32Array(512))));
    expect(e).toBeInstanceOf(ax.LimitError);
    expect(e.message).toMatch(/^argument x is f32\[512\], 2048 bytes, more than this adapter's maxStorageBufferBindingSize of 1024 bytes/);
    const g = ax.jit((x: ax.Tensor) => x.mul(2), { backend, specs: [ax.spec('f32', ['N', 4])] });
    const s = await rejected(g(ax.array(new Float32Array(400), [100, 4])));
    expect(s).toBeInstanceOf(ax.LimitError);
    expect(s.message).toMatch(/^argument x is f32\[N,4\] with N=100, 1600 bytes, more than/);
  });

  test('a value made too big names the op and the user line', async () => {
    const backend = await smallDevice();
    let line = 0;
    const f = ax.jit((x: ax.Tensor) => {
      // Returned, so it needs a buffer (fused into a consumer, it would never be materialized).
      line = lineHere() + 1;
      return ax.broadcastTo(x, [16, 32]);
    }, { backend });
    const e = await rejected(f(ax.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32])));
    expect(e).toBeInstanceOf(ax.LimitError);
    expect(e.message).toMatch(new RegExp(`^broadcast_in_dim at ${FILE.replace(/\./g, '\\.')}:${line}:\\d+ makes a f32\\[16,32\\] value of 2048 bytes`));
  });
});
