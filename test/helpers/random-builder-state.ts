import * as ax from '../../src/index.ts';
import { fillTensor, isSymbol, type Dim, type DType, type HostTensor, type Shape } from '../../src/ir/index.ts';
import { pick, seededChooser, type Chooser } from './random-chooser.ts';

/**
 * The state of one random builder program while its steps run (random-builder-steps.ts): the
 * choices, the pool of live tensors with bounds on their values, and the ax functions applied.
 */

/** The symbolic batch dim of symbolic programs, and the sizes the tests bind it to. */
export const SYMBOL = 'N';
export const N_SIZES = [2, 5] as const;
export const MAX_N = Math.max(...N_SIZES);
/** No tensor holds more elements than this (symbolic dims counted at their largest size). */
export const MAX_ELEMENTS = 512;
/** Steps keep |values| below this: an op that could exceed it squashes its operands with tanh first. */
export const MAX_BOUND = 1e3;

/** One family of ax functions: applies one to fitting operands; false when nothing fits. */
export type BuilderStep = (s: BuildState) => boolean;

/** A symbolic dim counts at its largest size. */
export const dimSize = (d: Dim): number => (isSymbol(d) ? MAX_N : d);
export const countOf = (shape: Shape, axes: readonly number[]): number => axes.reduce((n, a) => n * dimSize(shape[a]), 1);
export const elementsOf = (shape: Shape): number => countOf(shape, [...shape.keys()]);

/** A live tensor and a bound on its absolute values (what keeps exp and products finite). */
export interface Live {
  readonly t: ax.Tensor;
  readonly bound: number;
}

/** The state a step reads and extends: the choices, the pool, and the ax functions applied. */
export class BuildState {
  readonly pool: Live[] = [];
  readonly applied: string[] = [];
  constructor(readonly c: Chooser) {}

  fits(shape: Shape): boolean {
    return elementsOf(shape) <= MAX_ELEMENTS && shape.length <= 4;
  }

  live(dtypes: readonly DType[], pred: (l: Live) => boolean = () => true): Live[] {
    return this.pool.filter((l) => dtypes.includes(l.t.dtype) && pred(l));
  }

  /**
   * Records a new tensor. Steps check sizes before they apply a function (a result they dropped
   * would stay in the graph as dead code), so a result that does not fit is a generator bug.
   */
  push(name: string, t: ax.Tensor, bound: number): true {
    if (!this.fits(t.shape)) throw new Error(`generator bug: ${name} gives ${t}, over the size limits`);
    if (!(bound <= MAX_BOUND * 16)) throw new Error(`generator bug: ${name} gives bound ${bound}`);
    this.pool.push({ t, bound });
    this.applied.push(name);
    return true;
  }

  /** The operand itself, or tanh of it when its values could exceed `limit`. */
  tame(l: Live, limit: number): Live {
    if (l.bound <= limit) return l;
    this.applied.push('tanh');
    return { t: ax.tanh(l.t), bound: 1 };
  }

  /** A constant with values in [-1, 1] (from one recorded seed, so replays rebuild it). */
  constant(shape: readonly number[]): HostTensor {
    const c = seededChooser(this.c.int(0, 0x3fffffff));
    return fillTensor('f32', shape, () => c.int(-128, 128) / 128);
  }

  /** A JS literal of the tensor's kind: a float or int for f32, an int for i32. */
  literal(dtype: DType): number {
    return dtype === 'f32' ? pick(this.c, [0.5, -1, 2, 0.25, -1.5, 0]) : this.c.int(-3, 3);
  }
}

/** NumPy broadcast of two shapes, or undefined when they do not broadcast. */
export function broadcast(a: Shape, b: Shape): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[i - rank + a.length] ?? 1;
    const db = b[i - rank + b.length] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else return undefined;
  }
  return out;
}


export const sameShape = (a: Shape, b: Shape | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
