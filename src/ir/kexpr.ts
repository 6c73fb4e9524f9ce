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
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly KExpr[]; readonly dtype: DType }
  /** In an epilogue: the value the kernel's anchor computed (the reduction, the dot product) here. */
  | { readonly k: 'acc'; readonly dtype: DType }
  /** Renderer-internal: WGSL text standing for a value of the kernel (an accumulator, an index). */
  | { readonly k: 'raw'; readonly text: string; readonly dtype: DType };

export const lit = (dtype: DType, value: number): KExpr => ({ k: 'lit', dtype, value });
export const u32 = (value: number): KExpr => ({ k: 'lit', dtype: 'u32', value });
export const coord = (axis: number): KExpr => ({ k: 'coord', axis });
export const dimExpr = (dim: Dim): KExpr => (typeof dim === 'number' ? u32(dim) : { k: 'dim', dim });
export const load = (input: number, coords: readonly KExpr[]): KExpr => ({ k: 'load', input, coords });
export const raw = (text: string, dtype: DType): KExpr => ({ k: 'raw', text, dtype });
export const acc = (dtype: DType): KExpr => ({ k: 'acc', dtype });

/** An epilogue with `value` in place of the anchor's `acc`. */
export const withAcc = (e: KExpr, value: KExpr): KExpr => rewriteExpr(e, (x) => (x.k === 'acc' ? value : x));

/** `e` with coordinate i replaced by coords[i] (coordinates past the list stay). */
export const atCoords = (e: KExpr, coords: readonly KExpr[]): KExpr =>
  rewriteExpr(e, (x) => (x.k === 'coord' && x.axis < coords.length ? coords[x.axis] : x));

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
  // A reshape's coordinates are delinearize(L, dims): their linear index is L itself.
  const source = delinearizedFrom(coords, dims);
  if (source) return source;
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

/** The L with delinearize(L, dims) equal to `coords`, if there is one. */
function delinearizedFrom(coords: readonly KExpr[], dims: readonly Dim[]): KExpr | undefined {
  if (coords.length < 2 || coords.length !== dims.length) return undefined;
  const last = coords[coords.length - 1];
  if (last.k !== 'binary' || last.op !== 'rem') return undefined;
  const candidate = last.a;
  const again = delinearize(candidate, dims);
  return again.every((c, i) => exprKey(c) === exprKey(coords[i])) ? candidate : undefined;
}

/** The direct subexpressions of `e`, in a fixed order (what `withChildren` takes back). */
export function children(e: KExpr): readonly KExpr[] {
  switch (e.k) {
    case 'load':
      return e.coords;
    case 'unary':
    case 'cast':
      return [e.arg];
    case 'binary':
      return [e.a, e.b];
    case 'select':
      return [e.pred, e.a, e.b];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/** `e` with its direct subexpressions replaced (in `children` order). */
export function withChildren(e: KExpr, kids: readonly KExpr[]): KExpr {
  switch (e.k) {
    case 'load':
      return { ...e, coords: kids };
    case 'unary':
    case 'cast':
      return { ...e, arg: kids[0] };
    case 'binary':
      return { ...e, a: kids[0], b: kids[1] };
    case 'select':
      return { ...e, pred: kids[0], a: kids[1], b: kids[2] };
    case 'call':
      return { ...e, args: kids };
    default:
      return e;
  }
}

/**
 * Rebuilds `e` bottom-up: every node's children are rewritten first, then `f` sees the node with
 * its new children and returns its replacement (or the node itself).
 */
export function rewriteExpr(e: KExpr, f: (node: KExpr) => KExpr): KExpr {
  const memo = new Map<KExpr, KExpr>();
  const go = (x: KExpr): KExpr => {
    const known = memo.get(x);
    if (known) return known;
    const kids = children(x);
    const next = kids.map(go);
    const rebuilt = next.every((k, i) => k === kids[i]) ? x : withChildren(x, next);
    const out = f(rebuilt);
    memo.set(x, out);
    return out;
  };
  return go(e);
}

/** Visits every node of `e` once per occurrence, parents before children. */
export function visitExpr(e: KExpr, f: (node: KExpr) => void): void {
  f(e);
  for (const c of children(e)) visitExpr(c, f);
}

const keys = new WeakMap<KExpr, string>();

/** A string that two expressions share exactly when they are structurally equal. */
export function exprKey(e: KExpr): string {
  const known = keys.get(e);
  if (known !== undefined) return known;
  let key: string;
  switch (e.k) {
    case 'lit':
      key = `${e.dtype}:${Object.is(e.value, -0) ? '-0' : e.value}`;
      break;
    case 'coord':
      key = `c${e.axis}`;
      break;
    case 'dim':
      key = `d:${e.dim}`;
      break;
    case 'acc':
      key = `acc:${e.dtype}`;
      break;
    case 'raw':
      key = `raw:${e.dtype}:${e.text}`;
      break;
    case 'load':
      key = `ld${e.input}[${e.coords.map(exprKey).join(',')}]`;
      break;
    case 'unary':
      key = `${e.op}:${e.dtype}(${exprKey(e.arg)})`;
      break;
    case 'binary':
      key = `${e.op}:${e.dtype}(${exprKey(e.a)},${exprKey(e.b)})`;
      break;
    case 'select':
      key = `sel:${e.dtype}(${exprKey(e.pred)},${exprKey(e.a)},${exprKey(e.b)})`;
      break;
    case 'cast':
      key = `${e.from}->${e.dtype}(${exprKey(e.arg)})`;
      break;
    case 'call':
      key = `${e.fn}:${e.dtype}(${e.args.map(exprKey).join(',')})`;
      break;
  }
  keys.set(e, key);
  return key;
}

/** Whether `e` reads coordinate `axis` anywhere. */
export function usesCoord(e: KExpr, axis: number): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.k === 'coord' && x.axis === axis) found = true;
  });
  return found;
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
    case 'acc':
      return 'acc';
    case 'raw':
      return e.text;
  }
}
