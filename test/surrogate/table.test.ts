import { describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, parseGraph, printGraph, verifyGraph, walkNodes, type HostTensor } from '../../src/ir/index.ts';
import { ALL_CASES, isSmooth, TABLE_CASES } from './cases.ts';

/** SEMANTICS.md 4.6 a through ax.grad and the custom VJP, on the float64 reference interpreter. */

const AT = hostTensor('f32', [3], [-1, 0, 0.5]);
const GRID = hostTensor('f32', [13], [-7, -2.5, -1.3, -0.55, -0.5, -0.2, 0, 0.15, 0.35, 0.5, 0.9, 2, 6]);
const ref = (fn: (...xs: ax.Tensor[]) => ax.Tree<ax.Tensor>, ...inputs: HostTensor[]) =>
  evaluate(ax.trace(fn, ...inputs), inputs).map((t) => [...t.data]);

const expectNear = (got: readonly number[], want: readonly number[], tol: number, what: string) => {
  expect(got.length, what).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]), `${what}[${i}]: got ${v}, want ${want[i]}`).toBeLessThanOrEqual(tol));
};

describe.each(TABLE_CASES)('$label: SEMANTICS 4.6 a at x = −1, 0, 0.5', (c) => {
  const s = c.make();

  test('spiking forward is [0, 1, 1] and its gradient is g (through ax.grad and the custom VJP)', () => {
    const [spikes, viaCall, grads] = ref((x) => [s.spike(x), s(x), ax.grad((u: ax.Tensor) => ax.sum(s.spike(u)))(x) as ax.Tensor], AT);
    expect(spikes).toEqual([0, 1, 1]);
    expect(viaCall).toEqual([0, 1, 1]);
    expectNear(grads, c.table.g, 1e-6, 'g');
  });

  test('the non-spiking forward is P and its gradient is g, where SEMANTICS defines P', () => {
    expect(isSmooth(s)).toBe(c.table.P !== null);
    if (!isSmooth(s) || c.table.P === null) return;
    const [p, grads] = ref((x) => [s.primitive(x), ax.grad((u: ax.Tensor) => ax.sum(s.primitive(u)))(x) as ax.Tensor], AT);
    expectNear(p, c.table.P, 1e-6, 'P');
    expectNear(grads, c.table.g, 1e-6, 'g');
  });

  test('the integral property is the one SEMANTICS lists', () => {
    expect(s.integral).toBeCloseTo(c.integral, 14);
  });
});

describe.each(ALL_CASES)('$label against the closed forms', (c) => {
  const s = c.make();
  const w = hostTensor('f32', [13], GRID.data.map((_, i) => 0.3 + 0.1 * i));

  test('x̄ = ȳ·g(x) for a non-uniform cotangent ȳ, and derivative() is g', () => {
    const [grads, g] = ref((x, wt) => [ax.grad((u: ax.Tensor) => ax.sum(s.spike(u).mul(wt)))(x) as ax.Tensor, s.derivative(x)], GRID, w);
    const x = [...GRID.data];
    expectNear(grads, x.map((v, i) => w.data[i] * c.g(v)), 1e-12, 'ȳ·g');
    expectNear(g, x.map(c.g), 1e-12, 'g');
  });

  test('P, antiderivative() and the non-spiking callable agree with the closed form', () => {
    if (!isSmooth(s) || !c.P) return expect(isSmooth(s)).toBe(false);
    const smooth = (ax.surrogate as unknown as Record<string, (o: object) => ax.surrogate.SmoothSurrogate>)[s.name]({ ...s.options, spiking: false });
    expect(smooth.spiking).toBe(false);
    const [p, q, viaCall] = ref((x) => [s.primitive(x), s.antiderivative(x), smooth(x)], GRID);
    const want = [...GRID.data].map(c.P);
    expectNear(p, want, 1e-12, 'P');
    expectNear(q, want, 1e-12, 'antiderivative');
    expectNear(viaCall, want, 1e-12, 'callable with spiking: false');
  });
});

describe('the rule lives in the IR', () => {
  test('each spike is one custom_vjp node; its printed graph parses back and computes the same', () => {
    const s = ax.surrogate.sigmoid({ alpha: 4 });
    const g = ax.trace((x: ax.Tensor) => ax.valueAndGrad((u: ax.Tensor) => ax.sum(s(u).mul(u)))(x), GRID);
    const nodes = [...walkNodes(g)].filter((n) => n.op === 'custom_vjp');
    expect(nodes.length).toBe(1);
    expect(nodes[0].regions.map((r) => r.name)).toEqual(['fwd', 'bwd']);
    const text = printGraph(g);
    const parsed = parseGraph(text);
    expect(printGraph(parsed)).toBe(text);
    verifyGraph(parsed);
    expect(evaluate(parsed, [GRID]).map((t) => [...t.data])).toEqual(evaluate(g, [GRID]).map((t) => [...t.data]));
  });

  test('H(0) = 1 (D-NR-14) and NaN stays NaN; integer inputs are promoted to f32', () => {
    const x = hostTensor('f32', [4], [NaN, -0, 0, -1e-30]);
    const [h] = ref((t) => [ax.surrogate.heaviside(t)], x);
    expect(h).toEqual([NaN, 1, 1, 0]);
    const ints = hostTensor('i32', [3], [-2, 0, 3]);
    const [spikes] = ref((t) => [ax.surrogate.superSpike()(t)], ints);
    expect(spikes).toEqual([0, 1, 1]);
  });

  test('toString and name describe the configuration', () => {
    expect(String(ax.surrogate.sigmoid({ alpha: 2 }))).toBe('sigmoid(alpha=2, spiking=true)');
    expect(String(ax.surrogate.multiGaussian())).toBe('multiGaussian(lens=0.5, scale=6, height=0.15, gamma=0.5)');
    expect(ax.surrogate.slayerPdf().name).toBe('slayerPdf');
  });
});

describe('option errors are typed and say what to change', () => {
  const bad = (f: () => unknown, pattern: RegExp) => {
    expect(f).toThrow(ax.InputError);
    expect(f).toThrow(pattern);
  };

  test('unknown keys, non-positive or non-finite numbers, spiking on a spiking-only surrogate', () => {
    bad(() => ax.surrogate.sigmoid({ alhpa: 4 } as never), /only the keys alpha, spiking, got the key 'alhpa'/);
    bad(() => ax.surrogate.rectangular({ alpha: 0 }), /options\.alpha: expected a finite number > 0, got 0/);
    bad(() => ax.surrogate.gaussian({ alpha: Infinity }), /options\.alpha/);
    bad(() => ax.surrogate.superSpike({ spiking: false } as never), /superSpike is spiking only/);
    bad(() => ax.surrogate.polynomial({ spiking: 'no' } as never), /options\.spiking: expected a boolean/);
    bad(() => ax.surrogate.multiGaussian({ height: -0.1 }), /options\.height: expected a finite number >= 0/);
    expect(ax.surrogate.multiGaussian({ height: 0 }).integral).toBe(0.5);
  });

  test('a spiking-only surrogate has no primitive (also a type error)', () => {
    const s = ax.surrogate.superSpike();
    // @ts-expect-error SuperSpike is spiking only (SEMANTICS 4.5)
    expect(s.primitive).toBeUndefined();
  });

  test('outside a trace the surrogate says it needs one', () => {
    expect(() => ax.surrogate.sigmoid()(1)).toThrow(ax.TraceError);
  });
});
