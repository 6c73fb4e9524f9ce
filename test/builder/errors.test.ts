import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';

/** The line of the caller of this function in this file (where the error-causing call is written). */
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

describe('shape errors name the op, both shapes and the user line', () => {
  test('mismatched matmul', () => {
    let line = 0;
    const e = caught(() =>
      ax.trace(
        (w: ax.Tensor, x: ax.Tensor) => {
          line = lineHere() + 1;
          return ax.matmul(x, w);
        },
        ax.spec('f32', [3, 10]),
        ax.spec('f32', ['N', 784]),
      ),
    );
    expect(e).toBeInstanceOf(ax.ShapeError);
    const err = e as ax.ShapeError;
    expect(err.op).toBe('matmul');
    expect(err.message).toContain('f32[N,784]');
    expect(err.message).toContain('f32[3,10]');
    expect(err.loc?.file).toBe('test/builder/errors.test.ts');
    expect(err.loc?.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`at test/builder/errors\\.test\\.ts:${line}:\\d+$`));
  });

  test('an error raised by a primitive inside a composite points at the composite call', () => {
    let line = 0;
    const e = caught(() =>
      ax.trace(
        (a: ax.Tensor, b: ax.Tensor) => {
          line = lineHere() + 1;
          return a.add(b);
        },
        ax.spec('f32', [2, 3]),
        ax.spec('f32', [4]),
      ),
    ) as ax.ShapeError;
    expect(e.message).toMatch(/^add: cannot broadcast 3 against 4/);
    expect(e.message).toContain('f32[2,3], f32[4]');
    expect(e.loc?.line).toBe(line);
  });

  test('every node carries the call site of the user code that wrote it', () => {
    let line = 0;
    const g = ax.trace((x: ax.Tensor) => {
      line = lineHere() + 1;
      return ax.nn.softmax(x);
    }, ax.spec('f32', [2, 3]));
    expect(g.nodes.length).toBeGreaterThan(3);
    for (const n of g.nodes) expect(n.loc).toEqual({ file: 'test/builder/errors.test.ts', line, col: expect.any(Number) });
    expect(ax.printGraph(g)).toContain(`@test/builder/errors.test.ts:${line}:`);
  });
});

describe('trace errors', () => {
  test('outside a trace ax functions run eagerly (test/builder/eager.test.ts); vjp needs a trace', async () => {
    const zeros = ax.zeros([2]) as unknown as ax.DeviceArray;
    expect(zeros).toBeInstanceOf(ax.DeviceArray);
    expect(Array.from(await zeros.data())).toEqual([0, 0]);
    expect(() => ax.vjp(ax.exp, 1)).toThrow(/ax.vjp was called outside a trace: call it inside a function passed to ax.jit or ax.trace/);
  });

  test('a Tensor of an outer trace used in an inner trace', () => {
    const e = caught(() =>
      ax.trace((x: ax.Tensor) => {
        ax.trace((y: ax.Tensor) => y.add(x), ax.spec('f32', [2]));
        return x;
      }, ax.spec('f32', [2])),
    );
    expect(e).toBeInstanceOf(ax.TraceError);
    expect(e.message).toMatch(/ax.add: operand 1 \(f32\[2\]\) belongs to an outer trace; pass it to the inner traced function as an argument/);
  });

  test('nested traces do not leak nodes into each other', () => {
    let inner: ax.Graph | undefined;
    const outer = ax.trace((x: ax.Tensor) => {
      inner = ax.trace((y: ax.Tensor) => y.mul(2), ax.spec('f32', [3]));
      return x.exp();
    }, ax.spec('f32', [2]));
    expect(outer.nodes.map((n) => n.op)).toEqual(['exp']);
    expect(inner!.nodes.map((n) => n.op)).toEqual(['constant', 'mul']);
  });

  test('a Tensor that escaped its trace', () => {
    let leaked: ax.Tensor | undefined;
    ax.trace((x: ax.Tensor) => {
      leaked = x;
      return x;
    }, ax.spec('f32', [2]));
    expect(() => ax.trace((y: ax.Tensor) => y.add(leaked!), ax.spec('f32', [2]))).toThrow(/belongs to a trace that has finished/);
  });

  test('JS operators and if on tensors explain what to use instead', () => {
    expect(() => ax.trace((x: ax.Tensor) => ((x as unknown as number) > 0 ? x : x), ax.spec('f32', [2]))).toThrow(/use t.add\(...\), t.gt\(...\) and ax.where/);
    expect(() => ax.trace((x: ax.Tensor) => `${x}`.length && x, ax.spec('f32', [2]))).not.toThrow();
  });

  test('an async traced function', () => {
    expect(() => ax.trace(async (x: ax.Tensor) => x, ax.spec('f32', [2]))).toThrow(/returned a Promise/);
  });

  test('operands that are not arrays', () => {
    expect(() => ax.trace((x: ax.Tensor) => x.add([1, 2] as never), ax.spec('f32', [2]))).toThrow(/operand 1 is a JS array \(wrap it with ax.array\(data, shape\)\)/);
    expect(() => ax.trace((x: ax.Tensor) => x.add('1' as never), ax.spec('f32', [2]))).toThrow(/operand 1 is a string/);
  });

  test('bad specs', () => {
    expect(() => ax.spec('f64' as never, [2])).toThrow(/unknown dtype f64/);
    expect(() => ax.spec('f32', [-1])).toThrow(/is not a shape/);
  });
});
