import { describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, walkNodes, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { evalAll, ht, randomTensor } from '../builder/helpers.ts';
import { isSmooth, TABLE_CASES } from '../surrogate/cases.ts';

type T = ax.Tensor;
const BETA = 0.9;
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

/** The LIF recurrence in plain JS (SEMANTICS 4.5's H with H(0) = 1): spikes and membrane per step. */
function simulate(I: HostTensor, reset: ax.spiking.Reset, theta = 1, beta = BETA, u0 = 0) {
  const n = I.data.length / I.shape[0];
  let u = Array<number>(n).fill(u0);
  let s = Array<number>(n).fill(0);
  const spikes: number[] = [];
  const membrane: number[] = [];
  for (let t = 0; t < I.shape[0]; t++) {
    u = u.map((v, i) => {
      const x = I.data[t * n + i];
      if (reset === 'subtract') return beta * v + x - theta * s[i];
      if (reset === 'zero') return beta * v * (1 - s[i]) + x;
      return beta * v + x;
    });
    s = u.map((v) => (v - theta >= 0 ? 1 : 0));
    spikes.push(...s);
    membrane.push(...u);
  }
  return { spikes, membrane };
}

describe('ax.spiking.lif', () => {
  const I = randomTensor(1, [12, 2, 3], 0, 0.8);

  for (const reset of ['subtract', 'zero', 'none'] as const)
    it(`steps the membrane as the recurrence says (reset '${reset}')`, () => {
      const [spikes, membrane] = evalAll((x) => {
        const r = ax.spiking.lif(x, { reset, threshold: 1.2, u0: 0.5 });
        return [r.spikes, r.membrane];
      }, I);
      const want = simulate(I, reset, 1.2, BETA, 0.5);
      expect([...spikes.shape]).toEqual([12, 2, 3]);
      expect(maxAbsDiff(membrane.data, want.membrane)).toBeLessThan(1e-12);
      expect([...spikes.data]).toEqual(want.spikes);
      expect(want.spikes.filter(Boolean).length, 'some neurons fire, some do not').toBeGreaterThan(3);
    });

  it('takes β as a tensor and is one scan primitive', () => {
    const g = ax.trace((x: T, beta: T) => ax.spiking.lif(x, { beta }).membrane, I, ht([], [0.5]));
    expect(g.nodes.filter((n) => n.op === 'scan').length).toBe(1);
    expect(maxAbsDiff(evaluate(g, [I, ht([], [0.5])])[0].data, simulate(I, 'subtract', 1, 0.5).membrane)).toBeLessThan(1e-12);
  });

  it('refuses a scalar current and an unknown reset', () => {
    expect(() => ax.trace((x: T) => ax.spiking.lif(x).spikes, ax.spec('f32', []))).toThrow(/a sequence \[T, \.\.\.\] with time first/);
    expect(() => ax.trace((x: T) => ax.spiking.lif(x, { reset: 'hard' as never }).spikes, I)).toThrow(/one of subtract, zero, none/);
  });
});

/**
 * Two steps, three neurons, centred potentials x₀ = u₀ − θ and x₁ = u₁ − θ chosen away from every
 * surrogate's kinks; L = Σ s₁. Backpropagation through time in closed form, with g the surrogate:
 *   ∂L/∂I₁ = g(x₁),
 *   ∂L/∂I₀ = g(x₁)·(β − θ·g(x₀))               (reset by subtraction),
 *            g(x₁)·β                          (… with detachReset),
 *            g(x₁)·β·(1 − s₀ − u₀·g(x₀))      (reset to zero).
 */
describe('backpropagation through time with every surrogate (closed form, two steps)', () => {
  const x0 = [-0.8, 0.15, 0.3];
  const x1 = [0.2, -0.35, 0.05];
  const u0 = x0.map((v) => v + 1);
  const s0 = x0.map((v) => (v >= 0 ? 1 : 0));
  const configs = [
    { reset: 'subtract' as const, detachReset: false, d0: (g: (x: number) => number, i: number) => g(x1[i]) * (BETA - g(x0[i])) },
    { reset: 'subtract' as const, detachReset: true, d0: (g: (x: number) => number, i: number) => g(x1[i]) * BETA },
    { reset: 'zero' as const, detachReset: false, d0: (g: (x: number) => number, i: number) => g(x1[i]) * BETA * (1 - s0[i] - u0[i] * g(x0[i])) },
  ];
  for (const c of TABLE_CASES)
    for (const cfg of configs)
      it(`${c.label}, reset '${cfg.reset}'${cfg.detachReset ? ', detached' : ''}`, () => {
        const i1 = x1.map((v, i) => v + 1 - (cfg.reset === 'zero' ? BETA * u0[i] * (1 - s0[i]) : BETA * u0[i] - s0[i]));
        const I = ht([2, 3], [...u0, ...i1]);
        const spike = c.make();
        const loss = (x: T) => ax.spiking.lif(x, { spike, reset: cfg.reset, detachReset: cfg.detachReset }).spikes.index(1).sum();
        const [grad] = evalAll((x) => ax.grad(loss)(x), I);
        const want = [...x0.map((_, i) => cfg.d0(c.g, i)), ...x1.map((v) => c.g(v))];
        expect(maxAbsDiff(grad.data, want)).toBeLessThan(1e-12);
      });
});

/** A dense LIF layer read out by its firing rates, with a squared error: the loss of the tests below. */
const layerLoss = (spike: ax.surrogate.Surrogate, opts: ax.spiking.LifOptions = {}) => (p: { w: T; v: T; r: T }, x: T, y: T) => {
  const { spikes } = ax.spiking.lifLayer({ w: p.w, v: p.v }, x, { spike, ...opts });
  return ax.spiking.firingRate(spikes).matmul(p.r).sub(y).square().mean();
};

/** The same network stepped by hand, one op per step (no scan): the oracle of the scan's gradient. */
const unrolledLoss = (spike: ax.surrogate.Surrogate) => (p: { w: T; v: T; r: T }, x: T, y: T) => {
  let u = ax.zeros([x.shape[1] as number, p.w.shape[1] as number]);
  let s = u;
  let total = u;
  for (let t = 0; t < (x.shape[0] as number); t++) {
    u = u.mul(BETA).add(x.index(t).matmul(p.w)).add(s.matmul(p.v)).sub(s);
    s = spike(u.sub(1));
    total = total.add(s);
  }
  return total.div(x.shape[0] as number).matmul(p.r).sub(y).square().mean();
};

describe('BPTT through a recurrent LIF layer', () => {
  const params = { w: randomTensor(2, [4, 6], -0.3, 0.9), v: randomTensor(3, [6, 6], -0.3, 0.3), r: randomTensor(4, [6, 2]) };
  const x = randomTensor(5, [12, 3, 4], 0, 1);
  const y = randomTensor(6, [3, 2]);
  const args = [params.w, params.v, params.r, x, y];
  const gradsOf = (loss: ReturnType<typeof layerLoss>) =>
    evalAll((w, v, r, xs, ys) => {
      const g = ax.grad(loss)({ w, v, r }, xs, ys) as { w: T; v: T; r: T };
      return [g.w, g.v, g.r];
    }, ...args);

  for (const c of TABLE_CASES.filter((t) => !t.label.includes('γ=1')))
    it(`equals backpropagation through the unrolled steps: ${c.label}`, () => {
      const spike = c.make();
      const [viaScan, unrolled] = [gradsOf(layerLoss(spike)), gradsOf(unrolledLoss(spike))];
      viaScan.forEach((g, k) => expect(maxAbsDiff(g.data, unrolled[k].data), `parameter ${k}`).toBeLessThan(1e-12));
      expect(Math.max(...viaScan[0].data.map(Math.abs)), 'gradient reaches the input weights').toBeGreaterThan(1e-4);
    });

  for (const c of TABLE_CASES.filter((t) => isSmooth(t.make())))
    it(`with the smooth forward of ${c.label} (spiking: false), matches central differences`, () => {
      const smooth = (c.make() as ax.surrogate.SmoothSurrogate).primitive;
      const spike = Object.assign((z: ax.Operand) => smooth(z), c.make()) as ax.surrogate.Surrogate;
      const lossGraph = ax.trace((w: T, v: T, r: T, xs: T, ys: T) => layerLoss(spike)({ w, v, r }, xs, ys), ...args);
      const grads = gradsOf(layerLoss(spike));
      const fd = (k: number, i: number, eps = 1e-6) => {
        const at = (d: number) => {
          const xs = args.map((t) => hostTensor(t.dtype, t.shape, t.data));
          xs[k].data[i] += d;
          return evaluate(lossGraph, xs)[0].data[0];
        };
        return (at(eps) - at(-eps)) / (2 * eps);
      };
      for (const k of [0, 1]) for (const i of [0, 5, 13]) expect(Math.abs(grads[k].data[i] - fd(k, i)), `parameter ${k}[${i}]`).toBeLessThan(1e-8);
    });

  it('compiles to graphs of one size for 10 and 1,000 steps', () => {
    const size = (steps: number) => {
      const g: Graph = ax.simplify(
        ax.trace(ax.valueAndGrad(layerLoss(ax.surrogate.superSpike())), params, ax.spec('f32', [steps, 3, 4]), y),
        { afterAutodiff: true },
      );
      return [...walkNodes(g)].length;
    };
    expect(size(1000)).toBe(size(10));
  });
});

describe('ax.spiking coding and initialisation', () => {
  it('rate-codes intensities into Bernoulli spike trains whose rates approach them', () => {
    const [spikes] = evalAll((k) => ax.spiking.rateCode(k, ax.array([0, 0.25, 0.9, 1.5]), 2000), ax.random.key(3));
    expect([...spikes.shape]).toEqual([2000, 4]);
    const rates = [0, 1, 2, 3].map((i) => spikes.data.filter((_, j) => j % 4 === i).reduce((a, b) => a + b, 0) / 2000);
    expect(rates[0]).toBe(0);
    expect(rates[3]).toBe(1);
    expect(Math.abs(rates[1] - 0.25)).toBeLessThan(0.04);
    expect(Math.abs(rates[2] - 0.9)).toBeLessThan(0.03);
  });

  it('initialises a layer Glorot-uniform, recurrent on request', () => {
    const [w, b, v] = evalAll((k) => {
      const p = ax.spiking.initLifLayer(k, 30, 20, { recurrent: true });
      return [p.w, p.b, p.v!];
    }, ax.random.key(0));
    expect([w.shape, b.shape, v.shape].map((s) => [...s])).toEqual([[30, 20], [20], [20, 20]]);
    expect(Math.max(...w.data.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    expect(Math.max(...v.data.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 40));
    expect([...b.data].every((z) => z === 0)).toBe(true);
  });
});
