import { expect } from 'vitest';
import type { DType, HostTensor } from '../../src/ir/index.ts';

const RANGES: { [D in DType]?: readonly [number, number] } = {
  i32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
  bool: [0, 1],
};

/**
 * A host tensor the way every consumer expects it: as many elements as its shape says, and
 * integer dtypes holding integers of their range (never -0, which would leak into casts back to
 * f32).
 */
export function expectWellFormed(t: HostTensor, what: string): void {
  expect(t.data.length, `${what}: element count`).toBe(t.shape.reduce((a, b) => a * b, 1));
  const range = RANGES[t.dtype];
  if (!range) return;
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < range[0] || v > range[1] || Object.is(v, -0))
      expect.fail(`${what}: element ${i} is ${Object.is(v, -0) ? '-0' : v}, not a ${t.dtype}`);
  }
}
