import { beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { AFTER_STEP_1, AFTER_STEP_100, FIRST_SOLVED_STEP, XOR, xorStart, xorX, xorY, type XorModel } from './xor.ts';

/**
 * The seed's XOR example on WebGPU (float32); fails without an adapter. One jitted program runs
 * all 100 fit steps in an ax.loop and reports the step after which the output first equals XOR,
 * the last step after which it does not, and the weights after step 1; it serves the explicit
 * start and the random starts alike (one compilation: lavapipe compiles shaders slowly).
 */
const pn = ax.pyneurons;
let backend: GpuBackend;
beforeAll(async () => {
  backend = await gpuBackend();
});

const trainXor = (start: XorModel, x: ax.Tensor, y: ax.Tensor) => {
  const zero = ax.zeros([], 'i32');
  const init = { model: start, afterStep1: start, firstSolved: zero, lastUnsolved: zero };
  const final = ax.loop(
    100,
    (s, i) => {
      const next = pn.fit(0.1, s.model, x, y);
      const solved = ax.all(ax.equal(next(x), y));
      const step = i.add(1);
      return {
        model: next,
        afterStep1: ax.treeMap((kept: ax.Tensor, fresh: ax.Tensor) => ax.where(i.eq(0), fresh, kept), s.afterStep1, next) as XorModel,
        firstSolved: ax.where(solved.and(s.firstSolved.eq(0)), step, s.firstSolved),
        lastUnsolved: ax.where(solved, s.lastUnsolved, step),
      };
    },
    init,
  );
  return { ...final, out: final.model(x) };
};

async function leafValues(model: ax.Tree): Promise<number[][]> {
  return (await ax.readAll(ax.treeLeaves(model) as ax.DeviceArray[])).map((a) => Array.from(a));
}

function expectWeights(actual: number[][], expected: number[][], what: string): void {
  actual.forEach((leaf, i) => leaf.forEach((v, j) => expect(Math.abs(v - expected[i][j]), `${what}, leaf ${i}[${j}]: ${v}`).toBeLessThan(1e-5)));
}

/**
 * `count` starts from upstream's initial distribution: w ~ N(φ, 0.01), b ~ N(−φ, 0.01), all draws
 * independent (not D-PN-1's create). One host draw per parameter, sliced per start.
 */
function upstreamStarts(count: number): XorModel[] {
  const draw = (seed: number, draws: (key: ax.Operand, shape: number[]) => ax.pyneurons.Param, shape: number[]) => {
    const all = draws(ax.random.key(seed), [count, ...shape]) as ax.HostTensor;
    const size = shape.reduce((a, b) => a * b, 1);
    return Array.from({ length: count }, (_, i) => ax.array(all.data.subarray(i * size, (i + 1) * size), shape));
  };
  const [wa, ba, wb, bb] = [draw(1, pn.weight, [2, 1]), draw(2, pn.bias, [1, 1]), draw(3, pn.weight, [3, 1]), draw(4, pn.bias, [1, 1])];
  return wa.map((_, i) => XOR.of([pn.Binary.of([wa[i], ba[i]]), pn.Binary.of([wb[i], bb[i]])]));
}

describe('XOR (SEMANTICS 1.10 e) on WebGPU', () => {
  const train = ax.jit(trainXor, { backend: gpuBackend() });

  test('from the explicit start it first equals XOR after 93 steps and stays there', async () => {
    const r = await train(xorStart(), xorX, xorY);
    const [firstSolved, lastUnsolved, out] = await ax.readAll([r.firstSolved, r.lastUnsolved, r.out]);
    expect(firstSolved[0]).toBe(FIRST_SOLVED_STEP);
    expect(lastUnsolved[0]).toBe(FIRST_SOLVED_STEP - 1);
    expect(Array.from(out)).toEqual([0, 1, 1, 0]);
    expect(r.model).toBeInstanceOf(XOR);
    expectWeights(await leafValues(r.afterStep1), AFTER_STEP_1, 'after step 1');
    expectWeights(await leafValues(r.model), AFTER_STEP_100, 'after step 100');
    expect(ax.describeBackend(backend)).toMatch(/^WebGPU/);
  });

  test('from random starts, about one seed in six solves XOR within 100 steps', async () => {
    // Only the output: the same fit kernels as above (shared pipelines), fewer per step.
    const outputAfter100 = ax.jit((start: XorModel, x: ax.Tensor, y: ax.Tensor) => ax.loop(100, (m) => pn.fit(0.1, m, x, y), start)(x), {
      backend,
    });
    const runs = [];
    for (const start of upstreamStarts(100)) runs.push(await outputAfter100(start, xorX, xorY));
    const solved = (await ax.readAll(runs)).filter((o) => Array.from(o).join() === '0,1,1,0').length;
    console.log(`XOR from 100 random starts: ${solved} solved within 100 steps`);
    // Measured on lavapipe (2026-11-23): 21 of these 100 starts (the same with and without the
    // simplify pass); SEMANTICS' float64 simulation gives ≈15% of 2000. Which starts solve turns
    // on rounding at zero crossings, so float32 and float64 counts may differ.
    // The band only rules out a broken trainer (0%) or a different problem (most starts solving).
    expect(solved).toBeGreaterThanOrEqual(3);
    expect(solved).toBeLessThanOrEqual(40);
    expect(outputAfter100.compileCount).toBe(1);
  });
});

describe('the seed regression example (SEMANTICS 1.10 d) on WebGPU, in float32', () => {
  test('first step w = φ + 0.025, b = −φ + 0.01; after 1000 steps MAE < 0.06', async () => {
    type NeuronModel = InstanceType<typeof pn.Neuron>;
    const start = pn.Neuron.of([ax.array([[pn.PHI]]), ax.array([[-pn.PHI]])]);
    const x = ax.array([[1], [2], [3], [4]]);
    const y = ax.array([[2], [4], [6], [8]]);
    const run = ax.jit(
      (m: NeuronModel, xs: ax.Tensor, ys: ax.Tensor) => {
        const once = pn.fit(0.01, m, xs, ys);
        const trained = ax.loop(999, (s) => pn.fit(0.01, s, xs, ys), once);
        return { once, trained, mae: pn.mae(ys, trained(xs)) };
      },
      { backend },
    );
    const r = await run(start, x, y);
    const [w1, b1, w, b, mae] = await ax.readAll([...(ax.treeLeaves(r.once) as unknown as ax.DeviceArray[]), ...(ax.treeLeaves(r.trained) as unknown as ax.DeviceArray[]), r.mae]);
    expect(Math.abs(w1[0] - (pn.PHI + 0.025))).toBeLessThan(1e-6);
    expect(Math.abs(b1[0] - (-pn.PHI + 0.01))).toBeLessThan(1e-6);
    console.log(`1.10 d on WebGPU (float32): w = ${w[0]}, b = ${b[0]}, MAE ${mae[0]} (SEMANTICS float32: 2.03307, −0.0330354, 0.0496298)`);
    expect(mae[0]).toBeLessThan(0.06);
  });
});
