import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { threefry2x32 } from '../../src/ir/ops/scalar-math.ts';
import { evalAll, expectTensor, ht } from './helpers.ts';

const run0 = (fn: () => ax.Tree<ax.Tensor>) => evaluate(ax.trace(fn), []);

describe('array creation', () => {
  test('zeros, ones, full, and the *Like forms', () => {
    const [z, o, f, fi] = run0(() => [ax.zeros([2, 3]), ax.ones([2], 'i32'), ax.full([2, 2], 7.5), ax.full([1], 3)]);
    expectTensor(z, 'f32', [2, 3], [0, 0, 0, 0, 0, 0]);
    expectTensor(o, 'i32', [2], [1, 1]);
    expectTensor(f, 'f32', [2, 2], [7.5, 7.5, 7.5, 7.5]);
    expectTensor(fi, 'i32', [1], [3]);
    const t = ht([2], [5, 6], 'u32');
    const [zl, ol, olf] = evalAll((s) => [ax.zerosLike(s), ax.onesLike(s), ax.onesLike(s, 'f32')], t);
    expectTensor(zl, 'u32', [2], [0, 0]);
    expectTensor(ol, 'u32', [2], [1, 1]);
    expectTensor(olf, 'f32', [2], [1, 1]);
  });

  test('zeros over a symbolic shape takes the bound size', () => {
    const g = ax.trace((x: ax.Tensor) => x.add(ax.zerosLike(x)).add(ax.ones(['N', 2])), ax.spec('f32', ['N', 2]));
    const [out] = evaluate(g, [ht([3, 2], [1, 2, 3, 4, 5, 6])]);
    expectTensor(out, 'f32', [3, 2], [2, 3, 4, 5, 6, 7]);
  });

  test('arange, linspace, iota, eye', () => {
    const [a, b, c, l, i2, e] = run0(() => [
      ax.arange(4),
      ax.arange(2, 8, 3),
      ax.arange(0, 1, 0.25),
      ax.linspace(-2, 2, 5),
      ax.iota('i32', [2, 3], 1),
      ax.eye(2, 3),
    ]);
    expectTensor(a, 'i32', [4], [0, 1, 2, 3]);
    expectTensor(b, 'i32', [2], [2, 5]);
    expectTensor(c, 'f32', [4], [0, 0.25, 0.5, 0.75]);
    expectTensor(l, 'f32', [5], [-2, -1, 0, 1, 2]);
    expectTensor(i2, 'i32', [2, 3], [0, 1, 2, 0, 1, 2]);
    expectTensor(e, 'f32', [2, 3], [1, 0, 0, 0, 1, 0]);
  });

  test('concrete arrays in a traced function become constants', () => {
    const table = ax.array(new Int32Array([10, 20, 30]), [3]);
    const g = ax.trace((x: ax.Tensor) => x.add(table).add(table), ax.spec('i32', [3]));
    const constants = g.nodes.filter((n) => n.op === 'constant');
    expect(constants).toHaveLength(1);
    expect(constants[0].attrs).toEqual({ shape: [3], dtype: 'i32', value: [10, 20, 30] });
    expectTensor(evaluate(g, [ht([3], [1, 2, 3], 'i32')])[0], 'i32', [3], [21, 42, 63]);
  });
});

describe('ax.array', () => {
  test('dtype from typed arrays, f32 for numbers, bool for booleans; shape from nesting', async () => {
    expect(ax.array(new Float32Array(4), [2, 2]).dtype).toBe('f32');
    expect(ax.array(new Int32Array(2)).dtype).toBe('i32');
    expect(ax.array(new Uint32Array(2)).dtype).toBe('u32');
    const nested = ax.array([[1, 2, 3], [4, 5, 6]]);
    expect([nested.dtype, ...nested.shape]).toEqual(['f32', 2, 3]);
    expect(Array.from(await nested.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const flags = ax.array([true, false]);
    expect(flags.dtype).toBe('bool');
    expect(Array.from(await flags.data())).toEqual([1, 0]);
    expect(ax.array(2.5).shape).toEqual([]);
    expect(Array.from(await ax.array([1.5, 2.5], [2], 'i32').data())).toEqual([1, 2]);
  });

  test('wrong element counts are InputErrors', () => {
    expect(() => ax.array([1, 2, 3], [2, 2])).toThrow(ax.InputError);
  });
});

describe('ax.random', () => {
  test('key(seed) is u32[2] = [high, low]', () => {
    expect(Array.from(ax.random.key(5).data)).toEqual([0, 5]);
    expect(Array.from(ax.random.key(2 ** 32 + 7).data)).toEqual([1, 7]);
    expect(() => ax.random.key(-1)).toThrow(ax.InputError);
  });

  test('bits: element i is word 0 of Threefry-2x32(key, (i, 0)); Random123 known answer for key 0', () => {
    const [b] = run0(() => ax.random.bits(ax.random.key(0), [2, 3]));
    expect(b.data[0]).toBe(0x6b200159);
    expectTensor(b, 'u32', [2, 3], [0, 1, 2, 3, 4, 5].map((i) => threefry2x32(0, 0, i, 0)[0]));
  });

  test('uniform = (bits >> 8) * 2^-24, scaled to [min, max)', () => {
    const k = ax.random.key(42);
    const [b, u, s] = run0(() => [ax.random.bits(k, [1000]), ax.random.uniform(k, [1000]), ax.random.uniform(k, [1000], { min: -2, max: 6 })]);
    const expected = Array.from(b.data, (v) => (v >>> 8) * 2 ** -24);
    expectTensor(u, 'f32', [1000], expected, 0);
    expectTensor(s, 'f32', [1000], expected.map((v) => -2 + 8 * v), 1e-15);
    const mean = expected.reduce((p, q) => p + q, 0) / 1000;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(Math.min(...expected)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...expected)).toBeLessThan(1);
  });

  test('normal is Box–Muller over two halves of one draw, with mean 0 and variance 1', () => {
    const k = ax.random.key(7);
    const n = 4000;
    const [b, z] = run0(() => [ax.random.bits(k, [2, n]), ax.random.normal(k, [n])]);
    const expected = Array.from({ length: n }, (_, i) => {
      const u1 = ((b.data[i] >>> 8) + 1) * 2 ** -24;
      const u2 = (b.data[n + i] >>> 8) * 2 ** -24;
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    });
    expectTensor(z, 'f32', [n], expected, 1e-12);
    const mean = expected.reduce((p, q) => p + q, 0) / n;
    const variance = expected.reduce((p, q) => p + (q - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - 1)).toBeLessThan(0.08);
  });

  test('split gives distinct keys and draws from them differ', () => {
    const [keys, a, b] = run0(() => {
      const [k1, k2] = ax.random.split(ax.random.key(0));
      return [ax.random.split(ax.random.key(0), 3), ax.random.uniform(k1, [4]), ax.random.uniform(k2, [4])];
    });
    expect(keys.dtype).toBe('u32');
    expect(keys.shape).toEqual([3, 2]);
    expectTensor(keys, 'u32', [3, 2], [0, 1, 2, 3, 4, 5].map((i) => threefry2x32(0, 0, i, 0)[0]));
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
  });

  test('random shapes may be symbolic', () => {
    const g = ax.trace((x: ax.Tensor, k: ax.Tensor) => x.add(ax.random.normal(k, ['N', 3])), ax.spec('f32', ['N', 3]), ax.spec('u32', [2]));
    const [out] = evaluate(g, [ht([2, 3], [0, 0, 0, 0, 0, 0]), ax.random.key(1)]);
    expect(out.shape).toEqual([2, 3]);
    expect(out.data.every(Number.isFinite)).toBe(true);
  });

  test('bernoulli is uniform < p', () => {
    const k = ax.random.key(3);
    const [u, b] = run0(() => [ax.random.uniform(k, [50]), ax.random.bernoulli(k, 0.3, [50])]);
    expectTensor(b, 'bool', [50], Array.from(u.data, (v) => +(v < 0.3)));
  });
});
