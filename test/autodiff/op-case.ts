import {
  Emitter, hostTensor,
  type DType, type Graph, type HostTensor, type OpName, type Value,
} from '../../src/ir/index.ts';
import { graphOf, rng, type Rng } from './fd.ts';

/**
 * How a row's gradient is judged:
 * - `fd`: against central finite differences of the loss (the op is smooth at the point);
 * - `zero`: exactly zero, and the finite difference is zero too (the op is piecewise constant or
 *   blocks gradients);
 * - `closed`: against a closed form of ∂L/∂x (one array per f32 input), linear in the weights w
 *   (one per result): where finite differences say nothing (ties) or must not be used (custom_vjp,
 *   whose gradient is its bwd region and not the derivative of fwd; stop_gradient, whose value
 *   moves but whose gradient is zero).
 */
export type GradCheck =
  | { readonly kind: 'fd' }
  | { readonly kind: 'zero' }
  | {
      readonly kind: 'closed';
      grad(xs: readonly HostTensor[], ws: readonly HostTensor[]): number[][];
      /** The gradient is smooth around the point, so its finite differences give the Hessian. */
      readonly smooth?: boolean;
    };

/** One row of the autodiff table: a small graph around one primitive. */
export interface OpCase {
  readonly op: OpName;
  readonly name: string;
  /** The graph's inputs at a random point; f32 inputs are differentiated, others are held fixed. */
  inputs(r: Rng): HostTensor[];
  /** Rejects points too close to a kink (retried with the next seed). */
  valid?(xs: readonly HostTensor[]): boolean;
  /** The op and what it needs around it; returns f32 results. */
  build(e: Emitter, xs: Value[]): Value[];
  readonly check?: GradCheck;
}

export const FD: GradCheck = { kind: 'fd' };
export const ZERO: GradCheck = { kind: 'zero' };

/** The case's inputs at the first seed (from `seed`) whose point is valid. */
export function caseInputs(c: OpCase, seed: number): HostTensor[] {
  for (let s = seed; s < seed + 1000; s++) {
    const xs = c.inputs(rng(s));
    if (!c.valid || c.valid(xs)) return xs;
  }
  throw new Error(`${c.op} ${c.name}: no valid point in 1000 seeds`);
}

export const caseGraph = (c: OpCase, xs: readonly HostTensor[]): Graph => graphOf(xs, (b, vs) => c.build(new Emitter(b), vs), c.op);

/** Builders that keep the tables short. */
export const constOf = (e: Emitter, t: HostTensor): Value => e.op1('constant', [], { shape: t.shape, dtype: t.dtype, value: [...t.data] });
export const tensor = (dtype: DType, shape: readonly number[], data: ArrayLike<number>): HostTensor => hostTensor(dtype, shape, data);

/** A tensor whose elements are drawn by `f` (for values with a sign or integer part chosen). */
export const drawn = (r: Rng, shape: readonly number[], f: (r: Rng) => number): HostTensor =>
  tensor('f32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => f(r)));

/** ±[lo, hi): away from zero. */
export const signed = (lo: number, hi: number) => (r: Rng) => (r.next() < 0 ? -1 : 1) * r.next(lo, hi);
/** An integer in [-k, k] plus `offset` ± `spread`: away from integers (offset 0.5) or half-integers (offset 0). */
export const nearGrid = (k: number, offset: number, spread: number) => (r: Rng) =>
  Math.floor(r.next(-k, k + 1)) + offset + r.next(-spread, spread);

/** Every pair of a binary op's operands after NumPy broadcasting satisfies `ok`. */
export function pairsOk(a: HostTensor, b: HostTensor, ok: (x: number, y: number) => boolean): boolean {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pad = (s: readonly number[]) => [...Array(rank - s.length).fill(1), ...s];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const out = sa.map((d, i) => Math.max(d, sb[i]));
  const n = out.reduce((x, y) => x * y, 1);
  const flat = (s: number[], c: number[]) => c.reduce((acc, v, i) => acc * s[i] + (s[i] === 1 ? 0 : v), 0);
  for (let i = 0; i < n; i++) {
    const c: number[] = [];
    let rest = i;
    for (let ax = rank - 1; ax >= 0; ax--) {
      c[ax] = rest % out[ax];
      rest = Math.floor(rest / out[ax]);
    }
    if (!ok(a.data[flat(sa, c)], b.data[flat(sb, c)])) return false;
  }
  return true;
}
