import { describe, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { erf as erfRef } from '../../src/ir/ops/scalar-math.ts';
import { eval1, evalAll, expectTensor, ht, randomTensor } from './helpers.ts';

const x = randomTensor(1, [3, 4], -2, 2);
const positive = randomTensor(2, [3, 4], 0.1, 3);
const logistic = (v: number) => 1 / (1 + Math.exp(-v));

describe('unary functions against Math', () => {
  const cases: [string, (t: ax.Tensor) => ax.Tensor, (v: number) => number, typeof x][] = [
    ['exp', ax.exp, Math.exp, x],
    ['log', ax.log, Math.log, positive],
    ['log1p', ax.log1p, Math.log1p, positive],
    ['expm1', ax.expm1, Math.expm1, x],
    ['sqrt', ax.sqrt, Math.sqrt, positive],
    ['rsqrt', ax.rsqrt, (v) => 1 / Math.sqrt(v), positive],
    ['square', ax.square, (v) => v * v, x],
    ['reciprocal', ax.reciprocal, (v) => 1 / v, positive],
    ['sin', ax.sin, Math.sin, x],
    ['cos', ax.cos, Math.cos, x],
    ['tanh', ax.tanh, Math.tanh, x],
    ['sigmoid', ax.sigmoid, logistic, x],
    ['nn.sigmoid', ax.nn.sigmoid, logistic, x],
    ['erf', ax.erf, erfRef, x],
    ['floor', ax.floor, Math.floor, x],
    ['ceil', ax.ceil, Math.ceil, x],
    ['negative', ax.negative, (v) => -v, x],
    ['abs', ax.abs, Math.abs, x],
    ['sign', ax.sign, Math.sign, x],
    ['relu', ax.relu, (v) => Math.max(v, 0), x],
    ['nn.relu', ax.nn.relu, (v) => Math.max(v, 0), x],
    ['nn.softplus', ax.nn.softplus, (v) => Math.log(1 + Math.exp(v)), x],
    ['nn.silu', ax.nn.silu, (v) => v * logistic(v), x],
    ['method exp', (t) => t.exp(), Math.exp, x],
    ['method tanh', (t) => t.tanh(), Math.tanh, x],
    ['method neg', (t) => t.neg(), (v) => -v, x],
  ];
  test.each(cases)('%s', (_, f, ref, input) => {
    expectTensor(eval1(f, input), 'f32', [3, 4], Array.from(input.data, ref), 1e-13);
  });

  test('round is half to even', () => {
    const t = ht([6], [0.5, 1.5, 2.5, -0.5, -1.5, 2.4]);
    expectTensor(eval1(ax.round, t), 'f32', [6], [0, 2, 2, -0, -2, 2]);
  });

  test('transcendental functions of integers compute in f32', () => {
    const i = ht([3], [0, 1, 2], 'i32');
    expectTensor(eval1(ax.exp, i), 'f32', [3], [1, Math.E, Math.exp(2)]);
    expectTensor(eval1(ax.floor, i), 'i32', [3], [0, 1, 2]);
  });

  test('softplus is stable for large |x|', () => {
    expectTensor(eval1(ax.nn.softplus, ht([3], [1000, -1000, 0])), 'f32', [3], [1000, 0, Math.LN2]);
  });

  test('isnan, isfinite, isinf', () => {
    const t = ht([4], [1, NaN, Infinity, -Infinity]);
    const [a, b, c] = evalAll((v) => [ax.isnan(v), ax.isfinite(v), ax.isinf(v)], t);
    expectTensor(a, 'bool', [4], [0, 1, 0, 0]);
    expectTensor(b, 'bool', [4], [1, 0, 0, 0]);
    expectTensor(c, 'bool', [4], [0, 0, 1, 1]);
  });

  test('abs, sign and negative of u32', () => {
    const u = ht([3], [0, 5, 7], 'u32');
    const [a, s, n] = evalAll((v) => [ax.abs(v), ax.sign(v), ax.negative(v)], u);
    expectTensor(a, 'u32', [3], [0, 5, 7]);
    expectTensor(s, 'u32', [3], [0, 1, 1]);
    expectTensor(n, 'u32', [3], [0, 2 ** 32 - 5, 2 ** 32 - 7]);
  });
});

describe('binary functions with broadcasting', () => {
  const a = randomTensor(3, [2, 3], -3, 3);
  const b = randomTensor(4, [3], 0.5, 2);
  const pairwise = (f: (p: number, q: number) => number) => Array.from(a.data, (v, i) => f(v, b.data[i % 3]));
  const cases: [string, (p: ax.Tensor, q: ax.Tensor) => ax.Tensor, (p: number, q: number) => number][] = [
    ['add', ax.add, (p, q) => p + q],
    ['subtract', ax.subtract, (p, q) => p - q],
    ['multiply', ax.multiply, (p, q) => p * q],
    ['divide', ax.divide, (p, q) => p / q],
    ['maximum', ax.maximum, Math.max],
    ['minimum', ax.minimum, Math.min],
    ['mod (floored)', ax.mod, (p, q) => p - Math.floor(p / q) * q],
    ['fmod (truncated)', ax.fmod, (p, q) => p % q],
    ['floorDivide', ax.floorDivide, (p, q) => Math.floor(p / q)],
    ['power (tensor exponent)', (p, q) => ax.power(ax.abs(p), q), (p, q) => Math.abs(p) ** q],
    ['method add', (p, q) => p.add(q), (p, q) => p + q],
    ['method sub', (p, q) => p.sub(q), (p, q) => p - q],
    ['method mul', (p, q) => p.mul(q), (p, q) => p * q],
    ['method div', (p, q) => p.div(q), (p, q) => p / q],
  ];
  test.each(cases)('%s', (_, f, ref) => {
    expectTensor(eval1(f, a, b), 'f32', [2, 3], pairwise(ref), 1e-13);
  });

  test('comparisons give bool', () => {
    const p = ht([4], [1, 2, 3, 4]);
    const q = ht([4], [2, 2, 2, 2]);
    const outs = evalAll((s, t) => [ax.equal(s, t), ax.notEqual(s, t), ax.less(s, t), ax.lessEqual(s, t), ax.greater(s, t), ax.greaterEqual(s, t)], p, q);
    const expected = [[0, 1, 0, 0], [1, 0, 1, 1], [1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 1, 1, 1]];
    outs.forEach((o, i) => expectTensor(o, 'bool', [4], expected[i]));
  });

  test('integer mod and floorDivide floor toward -inf', () => {
    const p = ht([4], [7, -7, 7, -7], 'i32');
    const q = ht([4], [3, 3, -3, -3], 'i32');
    const [m, d] = evalAll((s, t) => [ax.mod(s, t), ax.floorDivide(s, t)], p, q);
    expectTensor(m, 'i32', [4], [1, 2, -2, -1]);
    expectTensor(d, 'i32', [4], [2, -3, -3, 2]);
  });

  test('integer powers multiply (negative bases work, integers stay integers)', () => {
    const p = ht([3], [-2, 3, 0.5]);
    const [sq, cube, inv, zero] = evalAll((s) => [s.pow(2), ax.power(s, 3), ax.power(s, -2), ax.power(s, 0)], p);
    expectTensor(sq, 'f32', [3], [4, 9, 0.25]);
    expectTensor(cube, 'f32', [3], [-8, 27, 0.125]);
    expectTensor(inv, 'f32', [3], [0.25, 1 / 9, 4]);
    expectTensor(zero, 'f32', [3], [1, 1, 1]);
    expectTensor(eval1((s) => s.pow(5), ht([2], [-2, 3], 'i32')), 'i32', [2], [-32, 243]);
    expectTensor(eval1((s) => ax.power(s, 0.5), ht([2], [4, 9])), 'f32', [2], [2, 3]);
  });

  test('logical functions treat nonzero as true', () => {
    const p = ht([4], [0, 0, 2, -1]);
    const q = ht([4], [0, 3, 0, 1], 'i32');
    const [and, or, xor, not] = evalAll((s, t) => [ax.logicalAnd(s, t), ax.logicalOr(s, t), ax.logicalXor(s, t), ax.logicalNot(s)], p, q);
    expectTensor(and, 'bool', [4], [0, 0, 0, 1]);
    expectTensor(or, 'bool', [4], [0, 1, 1, 1]);
    expectTensor(xor, 'bool', [4], [0, 1, 1, 0]);
    expectTensor(not, 'bool', [4], [1, 1, 0, 0]);
  });

  test('where broadcasts predicate and branches', () => {
    const p = ht([2, 1], [1, 0], 'bool');
    const out = eval1((s, t) => ax.where(s, t, -1), p, ht([3], [1, 2, 3]));
    expectTensor(out, 'f32', [2, 3], [1, 2, 3, -1, -1, -1]);
  });

  test('clip with one or both bounds', () => {
    const t = ht([5], [-3, -1, 0, 1, 3]);
    const [both, lo, hi, method] = evalAll((s) => [ax.clip(s, -1, 2), ax.clip(s, 0), ax.clip(s, null, 0), s.clip(-2, 2)], t);
    expectTensor(both, 'f32', [5], [-1, -1, 0, 1, 2]);
    expectTensor(lo, 'f32', [5], [0, 0, 0, 1, 3]);
    expectTensor(hi, 'f32', [5], [-3, -1, 0, 0, 0]);
    expectTensor(method, 'f32', [5], [-2, -1, 0, 1, 2]);
  });

  test('astype truncates toward zero and saturates', () => {
    const t = ht([4], [1.7, -1.7, 3e10, -3e10]);
    expectTensor(eval1((s) => s.astype('i32'), t), 'i32', [4], [1, -1, 2147483520, -2147483648]); // WGSL saturates at the largest f32 below 2^31
    expectTensor(eval1((s) => ax.astype(s, 'bool'), ht([3], [0, 2, -0.5])), 'bool', [3], [0, 1, 1]);
  });

  test('bitwise functions and shifts on integers', () => {
    const p = ht([3], [12, 10, 0xf0], 'u32');
    const q = ht([3], [10, 6, 4], 'u32');
    const [and, or, xor, shl, shr] = evalAll(
      (s, t) => [ax.bitwiseAnd(s, t), ax.bitwiseOr(s, t), ax.bitwiseXor(s, t), ax.leftShift(s, t), ax.rightShift(s, t)],
      p,
      q,
    );
    expectTensor(and, 'u32', [3], [8, 2, 0]);
    expectTensor(or, 'u32', [3], [14, 14, 0xf4]);
    expectTensor(xor, 'u32', [3], [6, 12, 0xf4]);
    expectTensor(shl, 'u32', [3], [12 << 10, 10 << 6, 0xf00]);
    expectTensor(shr, 'u32', [3], [0, 0, 0xf]);
  });
});
