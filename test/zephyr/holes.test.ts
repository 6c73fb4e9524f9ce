import { describe, expect, expectTypeOf, test } from 'vitest';
import * as ax from '../../src/index.ts';

const { _, flexible, PartialError, nets } = ax.zephyr;

const g4 = flexible((a: number, b: number, c: number, d: number) => a + b + c + d);
const g6 = flexible((a: number, b: number, c: number, d: number, e: number, f: number) => a + b + c + d + e + f);
const [a, b, c, d, e, f] = [1, 2, 4, 8, 16, 32];
const total = a + b + c + d + e + f;

interface Affine {
  offset?: number;
  scale?: number;
}
const g6kw = flexible((a: number, b: number, c: number, d: number, e: number, f: number, opts: Affine = {}) => {
  const { offset = 0, scale = 1 } = opts;
  return scale * (a + b + c + d + e + f) + offset;
});

describe('positional holes (SEMANTICS 2.7 j)', () => {
  test('g(_, −1, _, 3)(1, 2) = 5', () => {
    expect(g4(_, -1, _, 3)(1, 2)).toBe(5);
  });

  test('every pattern of holes, as upstream tests it', () => {
    expect(g4(1, -1, 2, 3)).toBe(5);
    expect(g4(_, -1, 2, 3)(1)).toBe(5);
    expect(g4(_, -1, _, 3)(1, 2)).toBe(5);
    expect(g4(_, -1, _, _)(1, 2, 3)).toBe(5);
    expect(g4(_, _, _, _)(1, -1, 2, 3)).toBe(5);
  });

  test('partials chain, and fillers may be holes again', () => {
    expect(g6(_, _, _, _, _, f)(a, b, c, d, e)).toBe(total);
    expect(g6(_, _, _, _, _, f)(_, b, _, _, _)(a, c, d, e)).toBe(total);
    expect(g6(_, _, _, _, _, f)(_, b, _, _, _)(a, _, _, e)(c, d)).toBe(total);
    expect(g6(_, _, _, _, _, f)(_, b, _, _, _)(a, _, _, e)(c, _)(d)).toBe(total);
  });

  test('a partial keeps the types of the holes it leaves', () => {
    // A partial is itself hole-aware (two call signatures), so its types are checked by calling it.
    const p = g4(_, -1, _, 3);
    expectTypeOf(p).toBeCallableWith(1, 2);
    expectTypeOf(p(1, 2)).toEqualTypeOf<number>();
    const layer = nets.linear(_, _, 256);
    const applyLayer = (params: ax.zephyr.Params, x: ax.Tensor) => layer(params, x);
    expectTypeOf(applyLayer).returns.toEqualTypeOf<ax.Tensor>();
    expectTypeOf(g6(_, _, _, _, _, f)(_, b, _, _, _)(a, _, _, e)(c, d)).toEqualTypeOf<number>();
    // A complete call gives the result, not a partial.
    expectTypeOf(g4(1, 2, 3, 4)).toEqualTypeOf<number>();
    const misuse = () => {
      // @ts-expect-error: the second parameter is a number
      g4(_, 'x', _, 3);
      // @ts-expect-error: the partial takes two numbers
      g4(_, -1, _, 3)('1', 2);
    };
    expect(typeof misuse).toBe('function');
  });

  test('a partial called with too few or too many fillers says so', () => {
    expect(() => (g4(_, -1, _, 3) as unknown as (x: number) => number)(1)).toThrow(PartialError);
    expect(() => (g4(_, -1, _, 3) as unknown as (...x: number[]) => number)(1, 2, 3)).toThrow(/2 hole filler/);
    expect(() => (g4 as unknown as (...x: number[]) => number)(1, 2, 3, 4, 5, 6)).toThrow(/takes 4 positional/);
  });

  test('flexible keeps the function name; _ prints as _', () => {
    expect(nets.linear.name).toBe('linear');
    expect(String(_)).toBe('_');
    expect(ax.zephyr.isHole(_)).toBe(true);
    expect(ax.zephyr.isHole(undefined)).toBe(false);
  });
});

describe('keyword holes: the options object (SEMANTICS 2.7 j)', () => {
  test('holes in the options object are filled by a later options object', () => {
    expect(g6kw(a, b, c, d, e, f)).toBe(total);
    expect(g6kw(a, b, c, d, e, f, { offset: _, scale: _ })({ offset: 0, scale: 1 })).toBe(total);
    expect(g6kw(a, b, c, d, e, f, { offset: _, scale: _ })({ offset: 0 })({ scale: 1 })).toBe(total);
    expect(g6kw(a, b, c, d, e, _)(f, { offset: _ })({ offset: 1, scale: _ })({ scale: 2 })).toBe(2 * total + 1);
  });

  test('later options override earlier ones; options may come with the last fillers', () => {
    expect(g6kw(a, b, c, d, e, _, { offset: 5 })(f, { offset: 1 })).toBe(total + 1);
    expect(g6kw(a, _, c, d, e, f)(b, { scale: 3 })).toBe(3 * total);
  });

  test('while a keyword hole is open the result is a partial, also in the types', () => {
    const open = g6kw(a, b, c, d, e, f, { offset: _ });
    expect(typeof open).toBe('function');
    expectTypeOf(open({ offset: 2 })).toEqualTypeOf<number>();
    expect(open({ offset: 2 })).toBe(total + 2);
    expectTypeOf(open({ scale: 2 })).not.toEqualTypeOf<number>();
    expect(open({ scale: 2 })({ offset: 1 })).toBe(2 * total + 1);
  });

  test('an argument after the fillers must be an options object', () => {
    expect(() => (g6kw(a, b, c, d, e, _) as unknown as (...x: number[]) => number)(f, 3)).toThrow(/options object/);
  });
});
