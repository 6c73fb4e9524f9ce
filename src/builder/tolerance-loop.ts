import { full } from './ops-create.ts';
import { lift, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { TraceError } from './trace-context.ts';
import { flatten, type Tree } from './tree.ts';
import { whileLoop } from './while-loop.ts';

export interface ToleranceOptions<S> {
  /** Stop after the first trip whose residual is below tol. */
  readonly tol: number;
  /**
   * The convergence scalar of one trip, from the state before and after it. Default: the largest
   * |after − before| over every element of the f32 arrays of the state (the change's ∞-norm).
   */
  readonly residual?: (before: S, after: S) => Operand;
  /** On WebGPU, the trips per submission between two reads of the residual test (see WhileOptions). */
  readonly checkEvery?: number;
}

/** The default residual: max |after − before| over the f32 leaves. */
function largestChange(before: Tree<Tensor>, after: Tree<Tensor>): Tensor {
  const [a, b] = [flatten<Tensor>(before).leaves, flatten<Tensor>(after).leaves];
  const changes = a.flatMap((x, i) => (x.dtype === 'f32' ? [b[i].sub(x).abs().max()] : []));
  if (changes.length === 0) throw new TraceError('ax.loop: the state has no f32 arrays to measure convergence on; give options.residual');
  return changes.reduce((m, c) => m.maximum(c));
}

/**
 * `ax.loop(maxTrips, body, init, { tol })`: runs `body` until a trip's residual falls under
 * `tol`, at most `maxTrips` times. Exactly: r₀ = +∞; trip k (k = 1, 2, …) computes
 * s_k = body(s_{k−1}, k − 1) and r_k = residual(s_{k−1}, s_k); the loop returns s_k for the
 * first k with r_k < tol, or s_maxTrips. (A NaN residual stops it too: it is not ≥ tol.) It is
 * an ax.whileLoop on (state, residual, index), so on WebGPU the residual is read back every
 * `checkEvery` trips and the returned state is still the one of the first trip under tol.
 */
export function loopUntil<S extends Tree<Tensor>>(maxTrips: number, body: (state: S, i: Tensor) => S, init: S, options: ToleranceOptions<S>): S {
  const { tol, residual, checkEvery } = options;
  if (typeof tol !== 'number' || !(tol >= 0))
    throw new TraceError(`ax.loop: options.tol must be a number >= 0 (the residual under which the loop stops), got ${String(tol)}`);
  const measure = (before: S, after: S): Tensor => {
    if (!residual) return largestChange(before, after);
    const r = lift('loop', residual(before, after));
    if (r.ndim !== 0) throw new TraceError(`ax.loop: options.residual must return a scalar, got shape [${r.shape}]`);
    return r.astype('f32');
  };
  type Carry = { s: S; r: Tensor; i: Tensor };
  const final = whileLoop(
    (c: Carry) => c.r.ge(tol),
    (c: Carry) => {
      const s = body(c.s, c.i);
      return { s, r: measure(c.s, s), i: c.i.add(1) };
    },
    { s: init, r: full([], Infinity, 'f32'), i: full([], 0, 'i32') },
    { maxTrips, checkEvery },
  );
  return final.s;
}
