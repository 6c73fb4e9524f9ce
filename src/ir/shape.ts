import type { DType } from './dtype.ts';
import { ShapeError } from './errors.ts';

/** A dimension: a known size, or the name of a size bound at call time (`N`). */
export type Dim = number | string;
export type Shape = readonly Dim[];

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export const isSymbol = (d: Dim): d is string => typeof d === 'string';

export const formatShape = (s: Shape): string => `[${s.join(',')}]`;
export const formatType = (t: TensorType): string => `${t.dtype}${formatShape(t.shape)}`;

export const sameDim = (a: Dim, b: Dim): boolean => a === b;
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
export const sameType = (a: TensorType, b: TensorType): boolean => a.dtype === b.dtype && sameShape(a.shape, b.shape);

/** Normalises a possibly negative axis against a rank; returns -1 when out of range. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : -1;
}

/** What the text IR reads as a dimension name (`inf` and `nan` read as numbers). */
const DIM_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Rejects a shape attribute the IR cannot hold: a size that is negative or fractional (NumPy's -1
 * is not a size here), or a name the text form could not read back.
 */
export function checkShapeAttr(op: string, shape: Shape, operands: string[]): void {
  for (const d of shape) {
    const problem = isSymbol(d)
      ? (!DIM_NAME.test(d) || d === 'inf' || d === 'nan') && `'${d}' is not a dimension name (use an identifier)`
      : (!Number.isInteger(d) || d < 0) && `${d} is not a size (write a non-negative integer or a name)`;
    if (problem) throw new ShapeError(op, `shape ${formatShape(shape)}: ${problem}`, operands);
  }
}

/** The symbols a shape mentions, in order of first appearance. */
export function symbolsOf(shapes: Iterable<Shape>): string[] {
  const seen: string[] = [];
  for (const s of shapes) for (const d of s) if (isSymbol(d) && !seen.includes(d)) seen.push(d);
  return seen;
}

/** A size as an unevaluated product of dims (constants folded): the number of elements of a shape. */
export interface SizeProduct {
  readonly constant: number;
  readonly symbols: readonly string[];
}

export function sizeOf(shape: Shape): SizeProduct {
  let constant = 1;
  const symbols: string[] = [];
  for (const d of shape) {
    if (isSymbol(d)) symbols.push(d);
    else constant *= d;
  }
  return { constant, symbols: symbols.sort() };
}

export const sameSize = (a: SizeProduct, b: SizeProduct): boolean =>
  a.constant === b.constant && a.symbols.length === b.symbols.length && a.symbols.every((s, i) => s === b.symbols[i]);

export type DimBinding = ReadonlyMap<string, number>;

export function evalDim(d: Dim, bind: DimBinding): number {
  if (!isSymbol(d)) return d;
  const v = bind.get(d);
  if (v === undefined) throw new Error(`dimension ${d} is not bound`);
  return v;
}

export const evalShape = (s: Shape, bind: DimBinding): number[] => s.map((d) => evalDim(d, bind));
export const numElements = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Row-major strides of a concrete shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

/**
 * Call-time unification: matches declared shapes (with symbols) against actual sizes, binding each
 * symbol once. Returns an error message for the first mismatch, or the binding.
 */
export function bindDims(
  declared: readonly Shape[],
  actual: readonly (readonly number[])[],
  into: Map<string, number> = new Map(),
): { binding: Map<string, number> } | { error: string; index: number } {
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i];
    const a = actual[i];
    if (d.length !== a.length) return { error: `rank ${d.length} expected, got rank ${a.length}`, index: i };
    for (let j = 0; j < d.length; j++) {
      const dim = d[j];
      if (isSymbol(dim)) {
        const bound = into.get(dim);
        if (bound === undefined) into.set(dim, a[j]);
        else if (bound !== a[j])
          return { error: `dimension ${dim} is ${bound} from an earlier argument but ${a[j]} here (axis ${j})`, index: i };
      } else if (dim !== a[j]) {
        return { error: `axis ${j} must be ${dim}, got ${a[j]}`, index: i };
      }
    }
  }
  return { binding: into };
}
