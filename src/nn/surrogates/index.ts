/**
 * Surrogate gradients for spiking neurons (ax.surrogate), after neurai.grads.surrogate_grad.
 * A factory call configures one; calling the result on the centred membrane potential u − V_th
 * spikes (forward H(x), H(0) = 1) and differentiates with the surrogate g (x̄ = ȳ·g(x)):
 *
 *     const spike = ax.surrogate.sigmoid({ alpha: 4 });
 *     const s = spike(u.sub(threshold));            // 0/1 spikes, gradient α σ(αx)(1 − σ(αx))
 *     ax.surrogate.gaussian().primitive(x);         // smooth forward ½ erfc(−αx), same gradient
 *     ax.surrogate.polynomial({ spiking: false })(x); // the callable applies the primitive
 *     ax.surrogate.superSpike().derivative(x);      // g itself, as plain ops
 */
export {
  rectangular, polynomial, sigmoid, gaussian, superSpike, multiGaussian, singleExponential, slayerPdf,
  type AlphaOptions, type MultiGaussianOptions, type SingleExponentialOptions, type SlayerPdfOptions,
} from './family.ts';
export { heaviside, type Surrogate, type SmoothSurrogate, type SmoothOptions, type NumericOptions } from './surrogate.ts';
