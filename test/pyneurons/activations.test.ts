import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { runReference, values } from '../helpers/run-reference.ts';

const pn = ax.pyneurons;
const X = ax.array([-1, 0, 0.5, 2]);

/** Forward values and the VJP at cotangent 1 of a unary function, on the reference interpreter. */
function valueAndVjp(f: (x: ax.Tensor) => ax.Tensor, x: ax.DeviceArray = X): { y: number[]; vjp: number[] } {
  const [y, xbar] = runReference((t: ax.Tensor) => {
    const [out, back] = ax.vjp(f, t);
    return [out, (back(ax.onesLike(out as ax.Tensor)) as ax.Tensor[])[0]];
  }, x);
  return { y: values(y), vjp: values(xbar) };
}

describe('activations and their VJPs (SEMANTICS 1.10 a)', () => {
  test('binary is the Heaviside step with H(0) = 1 and a straight-through VJP', () => {
    expect(valueAndVjp(pn.binary)).toEqual({ y: [0, 1, 1, 1], vjp: [1, 1, 1, 1] });
  });

  test('binary keeps NaN', () => {
    expect(valueAndVjp(pn.binary, ax.array([NaN])).y[0]).toBeNaN();
  });

  test('relu: max(x, 0), VJP all ones (no dead units)', () => {
    expect(valueAndVjp(pn.relu)).toEqual({ y: [0, 0, 0.5, 2], vjp: [1, 1, 1, 1] });
  });

  test('relu1 clips to [0, 1], VJP all ones; relun(3)(4) = 3', () => {
    expect(valueAndVjp(pn.relu1)).toEqual({ y: [0, 0, 0.5, 1], vjp: [1, 1, 1, 1] });
    expect(valueAndVjp(pn.relun(3), ax.array([4])).y).toEqual([3]);
  });

  test('vector = binary + relu1 with VJP ȳ, not 2ȳ', () => {
    expect(valueAndVjp(pn.vector)).toEqual({ y: [0, 1, 1.5, 2], vjp: [1, 1, 1, 1] });
  });

  test('abs has the sign VJP, 0 at 0', () => {
    expect(valueAndVjp(pn.abs)).toEqual({ y: [1, 0, 0.5, 2], vjp: [-1, 0, 1, 1] });
  });

  test('the identity function has its ordinary VJP', () => {
    expect(valueAndVjp(pn.identity)).toEqual({ y: [-1, 0, 0.5, 2], vjp: [1, 1, 1, 1] });
  });

  test('the VJP decorators wrap any unary function: identity passes ȳ, sign multiplies by sign(x)', () => {
    const cube = (x: ax.Tensor) => x.mul(x).mul(x);
    const ct = ax.array([3, 5, 7, 11]);
    const run = (f: (x: ax.Operand) => ax.Tensor) =>
      runReference((t: ax.Tensor, c: ax.Tensor) => {
        const [out, back] = ax.vjp(f, t);
        return [out, (back(c) as ax.Tensor[])[0]];
      }, X, ct).map(values);
    const cubes = [-1, 0, 0.125, 8];
    expect(run(pn.vjp.identity(cube))).toEqual([cubes, [3, 5, 7, 11]]);
    expect(run(pn.vjp.sign(cube))).toEqual([cubes, [-3, 0, 7, 11]]);
  });
});

describe('losses (SEMANTICS 1.10 b, 1.6)', () => {
  test('mae([0, 1], [0.5, 0.5]) = 0.5 with ∂/∂ŷ = [0.5, −0.5]', () => {
    const [value, grad] = runReference(
      (y: ax.Tensor, yhat: ax.Tensor) => ax.valueAndGrad((h: ax.Tensor) => pn.mae(y, h))(yhat),
      ax.array([0, 1]),
      ax.array([0.5, 0.5]),
    );
    expect(values(value)).toEqual([0.5]);
    expect(values(grad)).toEqual([0.5, -0.5]);
  });

  test('mae has zero gradient at an exact fit (D-PN-5)', () => {
    const grad = runReference((y: ax.Tensor, yhat: ax.Tensor) => ax.grad((h: ax.Tensor) => pn.mae(y, h))(yhat), ax.array([1, 2]), ax.array([1, 2]));
    // −sign(0)/N is −0: compare as numbers.
    expect(values(grad).map((g) => g + 0)).toEqual([0, 0]);
  });

  test('mse is the mean of squared residuals, with the ordinary gradient 2(ŷ − y)/N', () => {
    const [value, grad] = runReference(
      (y: ax.Tensor, yhat: ax.Tensor) => ax.valueAndGrad((h: ax.Tensor) => pn.mse(y, h))(yhat),
      ax.array([0, 1, 3]),
      ax.array([0.5, 0.5, 1]),
    );
    expect(values(value)[0]).toBeCloseTo((0.25 + 0.25 + 4) / 3, 12);
    const expected = [0.5, -0.5, -2].map((r) => (2 * r) / 3);
    values(grad).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 12));
  });

  test('gd(lr, w, g) = w − lr·g', () => {
    expect(values(runReference((w: ax.Tensor, g: ax.Tensor) => pn.gd(0.5, w, g), ax.array([1, 2]), ax.array([4, -2])))).toEqual([-1, 3]);
  });
});
