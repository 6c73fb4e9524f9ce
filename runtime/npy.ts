import type { DType } from '../src/ir/dtype.ts';
import { AxonicError } from '../src/ir/errors.ts';
import { hostTensor, type HostTensor } from '../src/ir/host-tensor.ts';

/** NumPy's .npy format (versions 1–3): a magic string, a header dict, then the array's bytes, C order. */

export class NpyError extends AxonicError {
  override name = 'NpyError';
}

const DESCR: Record<DType, string> = { f32: '<f4', i32: '<i4', u32: '<u4', bool: '|b1' };

/** Element readers by descr; 8-byte types are narrowed to axonic's dtypes (f64 → f32, i64 → i32 when it fits). */
const READERS: Record<string, { width: number; dtype: DType; get: (v: DataView, at: number) => number }> = {
  '<f4': { width: 4, dtype: 'f32', get: (v, at) => v.getFloat32(at, true) },
  '<f8': { width: 8, dtype: 'f32', get: (v, at) => v.getFloat64(at, true) },
  '<i4': { width: 4, dtype: 'i32', get: (v, at) => v.getInt32(at, true) },
  '<i8': { width: 8, dtype: 'i32', get: (v, at) => Number(v.getBigInt64(at, true)) },
  '<u4': { width: 4, dtype: 'u32', get: (v, at) => v.getUint32(at, true) },
  '|b1': { width: 1, dtype: 'bool', get: (v, at) => v.getUint8(at) },
  '|u1': { width: 1, dtype: 'u32', get: (v, at) => v.getUint8(at) },
};

export function encodeNpy(t: HostTensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const width = t.dtype === 'bool' ? 1 : 4;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + t.data.length * width);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  t.data.forEach((x, i) => {
    const at = base + i * width;
    if (t.dtype === 'f32') view.setFloat32(at, x, true);
    else if (t.dtype === 'i32') view.setInt32(at, x, true);
    else if (t.dtype === 'u32') view.setUint32(at, x, true);
    else view.setUint8(at, x ? 1 : 0);
  });
  return out;
}

export function decodeNpy(bytes: Uint8Array, what = 'the .npy file'): HostTensor {
  const bad = (why: string): never => {
    throw new NpyError(`${what} is not a .npy array axonic reads: ${why}`);
  };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) bad('it does not start with the .npy magic string');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const [headerLength, start] = major === 1 ? [view.getUint16(8, true), 10] : major <= 3 && bytes.length >= 12 ? [view.getUint32(8, true), 12] : bad(`version ${major} is unknown`);
  if (start + headerLength > bytes.length) bad('its header runs past the end of the file');
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) bad(`its header is not a .npy header: ${header.trim()}`);
  if (fortran === 'True') bad('it is in Fortran order; save it in C order (numpy.ascontiguousarray)');
  const reader = READERS[descr!] ?? bad(`its dtype ${descr} is not one of ${Object.keys(READERS).join(', ')}`);
  const shape = shapeText!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) bad(`its shape (${shapeText}) is not a shape`);
  const n = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (bytes.length - dataStart !== n * reader.width) bad(`it holds ${bytes.length - dataStart} bytes of data, ${n * reader.width} expected for shape (${shape.join(', ')})`);
  const t = hostTensor(reader.dtype, shape);
  for (let i = 0; i < n; i++) t.data[i] = reader.get(view, dataStart + i * reader.width);
  return reader.dtype === 'f32' ? { ...t, data: t.data.map(Math.fround) } : t;
}
