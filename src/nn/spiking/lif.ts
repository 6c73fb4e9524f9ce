import { InputError } from '../../ir/index.ts';
import { matmul, scan, stopGradient, zerosLike, type Operand, type Tensor } from '../../builder/index.ts';
import { liftF32 } from '../../builder/operand.ts';
import { sigmoid, type Surrogate } from '../surrogates/index.ts';

/**
 * Leaky integrate-and-fire neurons stepped over time with ax.scan, so that backpropagation
 * through time is the scan's VJP (a reverse scan over the saved membrane states: the graph does
 * not grow with the number of steps) and the spike's gradient is a surrogate's (ax.surrogate).
 * Time is the leading axis of every sequence, [T, ...] (e.g. [T, batch, neurons]).
 */

/** What happens to the membrane after a spike (at the next step). */
export type Reset = 'subtract' | 'zero' | 'none';

export interface LifOptions {
  /** Membrane decay per step, β (a number or a scalar tensor, learnable then); default 0.9. */
  readonly beta?: Operand;
  /** Firing threshold θ; default 1. */
  readonly threshold?: number;
  /** 'subtract' (default): u loses θ after a spike; 'zero': u restarts from 0; 'none': no reset. */
  readonly reset?: Reset;
  /** The spike function of u − θ: its forward (H) and its surrogate gradient; default ax.surrogate.sigmoid(). */
  readonly spike?: Surrogate;
  /** Stop the gradient through the reset term (snnTorch's and Zenke's common choice); default false. */
  readonly detachReset?: boolean;
  /** The initial membrane potential u₋₁ (default zeros, shaped like one step of the current). */
  readonly u0?: Operand;
}

/** Spikes and membrane potentials, stacked over time like the input. */
export interface LifTrace {
  readonly spikes: Tensor;
  readonly membrane: Tensor;
}

interface Resolved {
  readonly beta: Tensor | number;
  readonly threshold: number;
  readonly reset: Reset;
  readonly spike: Surrogate;
  readonly detachReset: boolean;
}

const RESETS: readonly Reset[] = ['subtract', 'zero', 'none'];

function resolve(o: LifOptions): Resolved {
  const threshold = o.threshold ?? 1;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw new InputError('spiking options.threshold', 'a finite number', String(threshold));
  const reset = o.reset ?? 'subtract';
  if (!RESETS.includes(reset)) throw new InputError('spiking options.reset', `one of ${RESETS.join(', ')}`, String(reset));
  const beta = o.beta ?? 0.9;
  return {
    beta: typeof beta === 'number' ? beta : liftF32('spiking.lif', beta),
    threshold,
    reset,
    spike: o.spike ?? sigmoid(),
    detachReset: o.detachReset ?? false,
  };
}

/**
 * One step: from the previous membrane u and spikes s and this step's current I,
 *   u' = β·u + I − θ·s        (reset 'subtract')
 *   u' = β·u·(1 − s) + I      (reset 'zero')
 *   u' = β·u + I              (reset 'none')
 *   s' = spike(u' − θ)        (H(u' − θ) forward, H(0) = 1; the surrogate's g backward)
 * with s wrapped in stopGradient in the reset term when detachReset.
 */
function step(o: Resolved, u: Tensor, s: Tensor, current: Tensor): { u: Tensor; s: Tensor } {
  const fired = o.detachReset ? stopGradient(s) : s;
  const decayed = u.mul(o.beta);
  const next =
    o.reset === 'subtract' ? decayed.add(current).sub(fired.mul(o.threshold))
    : o.reset === 'zero' ? decayed.mul(fired.neg().add(1)).add(current)
    : decayed.add(current);
  return { u: next, s: o.spike(next.sub(o.threshold)) };
}

/** The LIF steps over currents [T, ...], with an extra current from the previous spikes when `recurrent`. */
function run(o: Resolved, currents: Tensor, u0: Operand | undefined, recurrent?: (s: Tensor) => Tensor): LifTrace {
  if (currents.ndim === 0) throw new InputError('spiking currents', 'a sequence [T, ...] with time first', 'a scalar');
  const zero = zerosLike(currents.index(0));
  const start = u0 === undefined ? zero : liftF32('spiking', u0).add(zero);
  const [, trace] = scan(
    (c: { u: Tensor; s: Tensor }, current: Tensor) => {
      const next = step(o, c.u, c.s, recurrent ? current.add(recurrent(c.s)) : current);
      return [next, { spikes: next.s, membrane: next.u }] as const;
    },
    { u: start, s: zero },
    currents,
  );
  return trace;
}

/**
 * LIF neurons driven by input currents [T, ...]: for t = 0 … T−1 the step above, from u₋₁ = u0
 * and s₋₁ = 0. Returns the spikes s_t and the membrane u_t (before the reset that s_t causes at
 * t + 1), both [T, ...]: one `scan`.
 */
export function lif(currents: Operand, options: LifOptions = {}): LifTrace {
  return run(resolve(options), liftF32('spiking.lif', currents), options.u0);
}

/** A dense layer of LIF neurons: input weights w [in, out], bias b [out], recurrent weights v [out, out]. */
export interface LifLayerParams {
  readonly w: Tensor;
  readonly b?: Tensor;
  /** Recurrent weights: the previous step's spikes add s_{t−1}·v to the current. */
  readonly v?: Tensor;
}

/**
 * A dense LIF layer over input sequences [T, ..., in] (spikes or currents): the current of step t
 * is x_t·w + b (+ s_{t−1}·v when recurrent), then the LIF step. The input products of all T steps
 * are one matmul before the scan; only the recurrent product is inside it.
 */
export function lifLayer(params: LifLayerParams, inputs: Operand, options: LifOptions = {}): LifTrace {
  const x = liftF32('spiking.lifLayer', inputs);
  const driven = params.b ? matmul(x, params.w).add(params.b) : matmul(x, params.w);
  const { v } = params;
  return run(resolve(options), driven, options.u0, v ? (s) => matmul(s, v) : undefined);
}
