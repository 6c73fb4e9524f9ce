import type { DType } from './dtype.ts';
import type { BinaryOp, UnaryOp } from './op-attrs.ts';
import type { Dim } from './shape.ts';

/**
 * Kernel expressions: what a kernel computes for one point of its iteration space. Registry
 * entries build them (movement ops as index maps over loads, elementwise ops as operators), the
 * lowering composes them, and the WGSL renderer prints them. Index arithmetic uses the same
 * elementwise operators on u32.
 */
export type KExpr =
  | { readonly k: 'lit'; readonly dtype: DType; readonly value: number }
  /** A coordinate of the kernel's iteration space (u32). */
  | { readonly k: 'coord'; readonly axis: number }
  /** A dimension size (u32): a literal, or a symbol read from the sizes uniform. */
  | { readonly k: 'dim'; readonly dim: Dim }
  /** The element of kernel input `input` at `coords` (one per axis of that input). */
  | { readonly k: 'load'; readonly input: number; readonly coords: readonly KExpr[] }
  | { readonly k: 'unary'; readonly op: UnaryOp; readonly arg: KExpr; readonly dtype: DType }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly a: KExpr; readonly b: KExpr; readonly dtype: DType }
  | { readonly k: 'select'; readonly pred: KExpr; readonly a: KExpr; readonly b: KExpr; readonly dtype: DType }
  | { readonly k: 'cast'; readonly arg: KExpr; readonly from: DType; readonly dtype: DType }
  /** A helper function from a registry entry's WGSL prelude (e.g. the counter-based RNG). */
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly KExpr[]; readonly dtype: DType };

export const lit = (dtype: DType, value: number): KExpr => ({ k: 'lit', dtype, value });
export const u32 = (value: number): KExpr => ({ k: 'lit', dtype: 'u32', value });
export const coord = (axis: number): KExpr => ({ k: 'coord', axis });
export const dimExpr = (dim: Dim): KExpr => (typeof dim === 'number' ? u32(dim) : { k: 'dim', dim });
export const load = (input: number, coords: readonly KExpr[]): KExpr => ({ k: 'load', input, coords });

const isLit = (e: KExpr, v: number): boolean => e.k === 'lit' && e.value === v;

/** u32 index arithmetic with the obvious identities folded, so index maps stay readable. */
export function iadd(a: KExpr, b: KExpr): KExpr {
  if (isLit(a, 0)) return b;
  if (isLit(b, 0)) return a;
  if (a.k === 'lit' && b.k === 'lit') return u32(a.value + b.value);
  return { k: 'binary', op: 'add', a, b, dtype: 'u32' };
}
export function isub(a: KExpr, b: KExpr): KExpr {
  if (isLit(b, 0)) return a;
  if (a.k === 'lit' && b.k === 'lit') return u32((a.value - b.value) >>> 0);
  return { k: 'binary', op: 'sub', a, b, dtype: 'u32' };
}
export function imul(a: KExpr, b: KExpr): KExpr {
  if (isLit(a, 0) || isLit(b, 0)) return u32(0);
  if (isLit(a, 1)) return b;
  if (isLit(b, 1)) return a;
  if (a.k === 'lit' && b.k === 'lit') return u32(a.value * b.value);
  return { k: 'binary', op: 'mul', a, b, dtype: 'u32' };
}
export function idiv(a: KExpr, b: KExpr): KExpr {
  if (isLit(b, 1)) return a;
  if (a.k === 'lit' && b.k === 'lit') return u32(Math.floor(a.value / b.value));
  return { k: 'binary', op: 'div', a, b, dtype: 'u32' };
}
export function irem(a: KExpr, b: KExpr): KExpr {
  if (isLit(b, 1)) return u32(0);
  if (a.k === 'lit' && b.k === 'lit') return u32(a.value % b.value);
  return { k: 'binary', op: 'rem', a, b, dtype: 'u32' };
}
export const ilt = (a: KExpr, b: KExpr): KExpr => ({ k: 'binary', op: 'lt', a, b, dtype: 'bool' });
export const iand = (a: KExpr, b: KExpr): KExpr => ({ k: 'binary', op: 'and', a, b, dtype: 'bool' });
export const select = (pred: KExpr, a: KExpr, b: KExpr, dtype: DType): KExpr => ({ k: 'select', pred, a, b, dtype });

/** Product of sizes as a u32 expression. */
export const dimProduct = (dims: readonly Dim[]): KExpr => dims.reduce<KExpr>((acc, d) => imul(acc, dimExpr(d)), u32(1));

/** Row-major linear index of `coords` in an array of shape `dims`. */
export function linearize(coords: readonly KExpr[], dims: readonly Dim[]): KExpr {
  let acc: KExpr = u32(0);
  for (let i = 0; i < coords.length; i++) acc = iadd(imul(acc, dimExpr(dims[i])), coords[i]);
  return acc;
}

/** Inverse of `linearize`: the coordinates of linear index `index` in shape `dims`. */
export function delinearize(index: KExpr, dims: readonly Dim[]): KExpr[] {
  const out: KExpr[] = new Array(dims.length);
  let rest = index;
  for (let i = dims.length - 1; i >= 0; i--) {
    const size = dimExpr(dims[i]);
    out[i] = i === 0 ? rest : irem(rest, size);
    rest = idiv(rest, size);
  }
  return out;
}

/** The dtype an expression evaluates to, given the dtypes of the kernel inputs. */
export function exprDType(e: KExpr, inputDTypes: readonly DType[]): DType {
  switch (e.k) {
    case 'lit':
      return e.dtype;
    case 'coord':
    case 'dim':
      return 'u32';
    case 'load':
      return inputDTypes[e.input];
    default:
      return e.dtype;
  }
}

/** Compact text of an expression, for kernel-plan dumps. */
export function formatExpr(e: KExpr): string {
  switch (e.k) {
    case 'lit':
      return e.dtype === 'f32' ? `${e.value}f` : e.dtype === 'bool' ? String(e.value !== 0) : `${e.value}${e.dtype[0]}`;
    case 'coord':
      return `c${e.axis}`;
    case 'dim':
      return String(e.dim);
    case 'load':
      return `in${e.input}[${e.coords.map(formatExpr).join(',')}]`;
    case 'unary':
      return `${e.op}(${formatExpr(e.arg)})`;
    case 'binary':
      return `${e.op}(${formatExpr(e.a)}, ${formatExpr(e.b)})`;
    case 'select':
      return `select(${formatExpr(e.pred)}, ${formatExpr(e.a)}, ${formatExpr(e.b)})`;
    case 'cast':
      return `${e.dtype}(${formatExpr(e.arg)})`;
    case 'call':
      return `${e.fn}(${e.args.map(formatExpr).join(', ')})`;
  }
}
