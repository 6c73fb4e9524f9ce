import { readFileSync } from 'node:fs';
import { decodeNpy } from '../../runtime/npy.ts';
import { decodeSafetensors } from '../../runtime/safetensors.ts';
import type { NamedTensor } from '../../runtime/safetensors.ts';
import { AxonicError, hostTensor, isDType, type DType, type HostTensor } from '../ir/index.ts';

/** A command line that asks for something impossible: exit code 2, like a parse error of the arguments. */
export class UsageError extends AxonicError {
  override name = 'UsageError';
}

/** `name=VALUE` of --input and --data. */
export function splitAssignment(text: string, option: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`${option} ${text}: expected NAME=VALUE (a .npy or .json file, or inline JSON like x=[[0,1]])`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Nested lists of numbers as a tensor of `dtype`; ragged lists are refused. */
function fromNested(v: unknown, dtype: DType, what: string): HostTensor {
  const shape: number[] = [];
  for (let x = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  const flat: number[] = [];
  const walk = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x !== 'number' && typeof x !== 'boolean') throw new UsageError(`${what}: expected numbers, found ${JSON.stringify(x)}`);
      flat.push(Number(x));
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) throw new UsageError(`${what}: the nested lists are not rectangular`);
    for (const y of x) walk(y, depth + 1);
  };
  walk(v, 0);
  return hostTensor(dtype, shape, flat);
}

/**
 * A value given on the command line: a .npy file, a .json file, or inline JSON — nested lists,
 * or {"dtype": "f32", "shape": [2, 2], "data": [...]}. Numbers are converted to `dtype` (the
 * type the model declares for the input).
 */
export function readValue(text: string, dtype: DType, what: string): HostTensor {
  const trimmed = text.trim();
  if (/\.npy$/i.test(trimmed)) {
    const t = decodeNpy(readBytes(trimmed, what), trimmed);
    return t.dtype === dtype ? t : hostTensor(dtype, t.shape, t.data);
  }
  const json = /\.json$/i.test(trimmed) ? new TextDecoder().decode(readBytes(trimmed, what)) : trimmed;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new UsageError(`${what}: '${text}' is neither a .npy or .json file nor JSON`);
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as { dtype?: unknown; shape?: unknown; data?: unknown };
    if (!Array.isArray(o.shape) || !Array.isArray(o.data)) throw new UsageError(`${what}: a JSON object needs "shape" and "data" (and may give "dtype")`);
    const d = o.dtype === undefined ? dtype : String(o.dtype);
    if (!isDType(d)) throw new UsageError(`${what}: unknown dtype ${d}`);
    const size = (o.shape as number[]).reduce((a, b) => a * b, 1);
    if (o.data.length !== size) throw new UsageError(`${what}: "data" has ${o.data.length} numbers, the shape holds ${size}`);
    return hostTensor(dtype, o.shape as number[], (o.data as number[]).map(Number));
  }
  return fromNested(v, dtype, what);
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Parameters from a safetensors file (a checkpoint, an explicit start). */
export function readParams(path: string): NamedTensor[] {
  return decodeSafetensors(readBytes(path, '--params'), path).tensors;
}

/** A tensor as nested JSON lists (NaN and infinities as strings, which JSON lacks). */
export function toNested(t: HostTensor): unknown {
  const value = (x: number) => (Number.isFinite(x) ? (t.dtype === 'bool' ? x !== 0 : x) : String(x));
  if (t.shape.length === 0) return value(t.data[0]);
  let at = 0;
  const build = (depth: number): unknown =>
    Array.from({ length: t.shape[depth] }, () => (depth === t.shape.length - 1 ? value(t.data[at++]) : build(depth + 1)));
  return build(0);
}

/** float32 values printed as float32 (shortest text that reads back to the same float32). */
export function formatF32(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(x)) return String(Number(s));
  }
  return String(x);
}

/** `out: f32[4,1] = [[0], [1], [1], [0]]`. */
export function formatTensor(name: string, t: HostTensor): string {
  const item = (x: number) => (t.dtype === 'f32' ? formatF32(x) : t.dtype === 'bool' ? String(x !== 0) : String(x));
  let at = 0;
  const build = (depth: number): string =>
    depth === t.shape.length ? item(t.data[at++]) : `[${Array.from({ length: t.shape[depth] }, () => build(depth + 1)).join(', ')}]`;
  return `${name}: ${t.dtype}[${t.shape.join(',')}] = ${build(0)}`;
}
