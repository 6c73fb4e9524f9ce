import type { DType } from '../../src/ir/dtype.ts';
import { deviceWords } from '../transfer.ts';

/** A const buffer's values as base64 of their little-endian 32-bit words (exact: NaN and infinities included). */
export function encodeWords(dtype: DType, data: ArrayLike<number>): string {
  const words = deviceWords(dtype, data);
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The values of `encodeWords`, or undefined when the text is not base64 of `count` words. */
export function decodeWords(dtype: DType, base64: string, count: number): number[] | undefined {
  let text: string;
  try {
    text = atob(base64);
  } catch {
    return undefined;
  }
  if (text.length !== 4 * count) return undefined;
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, i) =>
    dtype === 'f32' ? view.getFloat32(4 * i, true) : dtype === 'i32' ? view.getInt32(4 * i, true) : view.getUint32(4 * i, true),
  );
}

/** SHA-256 of bytes, as 64 hex digits (Web Crypto: Node and browsers alike). */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as unknown as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
