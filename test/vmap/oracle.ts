import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { example, stack } from './batch-case.ts';

type Fn = (...xs: ax.Tensor[]) => ax.Tree<ax.Tensor>;

/** Traces `fn` at the inputs' types and evaluates it with the float64 reference interpreter. */
export const run = (fn: Fn, ...inputs: HostTensor[]): HostTensor[] => evaluate(ax.trace(fn, ...inputs), inputs);

/**
 * The oracle of every vmap test: `fn` run on each example alone (array arguments; `axes[i]` is
 * where argument i stacks its examples, null when shared), results stacked along `outAxis`.
 */
export function oneAtATime(fn: Fn, args: readonly HostTensor[], axes: readonly (number | null)[], outAxis = 0): HostTensor[] {
  const i0 = axes.findIndex((a) => a !== null);
  const count = args[i0].shape[axes[i0]!];
  const results = Array.from({ length: count }, (_, b) =>
    run(fn, ...args.map((t, i) => (axes[i] === null ? t : example(t, axes[i]!, b)))),
  );
  return results[0].map((_, k) => stack(results.map((r) => r[k]), outAxis));
}
