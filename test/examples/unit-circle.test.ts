import { beforeAll, describe, expect, test } from 'vitest';
import {
  fitLinearUnitCircle, linearLoss, mlpLoss, sgdChunk, sgdStep, type LinearParams,
} from '../../examples/unit-circle.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { scaledError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * The tutorial's unit-circle models (SEMANTICS.md 5.2, 5.3 c and d) on WebGPU, checked against
 * the float64 reference interpreter and the structural facts SEMANTICS states. SEMANTICS's
 * numbers for the linear model come from numpy's default_rng(0) data, which axonic's RNG does
 * not reproduce, so only the data-independent facts are asserted here.
 */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

/**
 * The least loss any map with two equal rows can reach on the points: f(x) = (a·x)(1, 1) has
 * ‖f(x)‖ = √2|a·x|; for a = r(cos φ, sin φ) the best r gives 1 − m₁²/m₂ with m_k = mean(t^k),
 * t = √2|(cos φ, sin φ)·x|, minimised here over a fine grid of φ.
 */
function rankOneFloor(x: readonly number[]): number {
  let best = Infinity;
  for (let s = 0; s < 100_000; s++) {
    const phi = (Math.PI * s) / 100_000;
    let m1 = 0;
    let m2 = 0;
    for (let c = 0; c < x.length; c += 2) {
      const t = Math.SQRT2 * Math.abs(Math.cos(phi) * x[c] + Math.sin(phi) * x[c + 1]);
      m1 += t;
      m2 += t * t;
    }
    best = Math.min(best, 1 - (m1 * m1) / (m2 * (x.length / 2)));
  }
  return best;
}

describe('linear unit-circle model (SEMANTICS 5.3 c)', () => {
  test('after 51 updates on WebGPU: equal rows of w exactly, b untouched, loss down only a little', async () => {
    const { losses, w, b, x } = await fitLinearUnitCircle(0, backend);
    expect(losses.length).toBe(52);
    expect(w[0]).toEqual(w[1]);
    expect(w[0][0]).not.toBe(0.5);
    expect(b).toEqual([0.5, 0.5]);
    const [first, last] = [losses[0], losses[51]];
    expect(last).toBeLessThan(first);
    // A rank-1 map cannot put the points on the circle: the loss stays above the rank-1 optimum.
    const floor = rankOneFloor(x);
    expect(last, `final loss ${last}, rank-1 floor ${floor}`).toBeGreaterThanOrEqual(floor - 1e-6);
    expect(last).toBeGreaterThan(0.5 * first);

    // The same 51 updates in float64 on the reference interpreter, from the same data.
    const xs = hostTensor('f32', [25, 2], x);
    const update = ax.trace(
      (theta: LinearParams, data: ax.Tensor) => ({ loss: linearLoss(theta, data), theta: sgdStep(linearLoss, 0.1)(theta, data) }),
      [hostTensor('f32', [2, 2]), hostTensor('f32', [2])],
      xs,
    );
    let theta: HostTensor[] = [hostTensor('f32', [2, 2], [0.5, 0.5, 0.5, 0.5]), hostTensor('f32', [2], [0.5, 0.5])];
    const refLosses: number[] = [];
    for (let epoch = 0; epoch <= 50; epoch++) {
      const [loss, wNext, bNext] = evaluate(update, [...theta, xs]);
      refLosses.push(loss.data[0]);
      theta = [wNext, bNext];
    }
    const [wRef, bRef] = theta.map((t) => [...t.data]);
    expect(wRef.slice(0, 2)).toEqual(wRef.slice(2));
    expect(bRef).toEqual([0.5, 0.5]);
    expect(scaledError(w.flat(), wRef)).toBeLessThan(1e-5);
    expect(scaledError(losses.slice(0, 51), refLosses)).toBeLessThan(1e-5);
  });

  test('the unused bias gets an exactly zero gradient from ax.grad of the tree [w, b]', () => {
    const xs = hostTensor('f32', [3, 2], [0.3, -1.2, 2, 0.7, -0.4, 0.1]);
    const g = ax.trace((theta: LinearParams, data: ax.Tensor) => ax.grad(linearLoss)(theta, data), [ax.spec('f32', [2, 2]), ax.spec('f32', [2])], ax.spec('f32', [3, 2]));
    const [gw, gb] = evaluate(g, [hostTensor('f32', [2, 2], [0.5, 0.5, 0.5, 0.5]), hostTensor('f32', [2], [0.5, 0.5]), xs]);
    expect([...gb.data]).toEqual([0, 0]);
    expect([...gw.data.slice(0, 2)]).toEqual([...gw.data.slice(2)]);
    expect(Math.abs(gw.data[0])).toBeGreaterThan(0);
  });
});

describe('MLP unit-circle model (SEMANTICS 5.3 d)', () => {
  test('a jitted chunk of updates (grad inside ax.loop) matches the reference interpreter', async () => {
    const r = (shape: number[], seed: number) =>
      hostTensor('f32', shape, Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 1.7));
    const theta: [HostTensor, HostTensor, HostTensor, HostTensor] = [r([64, 2], 1), hostTensor('f32', [64]), r([2, 64], 2), hostTensor('f32', [2])];
    const x = r([10, 2], 3);
    const chunk = sgdChunk(mlpLoss, 0.001, 3);
    const expected = evaluate(ax.trace(chunk, theta, x), [...theta, x]);
    const got = await ax.jit(chunk, { backend })(theta, x);
    const values = await ax.readAll([...got.theta, got.loss]);
    values.forEach((v, i) => expect(scaledError(v, expected[i].data), `output ${i}`).toBeLessThan(1e-4));
    expect(got.loss.onGpu).toBe(true);
  });
});
