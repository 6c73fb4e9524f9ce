import type { DType } from '../../src/ir/index.ts';

/** The 32 bits of a value of the dtype, as a WGSL u32 literal. */
function bitsOf(dtype: DType, v: number): string {
  const word = new Uint32Array(1);
  if (dtype === 'f32') new Float32Array(word.buffer)[0] = v;
  else word[0] = dtype === 'bool' ? (v ? 1 : 0) : v >>> 0;
  return `0x${word[0].toString(16)}u`;
}

/**
 * A literal the WGSL compiler cannot see through: its bits OR'd with the uniform word that is
 * always 0. Drivers may fold arithmetic on literals assuming no infinity, NaN or signed zero
 * (lavapipe drops the store of x / 0.0 entirely, and folds x + 0.0 to x for x = -0).
 */
export function opaqueLiteral(dtype: DType, v: number): string {
  const bits = `(${bitsOf(dtype, v)} | sizes.ax_zero)`;
  switch (dtype) {
    case 'f32':
      return `bitcast<f32>${bits}`;
    case 'i32':
      return `bitcast<i32>${bits}`;
    case 'u32':
      return bits;
    case 'bool':
      return `(${bits} != 0u)`;
  }
}

/** f32 values the compiler may fold as written: normal, and far from overflow and underflow. */
const isPlainF32 = (f: number): boolean => Number.isFinite(f) && Math.abs(f) >= 2 ** -64 && Math.abs(f) <= 2 ** 64;

/**
 * WGSL spelling of a number as a literal. Finite values outside f32's range are infinities, as a
 * store would round them. Zeros, infinities, NaN, subnormals and huge values are opaque (above).
 */
export function literal(dtype: DType, v: number, opaque = false): string {
  switch (dtype) {
    case 'f32': {
      const f = Math.fround(v);
      if (opaque || !isPlainF32(f)) return opaqueLiteral('f32', f);
      return f < 0 ? `(${String(f)}f)` : `${String(f)}f`;
    }
    case 'i32': {
      if (!Number.isFinite(v)) throw new Error(`wgsl: i32 literal ${v} (a kernel rule produced a non-integer size)`);
      const i = v | 0;
      if (opaque) return opaqueLiteral('i32', i);
      if (i === -2147483648) return '(-2147483647i - 1i)';
      return i < 0 ? `(${i}i)` : `${i}i`;
    }
    case 'u32':
      if (!Number.isFinite(v)) throw new Error(`wgsl: u32 literal ${v} (a kernel rule produced a non-integer size)`);
      return opaque ? opaqueLiteral('u32', v) : `${Math.trunc(v) >>> 0}u`;
    case 'bool':
      return opaque ? opaqueLiteral('bool', v) : v ? 'true' : 'false';
  }
}

