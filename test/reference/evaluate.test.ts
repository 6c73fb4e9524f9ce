import { describe, expect, it } from 'vitest';
import { GraphBuilder, InputError, parseGraph } from '../../src/ir/index.ts';
import { bindInputs, evaluate } from '../../runtime/reference.ts';
import { f32, i32 } from './ref-case.ts';

/** f(x: f32[N,3], y: f32[N]) = x + broadcast(y): N bound at call time. */
const GRAPH = parseGraph(
  [
    'func @main(%0: f32[N,3], %1: f32[N]) -> (f32[N,3]) {',
    '  %2: f32[N,3] = broadcast_in_dim[shape=[N,3], dims=[0]] %1',
    '  %3: f32[N,3] = add %0, %2',
    '  return %3',
    '}',
  ].join('\n'),
);

describe('evaluate: graphs and arguments', () => {
  it('binds N from the arguments and runs for any N', () => {
    for (const n of [1, 2, 5]) {
      const x = Array.from({ length: n * 3 }, (_, i) => i);
      const y = Array.from({ length: n }, (_, i) => 100 * i);
      const [out] = evaluate(GRAPH, [f32([n, 3], x), f32([n], y)]);
      expect(out.shape).toEqual([n, 3]);
      expect([...out.data]).toEqual(x.map((v, i) => v + 100 * Math.floor(i / 3)));
    }
    expect([...bindInputs(GRAPH, [f32([4, 3], new Array(12).fill(0)), f32([4], [0, 0, 0, 0])])]).toEqual([['N', 4]]);
  });

  it('rejects a wrong argument count, dtype, rank, size or an inconsistent N with an InputError', () => {
    const x = f32([2, 3], new Array(6).fill(0));
    const y = f32([2], [0, 0]);
    const cases: [unknown[], RegExp][] = [
      [[x], /expected 2 arguments, got 1/],
      [[x, i32([2], [0, 0])], /argument 1: expected f32\[N\], got i32\[2\] \(dtype differs\)/],
      [[f32([6], new Array(6).fill(0)), y], /argument 0: expected f32\[N,3\], got f32\[6\] \(rank 2 expected, got rank 1\)/],
      [[f32([2, 4], new Array(8).fill(0)), y], /argument 0: expected f32\[N,3\], got f32\[2,4\] \(axis 1 must be 3, got 4\)/],
      [[x, f32([3], [0, 0, 0])], /argument 1: expected f32\[N\], got f32\[3\] \(dimension N is 2 from an earlier argument but 3 here/],
    ];
    for (const [args, says] of cases) {
      expect(() => evaluate(GRAPH, args as never)).toThrow(InputError);
      expect(() => evaluate(GRAPH, args as never)).toThrow(says);
    }
  });

  it('evaluates nodes in order, sharing intermediate values', () => {
    const b = new GraphBuilder();
    const x = b.input({ dtype: 'f32', shape: [2] });
    const sq = b.add1('mul', [x, x], {});
    const cube = b.add1('mul', [sq, x], {});
    const [a, c] = evaluate(b.build([sq, cube]), [f32([2], [3, -2])]);
    expect([...a.data]).toEqual([9, 4]);
    expect([...c.data]).toEqual([27, -8]);
  });

  it('returns an argument that is also an output unchanged', () => {
    const b = new GraphBuilder();
    const x = b.input({ dtype: 'i32', shape: [2] });
    const [out] = evaluate(b.build([x]), [i32([2], [4, 5])]);
    expect([...out.data]).toEqual([4, 5]);
  });
});
