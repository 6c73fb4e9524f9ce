import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { fdStep } from './fd.ts';

/** Traces `fn` on the inputs' types and evaluates it with the float64 reference interpreter. */
export const run = (fn: (...xs: ax.Tensor[]) => ax.Tree<ax.Tensor>, ...inputs: HostTensor[]): HostTensor[] =>
  evaluate(ax.trace(fn, ...inputs), inputs);

export const run1 = (fn: (...xs: ax.Tensor[]) => ax.Tensor, ...inputs: HostTensor[]): HostTensor => run(fn, ...inputs)[0];

export const axpy = (a: number, x: HostTensor, y: HostTensor): HostTensor => ({
  ...y,
  data: y.data.map((v, i) => v + a * x.data[i]),
});

/**
 * The directional derivative of the array function `g` at x along v, by a central difference
 * in float64: (g(x + h v) − g(x − h v)) / 2h.
 */
export function fdAlong(g: (x: HostTensor) => HostTensor, x: HostTensor, v: HostTensor): number[] {
  const h = fdStep(Math.max(...[...x.data].map(Math.abs)));
  const plus = g(axpy(h, v, x));
  const minus = g(axpy(-h, v, x));
  return [...plus.data].map((p, i) => (p - minus.data[i]) / (2 * h));
}
