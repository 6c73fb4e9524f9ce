import { formatType, isSymbol, ShapeError, type Dim } from '../ir/index.ts';
import { normalizeAxes, normalizeAxis } from './axes.ts';
import { dynamicSlice } from './dynamic-slice.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, scalar, type Operand } from './operand.ts';
import { mod } from './ops-binary.ts';
import { concatenate, ravel, reshape, slice, take } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';
import { TraceError } from './trace-context.ts';

/** NumPy's tile, repeat, flip and roll, written with movement primitives (index maps). */

const fail = (op: string, x: Tensor, why: string) => new ShapeError(op, why, [formatType(x)], callSite());

function checkCount(op: string, x: Tensor, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw fail(op, x, `${what} must be a non-negative integer (a JS number: the result's shape depends on it), got ${String(n)}`);
  return n;
}

/** The elements in reverse order along `axis` (every axis when omitted), as NumPy's flip. */
export function flip(x: Operand, axis?: number | readonly number[] | null): Tensor {
  const t = lift('flip', x);
  const dims = normalizeAxes('flip', t, axis);
  return dims.length === 0 ? t : emit(t.ctx, 'rev', [t], { dims });
}

/**
 * NumPy's tile: `reps` copies along each axis. Shorter reps count from the last axis; a longer
 * one gives x leading axes of size 1. A symbolic axis can only be tiled once.
 */
export function tile(x: Operand, reps: number | readonly number[]): Tensor {
  const t = lift('tile', x);
  const given = (typeof reps === 'number' ? [reps] : [...reps]).map((r) => checkCount('tile', t, 'each repetition count', r));
  const rank = Math.max(given.length, t.ndim);
  const r = [...Array<number>(rank - given.length).fill(1), ...given];
  const s: Dim[] = [...Array<number>(rank - t.ndim).fill(1), ...t.shape];
  s.forEach((d, i) => {
    if (isSymbol(d) && r[i] !== 1) throw fail('tile', t, `cannot repeat symbolic axis ${i - (rank - t.ndim)} (${d}) ${r[i]} times`);
  });
  const base = reshape(t, s);
  if (r.every((k) => k === 1)) return base;
  // [r0, s0, r1, s1, ...] with x along the odd axes, then the pairs merged: copy k of axis i
  // holds x at k·s_i + j.
  const spread = s.flatMap((d, i) => [r[i], d]);
  const copies = emit(t.ctx, 'broadcast_in_dim', [base], { shape: spread, dims: s.map((_, i) => 2 * i + 1) });
  return reshape(copies, s.map((d, i) => (r[i] === 1 ? d : r[i] * (d as number))));
}

/**
 * NumPy's repeat: each element `repeats` times along `axis` (of the flattened array when
 * omitted); `repeats` may also give one count per element of that axis.
 */
export function repeat(x: Operand, repeats: number | readonly number[], axis?: number): Tensor {
  let t = lift('repeat', x);
  if (axis === undefined) t = ravel(t);
  const a = normalizeAxis('repeat', axis ?? 0, t.ndim, t);
  const n = t.shape[a];
  if (typeof repeats !== 'number' && !Array.isArray(repeats))
    throw new TraceError('ax.repeat: repeats must be a JS number or an array of them (the result shape depends on them)');
  const counts = (typeof repeats === 'number' ? [repeats] : repeats).map((r) => checkCount('repeat', t, 'each repeat count', r));
  if (counts.length === 1) {
    const k = counts[0];
    if (k === 1) return t;
    if (isSymbol(n)) throw fail('repeat', t, `cannot repeat along symbolic axis ${a} (${n})`);
    const spread = [...t.shape.slice(0, a + 1), k, ...t.shape.slice(a + 1)];
    const copies = emit(t.ctx, 'broadcast_in_dim', [t], { shape: spread, dims: t.shape.map((_, i) => (i <= a ? i : i + 1)) });
    return reshape(copies, t.shape.map((d, i) => (i === a ? (d as number) * k : d)));
  }
  if (counts.length !== n) throw fail('repeat', t, `${counts.length} repeat counts for axis ${a} of size ${n}`);
  return take(t, counts.flatMap((k, i) => Array<number>(k).fill(i)), a);
}

/**
 * NumPy's roll: elements shifted by `shift` along `axis` (the flattened array when omitted),
 * those past the end coming back at the start. Several axes take one shift each (or one for
 * all); a shift may be a traced integer scalar.
 */
export function roll(x: Operand, shift: number | readonly number[] | Operand, axis?: number | readonly number[]): Tensor {
  const t = lift('roll', x);
  if (axis === undefined) {
    if (Array.isArray(shift)) throw fail('roll', t, 'several shifts need the axes they apply to');
    return reshape(rollAxis(ravel(t), shift as Operand, 0), t.shape);
  }
  const axes = (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('roll', a, t.ndim, t));
  const shifts = Array.isArray(shift) ? (shift as readonly number[]) : axes.map(() => shift as Operand);
  if (shifts.length !== axes.length) throw fail('roll', t, `${shifts.length} shifts for ${axes.length} axes`);
  return axes.reduce((acc, a, i) => rollAxis(acc, shifts[i], a), t);
}

function rollAxis(t: Tensor, shift: Operand, axis: number): Tensor {
  const n = t.shape[axis];
  if (isSymbol(n)) throw fail('roll', t, `cannot roll along symbolic axis ${axis} (${n})`);
  if (n === 0) return t;
  const at = (from: number, to: number) => slice(t, t.shape.map((_, i) => (i === axis ? from : 0)), t.shape.map((d, i) => (i === axis ? to : d)));
  if (typeof shift === 'number') {
    if (!Number.isInteger(shift)) throw fail('roll', t, `shift ${shift} is not an integer`);
    const s = ((shift % n) + n) % n;
    return s === 0 ? t : concatenate([at(n - s, n), at(0, n - s)], axis);
  }
  // A traced shift: the window of n elements of [x, x] that starts at (n - shift mod n) mod n.
  const k = lift('roll', shift);
  if (k.ndim !== 0 || (k.dtype !== 'i32' && k.dtype !== 'u32')) throw fail('roll', k, `a traced shift must be an integer scalar, got ${formatType(k)}`);
  const start = mod(emit(t.ctx, 'sub', [scalar(t.ctx, n, k.dtype), mod(k, n)], {}), n);
  const starts = t.shape.map((_, i) => (i === axis ? start : 0));
  return dynamicSlice(concatenate([t, t], axis), starts, t.shape);
}
