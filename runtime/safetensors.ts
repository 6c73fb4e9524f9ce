import type { DType } from '../src/ir/dtype.ts';
import { AxonicError } from '../src/ir/errors.ts';
import { hostTensor, type HostTensor } from '../src/ir/host-tensor.ts';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
 * JSON header `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { ... } }`
 * and the tensors' bytes, little-endian, row-major, offsets relative to the end of the header.
 * The reader validates everything the format promises before it trusts any of it.
 */

export class SafetensorsError extends AxonicError {
  override name = 'SafetensorsError';
}

/** One named tensor, in the order the file stores it. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: HostTensor;
}

const CODES: Record<DType, string> = { f32: 'F32', i32: 'I32', u32: 'U32', bool: 'BOOL' };
const WIDTH: Record<string, number> = { F32: 4, I32: 4, U32: 4, BOOL: 1 };
const DTYPE_OF: Record<string, DType> = { F32: 'f32', I32: 'i32', U32: 'u32', BOOL: 'bool' };
/** The header of a sane file is small; this bounds what a corrupted length can make us allocate. */
const MAX_HEADER_BYTES = 100_000_000;

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Encodes tensors (f32 as float32, bool as one byte) with optional string metadata. */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = { ...metadata };
  let offset = 0;
  const seen = new Set<string>();
  for (const { name, tensor } of tensors) {
    if (name === '__metadata__' || seen.has(name)) throw new SafetensorsError(`tensor name '${name}' is ${seen.has(name) ? 'used twice' : 'reserved'}`);
    seen.add(name);
    const code = CODES[tensor.dtype];
    const bytes = numel(tensor.shape) * WIDTH[code];
    header[name] = { dtype: code, shape: [...tensor.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned (the format allows trailing whitespace).
  const encoder = new TextEncoder();
  while ((8 + encoder.encode(json).length) % 8 !== 0) json += ' ';
  const head = encoder.encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  const view = new DataView(out.buffer, 8 + head.length);
  let at = 0;
  for (const { tensor } of tensors) {
    const d = tensor.data;
    for (let i = 0; i < d.length; i++) {
      switch (tensor.dtype) {
        case 'f32':
          view.setFloat32(at, d[i], true);
          break;
        case 'i32':
          view.setInt32(at, d[i], true);
          break;
        case 'u32':
          view.setUint32(at, d[i], true);
          break;
        case 'bool':
          view.setUint8(at, d[i] ? 1 : 0);
          break;
      }
      at += WIDTH[CODES[tensor.dtype]];
    }
  }
  return out;
}

/** Decodes and validates a safetensors file: header, dtypes, shapes, and offsets that tile the data exactly. */
export function decodeSafetensors(bytes: Uint8Array, what = 'the safetensors file'): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  const bad = (why: string): never => {
    throw new SafetensorsError(`${what} is not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) bad(`it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = dv.getBigUint64(0, true);
  if (headerBytes > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) bad(`its header length ${headerBytes} runs past the end of the file (${bytes.length} bytes)`);
  const n = Number(headerBytes);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    bad(`its header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad('its header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Object.values(info).some((v) => typeof v !== 'string')) bad('__metadata__ must map names to strings');
      metadata = info as Record<string, string>;
      continue;
    }
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null) bad(`the entry of ${name} is not an object`);
    if (typeof t.dtype !== 'string' || !(t.dtype in WIDTH))
      bad(`tensor ${name} has dtype ${JSON.stringify(t.dtype)}; axonic reads F32, I32, U32 and BOOL`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad(`tensor ${name} has no valid shape`);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[0] > off[1])
      bad(`tensor ${name} has no valid data_offsets`);
    const [begin, end] = off as number[];
    const shape = t.shape as number[];
    const dtype = t.dtype as string;
    if (end - begin !== numel(shape) * WIDTH[dtype]) bad(`tensor ${name} is ${dtype}[${shape.join(', ')}] but spans ${end - begin} bytes`);
    if (end > dataLength) bad(`tensor ${name} ends at byte ${end}, past the data (${dataLength} bytes)`);
    entries.push({ name, dtype, shape, begin, end });
  }
  // The data must be tiled exactly: no gaps, no overlaps, nothing left over.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of byOffset) {
    if (e.begin !== expected) bad(e.begin < expected ? `tensor ${e.name} overlaps another` : `there is a gap of ${e.begin - expected} bytes before tensor ${e.name}`);
    expected = e.end;
  }
  if (expected !== dataLength) bad(`${dataLength - expected} bytes follow the last tensor`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataLength);
  const tensors = entries.map(({ name, dtype, shape, begin }) => {
    const t = hostTensor(DTYPE_OF[dtype], shape);
    const width = WIDTH[dtype];
    for (let i = 0; i < t.data.length; i++) {
      const at = begin + i * width;
      t.data[i] = dtype === 'F32' ? view.getFloat32(at, true) : dtype === 'I32' ? view.getInt32(at, true) : dtype === 'U32' ? view.getUint32(at, true) : view.getUint8(at) ? 1 : 0;
    }
    return { name, tensor: t };
  });
  return { tensors, metadata };
}
