import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { eval1, evalAll, expectTensor, ht, randomTensor } from './helpers.ts';

/**
 * tan, the inverse trigonometric and the hyperbolic functions through the builder (NumPy's
 * names, f32 for integer operands), on the reference interpreter against closed forms in other
 * functions; the C99 signed zeros, which tensor comparisons cannot see, by Object.is.
 */

const x = randomTensor(31, [3, 4], -3, 3);
const unit = randomTensor(32, [3, 4], -0.95, 0.95);
const aboveOne = randomTensor(33, [3, 4], 1, 20);

describe('builder functions against closed forms', () => {
  const cases: [string, (t: ax.Tensor) => ax.Tensor, (v: number) => number, typeof x][] = [
    ['tan', ax.tan, (v) => Math.sin(v) / Math.cos(v), x],
    ['arcsin', ax.arcsin, (v) => Math.atan(v / Math.sqrt(1 - v * v)), unit],
    ['arccos', ax.arccos, (v) => Math.PI / 2 - Math.atan(v / Math.sqrt(1 - v * v)), unit],
    ['arctan', ax.arctan, (v) => Math.asin(v / Math.sqrt(1 + v * v)), x],
    ['sinh', ax.sinh, (v) => (Math.exp(v) - Math.exp(-v)) / 2, x],
    ['cosh', ax.cosh, (v) => (Math.exp(v) + Math.exp(-v)) / 2, x],
    ['arcsinh', ax.arcsinh, (v) => Math.sign(v) * Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), x],
    ['arccosh', ax.arccosh, (v) => Math.log(v + Math.sqrt(v * v - 1)), aboveOne],
    ['arctanh', ax.arctanh, (v) => 0.5 * Math.log((1 + v) / (1 - v)), unit],
    ['method tan', (t) => t.tan(), (v) => Math.sin(v) / Math.cos(v), x],
    ['method arcsin', (t) => t.arcsin(), (v) => Math.atan(v / Math.sqrt(1 - v * v)), unit],
    ['method arccos', (t) => t.arccos(), (v) => 2 * Math.atan(Math.sqrt((1 - v) / (1 + v))), unit],
    ['method arctan', (t) => t.arctan(), (v) => Math.asin(v / Math.sqrt(1 + v * v)), x],
    ['method sinh', (t) => t.sinh(), (v) => (Math.exp(v) - Math.exp(-v)) / 2, x],
    ['method cosh', (t) => t.cosh(), (v) => (Math.exp(v) + Math.exp(-v)) / 2, x],
    ['method arcsinh', (t) => t.arcsinh(), (v) => Math.sign(v) * Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), x],
    ['method arccosh', (t) => t.arccosh(), (v) => Math.log(v + Math.sqrt(v * v - 1)), aboveOne],
    ['method arctanh', (t) => t.arctanh(), (v) => 0.5 * Math.log((1 + v) / (1 - v)), unit],
  ];
  test.each(cases)('%s', (_, f, ref, input) => {
    expectTensor(eval1(f, input), 'f32', [3, 4], Array.from(input.data, ref), 1e-13);
  });

  test('arctan2(x1, x2) is the angle of (x2, x1), broadcast [3,1] against [4]', () => {
    const a = ht([3, 1], [1, -2, 0.5]);
    const b = ht([4], [1, -1, 3, -0.25]);
    const expected = [1, -2, 0.5].flatMap((p) => [1, -1, 3, -0.25].map((q) => Math.atan(p / q) + (q < 0 ? Math.sign(p) * Math.PI : 0)));
    expectTensor(eval1(ax.arctan2, a, b), 'f32', [3, 4], expected, 1e-14);
  });

  test('integer operands compute in f32', () => {
    const i = ht([3], [0, 1, 2], 'i32');
    expectTensor(eval1(ax.arcsin, i), 'f32', [3], [0, Math.PI / 2, NaN]);
    expectTensor(eval1(ax.cosh, i), 'f32', [3], [1, (Math.E + 1 / Math.E) / 2, (Math.E ** 2 + Math.E ** -2) / 2], 1e-15);
    expectTensor(eval1((p) => ax.arctan2(p, -1), i), 'f32', [3], [Math.PI, (3 * Math.PI) / 4, Math.PI - Math.atan(2)], 1e-15);
  });

  test('arctan2 of incompatible shapes is a ShapeError', () => {
    expect(() => ax.trace(ax.arctan2, ht([2], [1, 2]), ht([3], [1, 2, 3]))).toThrow(ax.ShapeError);
  });
});

describe("the reference keeps C99's signed zeros", () => {
  const zeros = ht([2], [0, -0]);
  test('odd functions map -0 to -0 and +0 to +0', () => {
    const outs = evalAll((t) => [ax.tan(t), ax.arcsin(t), ax.arctan(t), ax.sinh(t), ax.arcsinh(t), ax.arctanh(t)], zeros);
    for (const out of outs) expect([Object.is(out.data[0], 0), Object.is(out.data[1], -0)]).toEqual([true, true]);
  });

  test('acos(1) and acosh(1) are +0', () => {
    const [c, h] = evalAll((t) => [ax.arccos(t), ax.arccosh(t)], ht([1], [1]));
    expect([Object.is(c.data[0], 0), Object.is(h.data[0], 0)]).toEqual([true, true]);
  });

  test('arctan2 of zeros and infinities takes the signs of both operands', () => {
    const y = ht([6], [0, -0, 0, -0, -0, -1]);
    const xs = ht([6], [0, 0, -0, -0, 5, Infinity]);
    const got = Array.from(eval1(ax.arctan2, y, xs).data);
    const want = [0, -0, Math.PI, -Math.PI, -0, -0];
    got.forEach((v, i) => expect(Object.is(v, want[i]), `arctan2(${y.data[i]}, ${xs.data[i]}) = ${v}`).toBe(true));
  });
});
