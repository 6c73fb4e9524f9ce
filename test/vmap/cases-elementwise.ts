import { BINARY_OPS, UNARY_OPS, type BinaryOp, type HostTensor, type UnaryOp } from '../../src/ir/index.ts';
import type { BatchCase, Draw } from './batch-case.ts';

/** Ops whose domain is the positive reals (or (-1, ∞)). */
const POSITIVE: readonly UnaryOp[] = ['log', 'sqrt', 'rsqrt', 'log1p'];
/** Ops defined on [-1, 1] only. */
const UNIT: readonly UnaryOp[] = ['asin', 'acos', 'atanh'];
const BITWISE: readonly BinaryOp[] = ['and', 'or', 'xor', 'shl', 'shr'];

/** One example inside the op's domain. */
function unaryExample(op: UnaryOp, d: Draw): HostTensor {
  if (op === 'not') return d.int('i32', [2, 3], -100, 100);
  if (POSITIVE.includes(op)) return d.f32([2, 3], 0.1, 3);
  if (UNIT.includes(op)) return d.f32([2, 3], -0.95, 0.95);
  if (op === 'acosh') return d.f32([2, 3], 1, 4);
  return d.f32([2, 3], -3, 3);
}

const unary: BatchCase[] = UNARY_OPS.map(
  (op): BatchCase => ({
    op,
    name: '[2,3]',
    example: (d) => [unaryExample(op, d)],
    build: (e, [x]) => [e.unary(op, x)],
  }),
);

/**
 * Per-example ranks differ ([3] against [2,3]), so a batched [B,3] operand must be aligned per
 * example rather than broadcast against the batch axis.
 */
const binary: BatchCase[] = BINARY_OPS.map(
  (op): BatchCase => ({
    op,
    name: '[3] with [2,3]',
    example: (d) =>
      BITWISE.includes(op)
        ? [d.int('i32', [3], -1000, 1000), d.int('i32', [2, 3], 0, 40)]
        : op === 'pow'
          ? [d.f32([3], 0.1, 2), d.f32([2, 3])]
          : [d.f32([3]), d.f32([2, 3])],
    build: (e, [a, b]) => [e.binary(op, a, b)],
  }),
);

const mixed: BatchCase[] = [
  {
    op: 'add', name: 'a per-example scalar with [2,3]',
    example: (d) => [d.f32([]), d.f32([2, 3])],
    build: (e, [a, b]) => [e.add(a, b)],
  },
  {
    op: 'mul', name: 'i32 [2,1] with [3] (wrapping products)',
    example: (d) => [d.int('i32', [2, 1], -100000, 100000), d.int('i32', [3], -100000, 100000)],
    build: (e, [a, b]) => [e.mul(a, b)],
  },
  {
    op: 'select', name: 'bool [3] picks from [2,3] or a scalar',
    example: (d) => [d.int('bool', [3], 0, 1), d.f32([2, 3]), d.f32([])],
    build: (e, [p, a, b]) => [e.select(p, a, b)],
  },
  {
    op: 'cast', name: 'f32 -> i32 and f32 -> bool',
    example: (d) => [d.f32([2, 3], -5, 5)],
    build: (e, [x]) => [e.cast(x, 'i32'), e.cast(x, 'bool')],
  },
  {
    op: 'cast', name: 'u32 -> f32',
    example: (d) => [d.int('u32', [4], 0, 4_000_000_000)],
    build: (e, [x]) => [e.cast(x, 'f32')],
  },
];

export const ELEMENTWISE_CASES: readonly BatchCase[] = [...unary, ...binary, ...mixed];
