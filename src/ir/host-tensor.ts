import { coerce, type DType } from './dtype.ts';
import { formatShape } from './shape.ts';

/**
 * A concrete array on the host, as the reference interpreter sees it: every element is a float64
 * (integers are held exactly), whatever the dtype.
 */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const hostSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function hostTensor(dtype: DType, shape: readonly number[], data?: ArrayLike<number>): HostTensor {
  const n = hostSize(shape);
  const out = new Float64Array(n);
  if (data) {
    if (data.length !== n) throw new Error(`${n} elements expected for ${formatShape(shape)}, got ${data.length}`);
    for (let i = 0; i < n; i++) out[i] = coerce(dtype, data[i]);
  }
  return { dtype, shape: [...shape], data: out };
}

export function fillTensor(dtype: DType, shape: readonly number[], f: (i: number) => number): HostTensor {
  const t = hostTensor(dtype, shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = coerce(dtype, f(i));
  return t;
}
