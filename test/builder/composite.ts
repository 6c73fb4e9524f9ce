import { expect } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { directionalFd, floatInputs, gradByFd, gradByVjp, weightedLoss } from '../autodiff/fd.ts';
import { expectClose, maxRelError } from '../helpers/compare.ts';
import { oneAtATime, run } from '../vmap/oracle.ts';
import { randomTensor } from './helpers.ts';

/** The checks every builder composite gets (values are checked by each test against closed forms). */

type Fn = (...xs: ax.Tensor[]) => ax.Tensor;

/** Relative error allowed between float64 derivatives and central differences. */
const FD_RTOL = 1e-6;

/**
 * Reverse mode (ax.grad's graph transform) and forward mode (ax.jvp) of L = Σ w ⊙ fn(x) against
 * central finite differences in float64; non-f32 inputs are held fixed.
 */
export function checkDerivatives(fn: Fn, ...xs: HostTensor[]): void {
  const graph = ax.trace(fn, ...xs);
  const ws = evaluate(graph, xs).map((y, k) => randomTensor(900 + k, y.shape));
  const loss = weightedLoss(graph, ws);
  const grads = gradByVjp(loss, xs);
  const fd = gradByFd(loss, xs);
  grads.forEach((g, k) => expect(maxRelError(g.data, fd[k].data), `gradient ${k}: ${[...g.data]} vs fd ${[...fd[k].data]}`).toBeLessThanOrEqual(FD_RTOL));

  const floats = floatInputs(graph);
  const ts = xs.map((x, k) => (x.dtype === 'f32' ? randomTensor(700 + k, x.shape) : hostTensor(x.dtype, x.shape)));
  const n = xs.length;
  const jvp = ax.trace((...all: ax.Tensor[]) => ax.jvp(fn, all.slice(0, n), all.slice(n)), ...xs, ...ts);
  const tangent = evaluate(jvp, [...xs, ...ts])[1];
  const dfd = directionalFd(graph, xs, floats.map((k) => ts[k]))[0];
  expect(maxRelError(tangent.data, dfd.data), `tangent ${[...tangent.data]} vs fd ${[...dfd.data]}`).toBeLessThanOrEqual(FD_RTOL);
}

/** ax.vmap(fn, axes) on stacked examples against fn run on each example alone (float64, exact). */
export function checkVmap(fn: Fn, args: readonly HostTensor[], axes: readonly (number | null)[]): void {
  const [got] = run(ax.vmap(fn, [...axes]) as Fn, ...args);
  const [want] = oneAtATime(fn, args, axes);
  expectClose(got, want, 0, 'vmap vs one at a time');
}
