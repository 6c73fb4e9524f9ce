import type { BinaryOp, UnaryOp } from '../../src/ir/index.ts';
import type { Rng } from './fd.ts';
import { constOf, drawn, FD, nearGrid, pairsOk, signed, tensor, ZERO, type OpCase } from './op-case.ts';

/** Smooth unary ops and the domain each is sampled from (away from kinks and poles). */
const SMOOTH_UNARY: readonly [UnaryOp, (r: Rng) => number][] = [
  ['neg', (r) => r.next(-2, 2)],
  ['abs', signed(0.2, 2)],
  ['exp', (r) => r.next(-2, 2)],
  ['log', (r) => r.next(0.2, 3)],
  ['sqrt', (r) => r.next(0.2, 3)],
  ['rsqrt', (r) => r.next(0.2, 3)],
  ['sin', (r) => r.next(-3, 3)],
  ['cos', (r) => r.next(-3, 3)],
  ['tanh', (r) => r.next(-2, 2)],
  ['logistic', (r) => r.next(-4, 4)],
  ['log1p', (r) => r.next(-0.8, 3)],
  ['expm1', (r) => r.next(-2, 2)],
  // Both branches of the reference erf: the series below 2.5 and the continued fraction above.
  ['erf', (r) => r.next(-3.2, 3.2)],
  // Past pi/4, where the kernel's argument reduction starts; inside the poles at ±pi/2.
  ['tan', (r) => r.next(-1.3, 1.3)],
  ['asin', (r) => r.next(-0.9, 0.9)],
  ['acos', (r) => r.next(-0.9, 0.9)],
  ['atan', (r) => r.next(-3, 3)],
  ['sinh', (r) => r.next(-2, 2)],
  ['cosh', (r) => r.next(-2, 2)],
  ['asinh', (r) => r.next(-3, 3)],
  ['acosh', (r) => r.next(1.2, 3)],
  ['atanh', (r) => r.next(-0.9, 0.9)],
];

/** Piecewise-constant unary ops, sampled away from their jumps. */
const STEP_UNARY: readonly [UnaryOp, (r: Rng) => number][] = [
  ['sign', signed(0.1, 2)],
  ['floor', nearGrid(3, 0.5, 0.4)],
  ['ceil', nearGrid(3, 0.5, 0.4)],
  ['round', nearGrid(3, 0, 0.4)],
];

const unaryCases: OpCase[] = [
  ...SMOOTH_UNARY.map(([op, draw]): OpCase => ({
    op, name: 'f32[2,3] at random points', check: FD,
    inputs: (r) => [drawn(r, [2, 3], draw)],
    build: (e, [x]) => [e.unary(op, x)],
  })),
  ...STEP_UNARY.map(([op, draw]): OpCase => ({
    op, name: 'zero gradient', check: ZERO,
    inputs: (r) => [drawn(r, [2, 3], draw)],
    build: (e, [x]) => [e.unary(op, x)],
  })),
  {
    op: 'not', name: 'not(x > 0) has zero gradient', check: ZERO,
    inputs: (r) => [drawn(r, [2, 3], signed(0.1, 2))],
    build: (e, [x]) => [e.cast(e.unary('not', e.binary('gt', x, e.scalar(0))), 'f32')],
  },
  {
    op: 'stop_gradient', name: 'blocks the gradient of its operand (its value is the identity)',
    check: { kind: 'closed', grad: ([x]) => [[...x.data].map(() => 0)] },
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.unary('stop_gradient', x)],
  },
  {
    op: 'stop_gradient', name: 'x·sg(x) differentiates as a constant factor', check: {
      kind: 'closed',
      grad: ([x], [w]) => [[...x.data].map((v, i) => v * w.data[i])],
    },
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.mul(x, e.unary('stop_gradient', x))],
  },
];

/** Operands [2,1,3] and [4,3]: both are broadcast, so both gradients must be summed back. */
const A = [2, 1, 3];
const B = [4, 3];
const apart = (a: number, b: number) => Math.abs(a - b) > 0.02;
const fracApart = (a: number, b: number) => {
  const q = a / b;
  const f = q - Math.floor(q);
  return f > 0.02 && f < 0.98;
};

const SMOOTH_BINARY: readonly { op: BinaryOp; a: (r: Rng) => number; b: (r: Rng) => number; ok?: (a: number, b: number) => boolean }[] = [
  { op: 'add', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2) },
  { op: 'sub', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2) },
  { op: 'mul', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2) },
  { op: 'div', a: (r) => r.next(-2, 2), b: signed(0.5, 2) },
  { op: 'rem', a: (r) => r.next(-4, 4), b: signed(0.5, 1.5), ok: fracApart },
  { op: 'pow', a: (r) => r.next(0.3, 2), b: (r) => r.next(-1.5, 1.5) },
  // Every quadrant, away from the origin and from the cut along the negative x axis (b < 0, a = 0).
  { op: 'atan2', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2), ok: (a, b) => a * a + b * b > 0.1 && (b > 0 || Math.abs(a) > 0.1) },
  { op: 'max', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2), ok: apart },
  { op: 'min', a: (r) => r.next(-2, 2), b: (r) => r.next(-2, 2), ok: apart },
];

/** max/min at a = [1, 2, 3], b = [1, 0, 3]: ties at 0 and 2 split the cotangent in halves. */
const tieCase = (op: 'max' | 'min'): OpCase => ({
  op, name: 'ties split the cotangent evenly',
  check: {
    kind: 'closed',
    grad: (_xs, [w]) => {
      const [w0, w1, w2] = w.data;
      const win = op === 'max' ? [w0 / 2, w1, w2 / 2] : [w0 / 2, 0, w2 / 2];
      const lose = op === 'max' ? [w0 / 2, 0, w2 / 2] : [w0 / 2, w1, w2 / 2];
      return [win, lose];
    },
  },
  inputs: () => [tensor('f32', [3], [1, 2, 3]), tensor('f32', [3], [1, 0, 3])],
  build: (e, [a, b]) => [e.binary(op, a, b)],
});

/** Comparisons and bitwise ops sit between casts: the path exists, the gradient is zero. */
const COMPARE: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const BITWISE: readonly BinaryOp[] = ['and', 'or', 'xor', 'shl', 'shr'];

const binaryCases: OpCase[] = [
  ...SMOOTH_BINARY.map(({ op, a, b, ok }): OpCase => ({
    op, name: 'broadcast operands [2,1,3] and [4,3]', check: FD,
    inputs: (r) => [drawn(r, A, a), drawn(r, B, b)],
    valid: ok && (([x, y]) => pairsOk(x, y, ok)),
    build: (e, [x, y]) => [e.binary(op, x, y)],
  })),
  tieCase('max'),
  tieCase('min'),
  ...COMPARE.map((op): OpCase => ({
    op, name: 'zero gradient through cast(compare)', check: ZERO,
    inputs: (r) => [r.tensor(A, -2, 2), r.tensor(B, -2, 2)],
    valid: ([x, y]) => pairsOk(x, y, apart),
    build: (e, [x, y]) => [e.cast(e.binary(op, x, y), 'f32')],
  })),
  ...BITWISE.map((op): OpCase => ({
    op, name: 'zero gradient through f32 -> i32 -> f32', check: ZERO,
    inputs: (r) => [drawn(r, [2, 3], (q) => Math.abs(nearGrid(6, 0.5, 0.4)(q)))],
    build: (e, [x]) => {
      const xi = e.cast(x, 'i32');
      return [e.cast(e.binary(op, xi, constOf(e, tensor('i32', [3], [1, 2, 3]))), 'f32')];
    },
  })),
];

const selectCast: OpCase[] = [
  {
    op: 'select', name: 'pred [2,1,3], a [4,3], scalar b', check: FD,
    inputs: (r) => [r.tensor([4, 3]), r.tensor([])],
    build: (e, [a, b]) => {
      const pred = constOf(e, tensor('bool', [2, 1, 3], [1, 0, 0, 1, 1, 0]));
      return [e.select(pred, a, b)];
    },
  },
  {
    op: 'cast', name: 'f32 -> f32 is the identity', check: FD,
    inputs: (r) => [r.tensor([2, 3])],
    build: (e, [x]) => [e.op1('cast', [x], { dtype: 'f32' })],
  },
  {
    op: 'cast', name: 'f32 -> i32 -> f32 has zero gradient', check: ZERO,
    inputs: (r) => [drawn(r, [2, 3], nearGrid(3, 0.5, 0.4))],
    build: (e, [x]) => [e.cast(e.cast(x, 'i32'), 'f32')],
  },
];

export const ELEMENTWISE_CASES: readonly OpCase[] = [...unaryCases, ...binaryCases, ...selectCast];
