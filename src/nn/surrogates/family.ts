import { abs, clip, erf, exp, maximum, sigmoid as logistic, where, type Tensor } from '../../builder/index.ts';
import { smoothSurrogate, spikingSurrogate, type NumericOptions } from './surrogate.ts';

/**
 * neurai's surrogate-gradient family (SEMANTICS.md 4.5 and decisions D-NR-10..14). Each factory
 * takes its options (defaults as in neurai) and returns a callable `Surrogate`; see surrogate.ts.
 * Names map from neurai's classes: Rectangular → rectangular, SuperSpike → superSpike, ...;
 * snake_case options become camelCase (grad_width → gradWidth) and MultiGaussian's `hight` is
 * spelled `height`.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** N(x; μ, σ): the normal density with mean μ and standard deviation σ. */
function normalPdf(x: Tensor, mean: number, std: number): Tensor {
  const z = x.sub(mean).div(std);
  return exp(z.square().mul(-0.5)).div(std * SQRT_2PI);
}

/** e^{−|x|/width}: the two-sided exponential shared by SingleExponential and SlayerPdf. */
const twoSidedExp = (x: Tensor, width: number): Tensor => exp(abs(x).div(-width));

export interface AlphaOptions extends NumericOptions {
  alpha: number;
}

/**
 * STBP h1 (neurai `Rectangular(alpha=1, spiking=True)`): g(x) = (1/α)·1[|x| < α/2], a box of
 * width α. The window is strict, so g(±α/2) = 0; P(x) = clip(x/α + ½, 0, 1) (D-NR-11).
 */
export const rectangular = smoothSurrogate<AlphaOptions>({
  name: 'rectangular',
  defaults: { alpha: 1 },
  derivative: (x, { alpha }) => abs(x).lt(alpha / 2).astype('f32').mul(1 / alpha),
  antiderivative: (x, { alpha }) => clip(x.div(alpha).add(0.5), 0, 1),
  integral: () => 1,
});

/**
 * STBP h2 (neurai `Polynomial(alpha=1, spiking=True)`): a triangle, g(x) = max(0, √α/2 − (α/4)|x|),
 * zero outside |x| ≤ 2/√α; P(x) = −(α/8)·x|x| + (√α/2)·x + ½ there, 0 below and 1 above.
 */
export const polynomial = smoothSurrogate<AlphaOptions>({
  name: 'polynomial',
  defaults: { alpha: 1 },
  derivative: (x, { alpha }) => maximum(abs(x).mul(-alpha / 4).add(Math.sqrt(alpha) / 2), 0),
  antiderivative: (x, { alpha }) => {
    // Clamping x to the support makes the polynomial reach exactly 0 and 1 at its ends.
    const edge = 2 / Math.sqrt(alpha);
    const c = clip(x, -edge, edge);
    return c.mul(abs(c)).mul(-alpha / 8).add(c.mul(Math.sqrt(alpha) / 2)).add(0.5);
  },
  integral: () => 1,
});

/**
 * STBP h3 (neurai `Sigmoid(alpha=4, spiking=True)`): g(x) = α σ(αx)(1 − σ(αx)), P(x) = σ(αx).
 * snnTorch's `sigmoid(slope)` is the same surrogate with slope = α.
 */
export const sigmoid = smoothSurrogate<AlphaOptions>({
  name: 'sigmoid',
  defaults: { alpha: 4 },
  derivative: (x, { alpha }) => {
    const s = logistic(x.mul(alpha));
    return s.mul(s.neg().add(1)).mul(alpha);
  },
  antiderivative: (x, { alpha }) => logistic(x.mul(alpha)),
  integral: () => 1,
});

/**
 * STBP h4 (neurai `Gaussian(alpha=1)`): g(x) = (α/√π)·e^{−α²x²}, P(x) = ½·erfc(−αx). neurai's
 * Gaussian has no `spiking` flag; axonic accepts one because the antiderivative exists.
 */
export const gaussian = smoothSurrogate<AlphaOptions>({
  name: 'gaussian',
  defaults: { alpha: 1 },
  derivative: (x, { alpha }) => exp(x.mul(alpha).square().neg()).mul(alpha / SQRT_PI),
  // ½ erfc(−αx) = ½ (1 + erf(αx)).
  antiderivative: (x, { alpha }) => erf(x.mul(alpha)).add(1).mul(0.5),
  integral: () => 1,
});

/** SuperSpike (Zenke & Ganguli 2018; neurai `SuperSpike(alpha=1)`): g(x) = (1 + α|x|)^{−2}. Spiking only. */
export const superSpike = spikingSurrogate<AlphaOptions>({
  name: 'superSpike',
  defaults: { alpha: 1 },
  derivative: (x, { alpha }) => abs(x).mul(alpha).add(1).square().reciprocal(),
  integral: ({ alpha }) => 2 / alpha,
});

export interface MultiGaussianOptions extends NumericOptions {
  /** ℓ: the width of the central Gaussian and the offset of the two negative side lobes. */
  lens: number;
  /** s: the side lobes' width relative to ℓ. */
  scale: number;
  /** h: the side lobes' weight (neurai's `hight`). */
  height: number;
  /** γ: the overall factor of Yin et al.'s released code (D-NR-12); sinabs uses 1. */
  gamma: number;
}

/**
 * Multi-Gaussian (Yin et al. 2021; neurai `MultiGaussian(lens=0.5, scale=6.0, hight=0.15)`):
 * g(x) = γ[(1+h)·N(x; 0, ℓ) − h·N(x; ℓ, sℓ) − h·N(x; −ℓ, sℓ)], γ = 0.5 by default. Spiking only.
 */
export const multiGaussian = spikingSurrogate<MultiGaussianOptions>({
  name: 'multiGaussian',
  defaults: { lens: 0.5, scale: 6, height: 0.15, gamma: 0.5 },
  zeroAllowed: ['height'],
  derivative: (x, { lens, scale, height, gamma }) => {
    const centre = normalPdf(x, 0, lens).mul(1 + height);
    const sides = normalPdf(x, lens, scale * lens).add(normalPdf(x, -lens, scale * lens)).mul(height);
    return centre.sub(sides).mul(gamma);
  },
  integral: ({ height, gamma }) => gamma * (1 - height),
});

export interface SingleExponentialOptions extends NumericOptions {
  /** The decay width, relative to a unit threshold (D-NR-13). */
  gradWidth: number;
  gradScale: number;
}

/**
 * Single exponential (Shrestha & Orchard 2018, sinabs form; neurai
 * `SingleExponential(grad_width=0.5, grad_scale=1.0)`): g(x) = (gradScale/gradWidth)·e^{−|x|/gradWidth}.
 * Spiking only.
 */
export const singleExponential = spikingSurrogate<SingleExponentialOptions>({
  name: 'singleExponential',
  defaults: { gradWidth: 0.5, gradScale: 1 },
  derivative: (x, { gradWidth, gradScale }) => twoSidedExp(x, gradWidth).mul(gradScale / gradWidth),
  integral: ({ gradScale }) => 2 * gradScale,
});

export interface SlayerPdfOptions extends NumericOptions {
  scale: number;
  /** The absolute decay width τ (D-NR-13). */
  tau: number;
}

/**
 * SLAYER's spike-escape density (neurai `SlayerPdf(scale=1, tau=10.0, spiking=True)`):
 * g(x) = (scale/τ)·e^{−|x|/τ}; P(x) = scale·e^{x/τ} for x < 0 and scale·(2 − e^{−x/τ}) for x ≥ 0.
 */
export const slayerPdf = smoothSurrogate<SlayerPdfOptions>({
  name: 'slayerPdf',
  defaults: { scale: 1, tau: 10 },
  derivative: (x, { scale, tau }) => twoSidedExp(x, tau).mul(scale / tau),
  antiderivative: (x, { scale, tau }) => {
    const e = twoSidedExp(x, tau);
    return where(x.lt(0), e, e.neg().add(2)).mul(scale);
  },
  integral: ({ scale }) => 2 * scale,
});
