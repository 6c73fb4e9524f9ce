import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { erf } from '../../src/ir/ops/scalar-math.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { eval1, expectTensor, ht, randomValues } from './helpers.ts';

/**
 * The jax.nn activations written as composites (gelu in both forms, leakyRelu, elu, selu,
 * logSigmoid, hardTanh): values against closed forms in float64, gradients (ax.grad on the
 * reference) against central differences, the conventions at the kinks, and one WebGPU run.
 */

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const phi = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));

type Activation = (t: ax.Tensor) => ax.Tensor;

/** Each activation, its float64 closed form, and points away from its kinks. */
const ROWS: [string, Activation, (v: number) => number, number[]][] = [
  ['gelu (tanh form, the default)', (t) => ax.nn.gelu(t), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))), randomValues(41, 12, -5, 5)],
  ['gelu (exact)', (t) => ax.nn.gelu(t, { approximate: false }), (v) => v * phi(v), randomValues(42, 12, -5, 5)],
  ['leakyRelu', (t) => ax.nn.leakyRelu(t), (v) => (v >= 0 ? v : 0.01 * v), randomValues(43, 12, -3, 3)],
  ['leakyRelu, slope 0.2', (t) => ax.nn.leakyRelu(t, 0.2), (v) => (v >= 0 ? v : 0.2 * v), randomValues(44, 12, -3, 3)],
  ['elu', (t) => ax.nn.elu(t), (v) => (v > 0 ? v : Math.expm1(v)), randomValues(45, 12, -4, 3)],
  ['elu, alpha 2', (t) => ax.nn.elu(t, 2), (v) => (v > 0 ? v : 2 * Math.expm1(v)), randomValues(46, 12, -4, 3)],
  ['selu', ax.nn.selu, (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)), randomValues(47, 12, -4, 3)],
  // log(1 / (1 + e^-x)), with e^x taken out below 0 so that float64 does not overflow either.
  ['logSigmoid', ax.nn.logSigmoid, (v) => (v < 0 ? v - Math.log1p(Math.exp(v)) : -Math.log1p(Math.exp(-v))), randomValues(48, 12, -8, 8)],
  ['hardTanh', ax.nn.hardTanh, (v) => Math.min(1, Math.max(-1, v)), randomValues(49, 12, -3, 3)],
];
/** Points where the kinks are: the values there must follow the definitions too. */
const AWKWARD = [0, -0, 1, -1, 1e-10, -1e-10, 30, -30, 1000, -1000];

/** f'(x) elementwise: the gradient of sum(f(x)). */
const derivative = (f: Activation) => (t: ax.Tensor) => ax.grad((u: ax.Tensor) => ax.sum(f(u)))(t);

function centralDifference(f: Activation, xs: readonly number[]): number[] {
  const h = 1e-6;
  const at = (d: number) => Array.from(eval1(f, ht([xs.length], xs.map((v) => v + d))).data);
  const up = at(h);
  const down = at(-h);
  return up.map((u, i) => (u - down[i]) / (2 * h));
}

describe('activations against their closed forms', () => {
  test.each(ROWS)('%s', (_, f, ref, points) => {
    const xs = [...points, ...AWKWARD];
    expectTensor(eval1(f, ht([xs.length], xs)), 'f32', [xs.length], xs.map(ref), 1e-13);
  });

  test('known values: gelu(2) = 2 Phi(2), gelu(-1/2) = -Phi(-1/2) / 2, selu(1) = scale, selu(-inf) = -scale alpha', () => {
    // Phi(2) = 0.97724986805182079, Phi(-0.5) = 0.30853753872598690 (tables of the normal CDF).
    expectTensor(eval1((t) => ax.nn.gelu(t, { approximate: false }), ht([2], [2, -0.5])), 'f32', [2], [1.9544997361036416, -0.15426876936299345], 1e-15);
    expectTensor(eval1(ax.nn.selu, ht([2], [1, -Infinity])), 'f32', [2], [SELU_SCALE, -SELU_SCALE * SELU_ALPHA], 1e-15);
  });

  test('the tanh form of gelu stays within 1e-3 of the exact one', () => {
    const xs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
    const approx = eval1((t) => ax.nn.gelu(t), ht([121], xs)).data;
    const exact = eval1((t) => ax.nn.gelu(t, { approximate: false }), ht([121], xs)).data;
    expect(Math.max(...xs.map((_, i) => Math.abs(approx[i] - exact[i])))).toBeLessThan(1e-3);
  });

  test('logSigmoid neither overflows nor rounds to log(0); elu keeps the digits of tiny x', () => {
    expectTensor(eval1(ax.nn.logSigmoid, ht([3], [-1000, 1000, 0])), 'f32', [3], [-1000, 0, -Math.LN2], 1e-15);
    expectTensor(eval1(ax.nn.elu, ht([2], [-1e-10, -1e-30])), 'f32', [2], [-9.9999999995e-11, -1e-30], 1e-15);
  });

  test('NaN stays NaN; integers compute in f32', () => {
    for (const [, f] of ROWS) expect(eval1(f, ht([1], [NaN])).data[0]).toBeNaN();
    expectTensor(eval1(ax.nn.hardTanh, ht([3], [-2, 0, 5], 'i32')), 'f32', [3], [-1, 0, 1]);
    expectTensor(eval1(ax.nn.leakyRelu, ht([2], [-3, 3], 'i32')), 'f32', [2], [-0.03, 3], 1e-15);
  });

  test('top-level names are the ax.nn functions', () => {
    expect([ax.gelu, ax.leakyRelu, ax.elu, ax.selu, ax.logSigmoid, ax.hardTanh]).toEqual([
      ax.nn.gelu, ax.nn.leakyRelu, ax.nn.elu, ax.nn.selu, ax.nn.logSigmoid, ax.nn.hardTanh,
    ]);
  });
});

describe('activation gradients', () => {
  test.each(ROWS)('%s: against central differences', (_, f, _ref, points) => {
    const grad = Array.from(eval1(derivative(f), ht([points.length], points)).data);
    expect(maxRelError(grad, centralDifference(f, points))).toBeLessThan(1e-6);
  });

  test("gelu'' (exact) = phi(x) (2 - x^2): grad of grad", () => {
    const xs = randomValues(50, 8, -3, 3);
    const second = eval1(derivative(derivative((t) => ax.nn.gelu(t, { approximate: false }))), ht([8], xs));
    const density = (v: number) => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
    expectTensor(second, 'f32', [8], xs.map((v) => density(v) * (2 - v * v)), 1e-12);
  });

  test("at the kinks, JAX's conventions: leakyRelu'(0) = 1, elu'(0) = alpha, hardTanh'(±1) = 1", () => {
    const at = (f: Activation, xs: number[]) => Array.from(eval1(derivative(f), ht([xs.length], xs)).data);
    expect(at(ax.nn.leakyRelu, [0, -1])).toEqual([1, 0.01]);
    expect(at((t) => ax.nn.elu(t, 2), [0])).toEqual([2]);
    expect(at(ax.nn.hardTanh, [-1, 1, 1.5, -1.5])).toEqual([1, 1, 0, 0]);
  });

  test('elu has a finite gradient where e^x would overflow in the unused branch', () => {
    expect(Array.from(eval1(derivative(ax.nn.elu), ht([2], [1000, -1000])).data)).toEqual([1, 0]);
  });
});

describe('activations on WebGPU', () => {
  test('all of them in one program match the reference', async () => {
    const backend = await gpuBackend();
    const fs = ROWS.map((r) => r[1]);
    const all = (t: ax.Tensor) => fs.map((f) => f(t));
    const xs = [...randomValues(51, 53, -6, 6), ...AWKWARD, 88, -88].map(Math.fround);
    const input = ht([xs.length], xs);
    const gpu = (await ax.jit(all, { backend })(input)) as ax.DeviceArray[];
    const ref = evaluate(ax.trace(all, input), [input]);
    for (let k = 0; k < fs.length; k++) {
      const err = maxRelError(await gpu[k].data(), ref[k].data);
      expect(err, `${ROWS[k][0]}: max relative error ${err}`).toBeLessThan(1e-5);
    }
  });
});
