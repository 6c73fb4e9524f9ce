import { erf } from '../../src/ir/ops/scalar-math.ts';
import * as ax from '../../src/index.ts';

/**
 * The surrogate family as SEMANTICS.md 4.5 / 4.6 a states it: each case holds the factory call,
 * the table row, the listed integral, and g and P re-derived here in plain JS from the formulas
 * (an oracle independent of the traced implementation).
 */
export interface SurrogateCase {
  readonly label: string;
  readonly make: () => ax.surrogate.Surrogate;
  /** SEMANTICS 4.6 a at x = −1, 0, 0.5 (null: the table has no P). */
  readonly table: { g: [number, number, number]; P: [number, number, number] | null };
  /** ∫g as SEMANTICS lists it. */
  readonly integral: number;
  readonly g: (x: number) => number;
  readonly P?: (x: number) => number;
  /** Where g jumps or kinks: knots of the quadrature grid, avoided by finite differences. */
  readonly breakpoints: readonly number[];
}

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const normalPdf = (x: number, mu: number, s: number) => Math.exp(-((x - mu) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));

const rectangular = (alpha: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 1,
  g: (x) => (Math.abs(x) < alpha / 2 ? 1 / alpha : 0),
  P: (x) => Math.min(1, Math.max(0, x / alpha + 0.5)),
  breakpoints: [-alpha / 2, alpha / 2],
});

const polynomial = (a: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 1,
  g: (x) => Math.max(0, Math.sqrt(a) / 2 - (a / 4) * Math.abs(x)),
  P: (x) => (x < -2 / Math.sqrt(a) ? 0 : x > 2 / Math.sqrt(a) ? 1 : -(a / 8) * x * Math.abs(x) + (Math.sqrt(a) / 2) * x + 0.5),
  breakpoints: [-2 / Math.sqrt(a), 0, 2 / Math.sqrt(a)],
});

const sigmoid = (a: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 1,
  g: (x) => a * sigma(a * x) * (1 - sigma(a * x)),
  P: (x) => sigma(a * x),
  breakpoints: [],
});

const gaussian = (a: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 1,
  g: (x) => (a / Math.sqrt(Math.PI)) * Math.exp(-a * a * x * x),
  P: (x) => 0.5 * (1 - erf(-a * x)),
  breakpoints: [],
});

const superSpike = (a: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 2 / a,
  g: (x) => (1 + a * Math.abs(x)) ** -2,
  breakpoints: [0],
});

const multiGaussian = (gamma: number, lens: number, scale: number, h: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: gamma * (1 - h),
  g: (x) => gamma * ((1 + h) * normalPdf(x, 0, lens) - h * normalPdf(x, lens, scale * lens) - h * normalPdf(x, -lens, scale * lens)),
  breakpoints: [],
});

const singleExponential = (width: number, gs: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 2 * gs,
  g: (x) => (gs / width) * Math.exp(-Math.abs(x) / width),
  breakpoints: [0],
});

const slayerPdf = (scale: number, tau: number, label: string, make: SurrogateCase['make'], table: SurrogateCase['table']): SurrogateCase => ({
  label, make, table, integral: 2 * scale,
  g: (x) => (scale / tau) * Math.exp(-Math.abs(x) / tau),
  P: (x) => (x < 0 ? scale * Math.exp(x / tau) : scale * (2 - Math.exp(-x / tau))),
  breakpoints: [0],
});

const s = ax.surrogate;

/** SEMANTICS 4.6 a, row by row (defaults, plus MultiGaussian with γ = 1). */
export const TABLE_CASES: readonly SurrogateCase[] = [
  rectangular(1, 'Rectangular α=1', () => s.rectangular(), { g: [0, 1, 0], P: [0, 0.5, 1] }),
  polynomial(1, 'Polynomial α=1', () => s.polynomial(), { g: [0.25, 0.5, 0.375], P: [0.125, 0.5, 0.71875] }),
  sigmoid(4, 'Sigmoid α=4', () => s.sigmoid(), { g: [0.0706508, 1, 0.419974], P: [0.0179862, 0.5, 0.880797] }),
  gaussian(1, 'Gaussian α=1', () => s.gaussian(), { g: [0.207554, 0.56419, 0.439391], P: [0.0786496, 0.5, 0.76025] }),
  superSpike(1, 'SuperSpike α=1', () => s.superSpike(), { g: [0.25, 1, 0.444444], P: null }),
  multiGaussian(0.5, 0.5, 6, 0.15, 'MultiGaussian (γ=0.5)', () => s.multiGaussian(), { g: [0.043452, 0.439112, 0.258858], P: null }),
  multiGaussian(1, 0.5, 6, 0.15, 'MultiGaussian (γ=1)', () => s.multiGaussian({ gamma: 1 }), { g: [0.086904, 0.878223, 0.517716], P: null }),
  singleExponential(0.5, 1, 'SingleExponential', () => s.singleExponential(), { g: [0.270671, 2, 0.735759], P: null }),
  slayerPdf(1, 10, 'SlayerPdf scale=1, τ=10', () => s.slayerPdf(), { g: [0.0904837, 0.1, 0.0951229], P: [0.904837, 1, 1.04877] }),
];

/** Non-default options, so that every option is seen to reach the formulas (no table values). */
const NO_TABLE = { g: [NaN, NaN, NaN] as [number, number, number], P: null };
export const OPTION_CASES: readonly SurrogateCase[] = [
  rectangular(0.7, 'rectangular α=0.7', () => s.rectangular({ alpha: 0.7 }), NO_TABLE),
  polynomial(2.5, 'polynomial α=2.5', () => s.polynomial({ alpha: 2.5 }), NO_TABLE),
  sigmoid(1.5, 'sigmoid α=1.5', () => s.sigmoid({ alpha: 1.5 }), NO_TABLE),
  gaussian(3, 'gaussian α=3', () => s.gaussian({ alpha: 3 }), NO_TABLE),
  superSpike(4, 'superSpike α=4', () => s.superSpike({ alpha: 4 }), NO_TABLE),
  multiGaussian(0.8, 0.3, 2, 0.4, 'multiGaussian ℓ=0.3 s=2 h=0.4 γ=0.8',
    () => s.multiGaussian({ lens: 0.3, scale: 2, height: 0.4, gamma: 0.8 }), NO_TABLE),
  singleExponential(0.25, 3, 'singleExponential w=0.25 scale=3', () => s.singleExponential({ gradWidth: 0.25, gradScale: 3 }), NO_TABLE),
  slayerPdf(2, 3, 'slayerPdf scale=2 τ=3', () => s.slayerPdf({ scale: 2, tau: 3 }), NO_TABLE),
];

export const ALL_CASES = [...TABLE_CASES, ...OPTION_CASES];

export const isSmooth = (x: ax.surrogate.Surrogate): x is ax.surrogate.SmoothSurrogate => 'primitive' in x;
