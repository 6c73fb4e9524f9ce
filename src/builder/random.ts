import { hostTensor, InputError, type HostTensor, type Shape } from '../ir/index.ts';
import { emit } from './emit.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { add, less, multiply } from './ops-binary.ts';
import { checkShape } from './ops-create.ts';
import { index } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';

/**
 * Keyed counter-based random numbers (ax.random) over the random_bits primitive, so the reference
 * interpreter and the GPU draw the same bits. A key is a u32[2] array; as in JAX, use a key for
 * either one draw or one split, never both, and never twice.
 */

/** A key from an integer seed in [0, 2^53): u32[2] = [high word, low word]. A concrete array. */
export function key(seed: number): HostTensor {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError('seed', 'a non-negative safe integer', String(seed));
  return hostTensor('u32', [2], [Math.floor(seed / 2 ** 32), seed % 2 ** 32]);
}

/** `n` new keys, as u32[n, 2] (destructure them: `const [k1, k2] = ax.random.split(key)`). */
export function split(k: Operand, n = 2): Tensor {
  const t = lift('random.split', k);
  return emit(t.ctx, 'random_bits', [t], { shape: [n, 2] });
}

/** Uniform random u32 bits of `shape`. */
export function bits(k: Operand, shape: Shape): Tensor {
  const t = lift('random.bits', k);
  checkShape('random.bits', shape);
  return emit(t.ctx, 'random_bits', [t], { shape });
}

const TWO_POW_MINUS_24 = 2 ** -24;

/**
 * The top 24 bits as an f32 in [0, 1) (or (0, 1] with `offset` 1): every step is exact in f32,
 * so CPU and GPU agree bit for bit.
 */
function unitFloat(b: Tensor, offset: 0 | 1): Tensor {
  const ctx = b.ctx;
  let top = emit(ctx, 'shr', [b, liftAs('random', ctx, 8, 'u32')], {});
  if (offset) top = emit(ctx, 'add', [top, liftAs('random', ctx, 1, 'u32')], {});
  return emit(ctx, 'mul', [emit(ctx, 'cast', [top], { dtype: 'f32' }), liftAs('random', ctx, TWO_POW_MINUS_24, 'f32')], {});
}

export interface UniformOptions {
  min?: number;
  max?: number;
}

/** f32 uniform on [min, max) (default [0, 1)): min + (max - min) * (bits >> 8) * 2^-24. */
export function uniform(k: Operand, shape: Shape, opts: UniformOptions = {}): Tensor {
  const u = unitFloat(bits(k, shape), 0);
  const lo = opts.min ?? 0;
  const hi = opts.max ?? 1;
  if (lo === 0 && hi === 1) return u;
  return add(multiply(u, hi - lo), lo);
}

/**
 * f32 standard normal by Box–Muller: z = sqrt(-2 ln u1) cos(2π u2), with u1 in (0, 1] (so the
 * log is finite) and u2 in [0, 1) drawn from the two halves of one bits draw of shape [2, ...shape].
 */
export function normal(k: Operand, shape: Shape): Tensor {
  const b = bits(k, [2, ...shape]);
  const ctx = b.ctx;
  const u1 = unitFloat(index(b, 0), 1);
  const u2 = unitFloat(index(b, 1), 0);
  const minusTwo = liftAs('random.normal', ctx, -2, 'f32');
  const radius = emit(ctx, 'sqrt', [emit(ctx, 'mul', [minusTwo, emit(ctx, 'log', [u1], {})], {})], {});
  const angle = emit(ctx, 'mul', [u2, liftAs('random.normal', ctx, 2 * Math.PI, 'f32')], {});
  return emit(ctx, 'mul', [radius, emit(ctx, 'cos', [angle], {})], {});
}

/** bool array, true with probability p. */
export const bernoulli = (k: Operand, p: number, shape: Shape): Tensor => less(uniform(k, shape), p);
