import { clip, mean, random, zeros, type Operand, type Tensor } from '../../builder/index.ts';
import { liftF32 } from '../../builder/operand.ts';
import { InputError } from '../../ir/index.ts';
import type { LifLayerParams } from './lif.ts';

/**
 * Rate coding: `steps` frames of Bernoulli spikes, frame t firing where a uniform draw is below
 * the intensity (clipped to [0, 1]): [steps, ...x.shape], f32 0/1. Deterministic in `key`.
 */
export function rateCode(key: Operand, x: Operand, steps: number): Tensor {
  if (!Number.isInteger(steps) || steps < 1) throw new InputError('spiking.rateCode steps', 'a positive integer', String(steps));
  const p = clip(liftF32('spiking.rateCode', x), 0, 1);
  return random.uniform(key, [steps, ...p.shape]).lt(p).astype('f32');
}

/** The firing rate of each neuron: spikes [T, ...] averaged over time. */
export const firingRate = (spikes: Operand): Tensor => mean(liftF32('spiking.firingRate', spikes), 0);

export interface LifLayerInit {
  /** Add recurrent weights v [out, out] (default false). */
  readonly recurrent?: boolean;
  /** Multiplies the Glorot-uniform bound (default 1). */
  readonly gain?: number;
}

/**
 * Parameters of a dense LIF layer: w [inputs, outputs] (and v [outputs, outputs]) uniform in
 * ±gain·√(6 / (fan_in + fan_out)) (Glorot), b zeros. `key` is a u32[2] key (ax.random.key).
 */
export function initLifLayer(key: Operand, inputs: number, outputs: number, options: LifLayerInit = {}): Required<Pick<LifLayerParams, 'w' | 'b'>> & Pick<LifLayerParams, 'v'> {
  const gain = options.gain ?? 1;
  const bound = (fanIn: number, fanOut: number) => gain * Math.sqrt(6 / (fanIn + fanOut));
  const keys = random.split(key, 2);
  const [kw, kv] = [keys.index(0), keys.index(1)];
  const w = random.uniform(kw, [inputs, outputs], { min: -bound(inputs, outputs), max: bound(inputs, outputs) });
  const b = zeros([outputs]);
  if (!options.recurrent) return { w, b };
  return { w, b, v: random.uniform(kv, [outputs, outputs], { min: -bound(outputs, outputs), max: bound(outputs, outputs) }) };
}
