/**
 * Spiking networks (ax.spiking): leaky integrate-and-fire neurons stepped over time with ax.scan
 * and trained by backpropagation through time with any surrogate of ax.surrogate.
 *
 *     const params = ax.spiking.initLifLayer(key, 784, 100);
 *     const { spikes } = ax.spiking.lifLayer(params, ax.spiking.rateCode(k2, images, 25), { spike: ax.surrogate.superSpike() });
 *     const logits = ax.spiking.firingRate(spikes).matmul(readout);   // BPTT through 25 steps: one reverse scan
 */
export { lif, lifLayer, type LifOptions, type LifTrace, type LifLayerParams, type Reset } from './lif.ts';
export { rateCode, firingRate, initLifLayer, type LifLayerInit } from './coding.ts';
