import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { at, expectTensor, ht, randomTensor } from './helpers.ts';

describe('ax.trace', () => {
  test('the README example: a verified graph named main with symbolic N', () => {
    const f = (w: ax.Tensor, x: ax.Tensor) => ax.tanh(ax.matmul(x, w)).sum();
    const g = ax.trace(f, ax.spec('f32', [784, 10]), ax.spec('f32', ['N', 784]));
    expect(g.name).toBe('main');
    expect(g.inputs.map((v) => v.type)).toEqual([
      { dtype: 'f32', shape: [784, 10] },
      { dtype: 'f32', shape: ['N', 784] },
    ]);
    expect(g.outputs[0].type).toEqual({ dtype: 'f32', shape: [] });
    expect(() => ax.verifyGraph(g)).not.toThrow();
    const text = ax.printGraph(g);
    expect(ax.printGraph(ax.parseGraph(text))).toBe(text);
  });

  test('the traced graph computes what the function says', () => {
    const w = randomTensor(61, [4, 3]);
    const x = randomTensor(62, [2, 4]);
    const g = ax.trace((p: ax.Tensor, q: ax.Tensor) => ax.tanh(ax.matmul(q, p)).sum(), ax.spec('f32', [4, 3]), ax.spec('f32', ['N', 4]));
    let expected = 0;
    for (let n = 0; n < 2; n++)
      for (let j = 0; j < 3; j++) expected += Math.tanh([0, 1, 2, 3].reduce((s, k) => s + at(x, [n, k]) * at(w, [k, j]), 0));
    expectTensor(evaluate(g, [w, x])[0], 'f32', [], [expected], 1e-13);
  });

  test('pytrees of specs in, pytrees of tensors out', () => {
    const params = { layers: [{ w: ax.spec('f32', [2, 3]), b: ax.spec('f32', [3]) }], scale: 2 };
    const traced = ax.traceFunction(
      (p: { layers: { w: ax.Tensor; b: ax.Tensor }[]; scale: ax.Tensor }, x: ax.Tensor) => ({
        y: ax.matmul(x, p.layers[0].w).add(p.layers[0].b).mul(p.scale),
        aux: [x.sum(), 1],
      }),
      [params, ax.spec('f32', ['N', 2])],
    );
    expect(traced.inPaths).toEqual(['p.layers[0].w', 'p.layers[0].b', 'p.scale', 'x']);
    expect(traced.graph.inputs.map((v) => ax.formatType(v.type))).toEqual(['f32[2,3]', 'f32[3]', 'f32[]', 'f32[N,2]']);
    expect(ax.unflatten(traced.outDef, ['Y', 'S', 'ONE'])).toEqual({ y: 'Y', aux: ['S', 'ONE'] });
    const out = evaluate(traced.graph, [ht([2, 3], [1, 0, 0, 0, 1, 0]), ht([3], [1, 1, 1]), ht([], [2]), ht([1, 2], [3, 4])]);
    expectTensor(out[0], 'f32', [1, 3], [8, 10, 2]);
    expectTensor(out[1], 'f32', [], [7]);
    expectTensor(out[2], 'f32', [], [1]);
  });

  test('concrete arrays as specs stand for their type', () => {
    const g = ax.trace((a: ax.Tensor) => a.mul(2), ax.array(new Int32Array([1, 2, 3])));
    expect(ax.formatType(g.inputs[0].type)).toBe('i32[3]');
  });

  test('argument names come from the parameter list; others get arg<i>', () => {
    const names = (fn: (...a: never[]) => unknown, n: number) =>
      ax.traceFunction(fn as never, Array.from({ length: n }, () => ax.spec('f32', [])) as never).inPaths;
    expect(names(((alpha: ax.Tensor, beta: ax.Tensor) => alpha.add(beta)) as never, 2)).toEqual(['alpha', 'beta']);
    expect(names(((v: ax.Tensor) => v) as never, 1)).toEqual(['v']);
    expect(names(function named(first: ax.Tensor, { a }: { a: ax.Tensor } = { a: first }) {
      return [first, a];
    } as never, 2)).toEqual(['first', 'arg1']);
  });

  test('a result that is an input or a literal is an output too', () => {
    const g = ax.trace((a: ax.Tensor) => [a, 3], ax.spec('f32', [2]));
    expect(g.outputs[0]).toBe(g.inputs[0]);
    expect(ax.formatType(g.outputs[1].type)).toBe('f32[]');
  });
});
