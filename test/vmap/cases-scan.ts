import type { TensorType } from '../../src/ir/index.ts';
import type { BatchCase } from './batch-case.ts';
import { region } from './cases-control.ts';

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

/**
 * Carry (s, acc, counter), scanned x_t, constant w:
 *   s ← tanh(s·w + x_t·(counter + 1)/2),  acc ← acc + Σ s²,  counter ← counter + 1;
 * stacked ys: s' ⊙ x_t, the counter (never batched) and acc'. With only xs batched, s becomes
 * batched at the first step and acc at the second (a fixed point, as for loop); a batched xs
 * at its last axis must come out with its batch axis after the time axis.
 */
const scanBody = region([f32(3), f32(), i32(), f32(3), f32(3, 3)], (e, [s, acc, c, x, w]) => {
  const next = e.add(c, e.scalar(1, 'i32'));
  const drive = e.mul(x, e.scale(e.cast(next, 'f32'), 0.5));
  const sw = e.op1('dot_general', [s, w], { lhs_contracting: [0], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  const s1 = e.unary('tanh', e.add(sw, drive));
  const acc1 = e.add(acc, e.sum(e.mul(s, s), [0]));
  return [s1, acc1, next, e.mul(s1, x), next, acc1];
}, 'body');

export const SCAN_CASES: readonly BatchCase[] = [
  ...[false, true].map((reverse) => ({
    op: 'scan' as const,
    name: `4 steps${reverse ? ', reversed' : ''}, with a counter, stacked ys and a constant`,
    example: (d: Parameters<BatchCase['example']>[0]) => [d.f32([3]), d.f32([]), d.f32([4, 3]), d.f32([3, 3])],
    build: (e: Parameters<BatchCase['build']>[0], [s0, acc0, xs, w]: Parameters<BatchCase['build']>[1]) =>
      e.op('scan', [s0, acc0, e.scalar(0, 'i32'), xs, w], { length: 4, carried: 3, scanned: 1, reverse }, [scanBody]),
  })),
];
