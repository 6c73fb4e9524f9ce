/** Element types of the IR. `bool` is stored as u32 (0 or 1) in GPU buffers. */
export const DTYPES = ['f32', 'i32', 'u32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

export const isFloat = (d: DType): boolean => d === 'f32';
export const isInteger = (d: DType): boolean => d === 'i32' || d === 'u32';

/** Bytes per element in a GPU buffer (bool occupies a full u32 word). */
export const BYTES_PER_ELEMENT = 4;

/** Rounds a float64 value to what the dtype can hold (the reference's notion of a store). */
export function coerce(dtype: DType, v: number): number {
  switch (dtype) {
    case 'f32':
      return v;
    case 'i32':
      return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case 'u32':
      return Number.isFinite(v) ? Math.trunc(v) >>> 0 : 0;
    case 'bool':
      return v !== 0 ? 1 : 0; // NaN is true, as in a cast to bool
  }
}

/** The typed array users get back from `data()`. */
export type HostData = Float32Array | Int32Array | Uint32Array | Uint8Array;

export function hostArrayFor(dtype: DType, n: number): HostData {
  switch (dtype) {
    case 'f32':
      return new Float32Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

/** The dtype of a typed array handed to `ax.array`. */
export function dtypeOfHostData(data: ArrayLike<number>): DType {
  if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Int8Array) return 'i32';
  if (data instanceof Uint32Array || data instanceof Uint16Array) return 'u32';
  if (data instanceof Uint8Array) return 'bool';
  return 'f32';
}
