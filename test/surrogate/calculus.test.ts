import { describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';
import { ALL_CASES, isSmooth, type SurrogateCase } from './cases.ts';

/**
 * The calculus SEMANTICS 4.5 promises, checked numerically in float64: each non-spiking forward
 * P is an antiderivative of g (central differences), P runs from 0 to ∫g, and ∫g over the real
 * line is the value SEMANTICS lists.
 */

/** Evaluates a traced elementwise function of x at the given points on the reference interpreter. */
function at(fn: (x: ax.Tensor) => ax.Tensor, xs: readonly number[]): number[] {
  const x = hostTensor('f32', [xs.length], xs);
  return [...evaluate(ax.trace(fn, x), [x])[0].data];
}

const FD_POINTS = [-30, -3, -1.7, -0.9, -0.3, -0.01, 0.2, 0.45, 0.8, 1.3, 2.5, 40];

/**
 * Quadrature knots: the breakpoints of g, a fine uniform grid on [−4, 4] and geometric steps of
 * 0.1% out to ±10⁷ (SuperSpike's (1+|x|)⁻² tail beyond 10⁷ holds 10⁻⁷ of its mass).
 */
function knots(breakpoints: readonly number[]): number[] {
  const set = new Set<number>(breakpoints);
  for (let i = -8000; i <= 8000; i++) set.add(i / 2000);
  for (let x = 4; x < 1e7; x *= 1.001) {
    set.add(x);
    set.add(-x);
  }
  return [...set].sort((a, b) => a - b);
}

/** Composite midpoint rule: exact for g's jumps when they sit on knots (it never samples them). */
function integrate(c: SurrogateCase): number {
  const s = c.make();
  const k = knots(c.breakpoints);
  const mids = k.slice(1).map((b, i) => (k[i] + b) / 2);
  const g = at((x) => s.derivative(x), mids);
  return g.reduce((sum, v, i) => sum + v * (k[i + 1] - k[i]), 0);
}

describe.each(ALL_CASES)('$label', (c) => {
  const s = c.make();

  test('∫g over the real line is the integral SEMANTICS lists (midpoint rule, 1e-6)', () => {
    const total = integrate(c);
    expect(Math.abs(total - c.integral) / c.integral, `∫g = ${total}, want ${c.integral}`).toBeLessThan(1e-6);
    expect(s.integral).toBeCloseTo(c.integral, 14);
  });

  test("the non-spiking forward's derivative is g (central differences)", () => {
    if (!isSmooth(s)) return expect(c.P).toBeUndefined();
    const h = 1e-6;
    const points = FD_POINTS.filter((x) => c.breakpoints.every((b) => Math.abs(x - b) > 10 * h));
    const plus = at((x) => s.primitive(x), points.map((x) => x + h));
    const minus = at((x) => s.primitive(x), points.map((x) => x - h));
    const g = at((x) => ax.grad((u: ax.Tensor) => ax.sum(s.primitive(u)))(x) as ax.Tensor, points);
    points.forEach((x, i) => {
      const fd = (plus[i] - minus[i]) / (2 * h);
      expect(Math.abs(fd - g[i]), `x = ${x}: (P(x+h) − P(x−h))/2h = ${fd}, g = ${g[i]}`).toBeLessThan(1e-7);
      expect(Math.abs(g[i] - c.g(x)), `x = ${x}`).toBeLessThan(1e-12);
    });
  });

  test('P rises from 0 at −∞ to ∫g at +∞', () => {
    if (!isSmooth(s)) return expect(c.P).toBeUndefined();
    const [lo, hi] = at((x) => s.primitive(x), [-1e6, 1e6]);
    expect(lo).toBeCloseTo(0, 12);
    expect(hi).toBeCloseTo(c.integral, 12);
  });
});
