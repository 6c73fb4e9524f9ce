import type { TensorType } from '../../src/ir/index.ts';
import type { BatchCase } from './batch-case.ts';
import { region } from './cases-control.ts';

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

/** Carried (s, k), constant c: s ← tanh(s ⊙ c) + s/2, k ← k + 1, while k < 3: the same trips for every example. */
const step = region([f32(3), i32(), f32(3)], (e, [s, k, c]) => [e.add(e.unary('tanh', e.mul(s, c)), e.scale(s, 0.5)), e.add(k, e.scalar(1, 'i32'))], 'body');
const counted = region([f32(3), i32(), f32(3)], (e, [, k]) => [e.binary('lt', k, e.scalar(3, 'i32'))], 'cond');

/**
 * Carried (s, k), constant c: s ← 1.5 s + c, k ← k + 1, while Σ s < 4: each example stops at its own
 * trip (and some never start), so the batched loop must keep each example's state once its own
 * cond fails, and the counter becomes batched.
 */
const grow = region([f32(3), i32(), f32(3)], (e, [s, k, c]) => [e.add(e.scale(s, 1.5), c), e.add(k, e.scalar(1, 'i32'))], 'body');
const below = region([f32(3), i32(), f32(3)], (e, [s]) => [e.binary('lt', e.sum(s, [0]), e.scalar(4))], 'cond');

export const WHILE_CASES: readonly BatchCase[] = [
  {
    op: 'while_loop', name: 'a cond shared by every example (a counter)',
    example: (d) => [d.f32([3]), d.f32([3])],
    build: (e, [s0, c]) => [e.op('while_loop', [s0, e.scalar(0, 'i32'), c], { max_trips: 10, check_every: 3, carried: 2 }, [counted, step])[0]],
  },
  {
    op: 'while_loop', name: 'a cond per example: each stops at its own trip',
    example: (d) => [d.f32([3], -1, 1.5), d.f32([3], 0, 1)],
    build: (e, [s0, c]) => e.op('while_loop', [s0, e.scalar(0, 'i32'), c], { max_trips: 30, check_every: 4, carried: 2 }, [below, grow]),
  },
];
