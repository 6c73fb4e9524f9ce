import {
  BINARY_OPS, isInteger, opDef, sameType, ShapeError,
  type BinaryOp, type DType, type Emitter, type OpName, type TensorType, type Value,
} from '../../src/ir/index.ts';
import { rule, type Pending, type RewriteRule, type RuleContext } from './rule.ts';

/**
 * Arithmetic identities. Every rule here is exact in the reference semantics (float64, with
 * NaN, infinities and signed zeros): an identity that fails for some input is restricted to the
 * dtypes or constants where it holds, and the restriction is written next to it.
 */

/** `x` as a value of the node's result type: itself, or broadcast NumPy-style to that shape. */
const asResult = (e: Emitter, x: Value, type: TensorType): Value => e.broadcastTo(x, type.shape);

type Side = 0 | 1;

/**
 * `op(x, c)` (side 0 keeps operand 0) -> `x` where the other operand is a splat constant for
 * which `holds(c, dtype)`.
 */
function dropConstantOperand(
  name: string,
  note: string,
  root: BinaryOp,
  keep: Side,
  holds: (c: number, dtype: DType) => boolean,
): RewriteRule {
  return rule({
    name,
    note,
    root,
    match: (node, ctx) => {
      const c = ctx.splat(node.inputs[1 - keep]);
      const x = node.inputs[keep];
      return c !== undefined && holds(c, x.type.dtype) && x.type.dtype === node.types[0].dtype ? x : undefined;
    },
    rewrite: (x, e, node) => [asResult(e, x, node.types[0])],
  });
}

/** `op(x, c)` -> `f(x)` (side 0 keeps operand 0) for a splat constant c with `holds(c, dtype)`. */
function replaceByConstantOperand(
  name: string,
  note: string,
  root: BinaryOp,
  keep: Side,
  holds: (c: number, dtype: DType) => boolean,
  build: (e: Emitter, x: Value, type: TensorType) => Value,
): RewriteRule {
  return rule({
    name,
    note,
    root,
    match: (node, ctx) => {
      const c = ctx.splat(node.inputs[1 - keep]);
      return c !== undefined && holds(c, node.inputs[keep].type.dtype) ? node.inputs[keep] : undefined;
    },
    rewrite: (x, e, node) => [build(e, x, node.types[0])],
  });
}

// x + 0 is not x for floats when x is -0 (-0 + 0 = +0, and 1/x tells them apart), so f32 only
// drops a -0 addend; integers drop any zero. x - 0 keeps every x, x - (-0) does not.
const addsNothing = (c: number, d: DType) => (isInteger(d) ? c === 0 : Object.is(c, -0));
const subtractsNothing = (c: number, d: DType) => (isInteger(d) ? c === 0 : Object.is(c, 0));
const isOne = (c: number) => c === 1;
// x * 0 is NaN for x = ±inf or NaN, and -0 for negative x: only integers fold it (as JAX keeps it).
const integerZero = (c: number, d: DType) => isInteger(d) && c === 0;
const minusOneSigned = (c: number, d: DType) => c === -1 && (d === 'f32' || d === 'i32');

const zeros = (e: Emitter, _x: Value, t: TensorType) => e.full(t.shape, 0, t.dtype);
const negated = (e: Emitter, x: Value, t: TensorType) => e.neg(asResult(e, x, t));

export const IDENTITY_RULES: readonly RewriteRule[] = [
  dropConstantOperand('add-zero-right', 'x+0 -> x (integers; f32 only for a -0 addend)', 'add', 0, addsNothing),
  dropConstantOperand('add-zero-left', '0+x -> x (integers; f32 only for a -0 addend)', 'add', 1, addsNothing),
  dropConstantOperand('sub-zero', 'x-0 -> x (integers; f32 only for +0)', 'sub', 0, subtractsNothing),
  dropConstantOperand('mul-one-right', 'x*1 -> x', 'mul', 0, isOne),
  dropConstantOperand('mul-one-left', '1*x -> x', 'mul', 1, isOne),
  dropConstantOperand('div-one', 'x/1 -> x', 'div', 0, isOne),
  replaceByConstantOperand('mul-zero-right', 'x*0 -> 0 (integers only)', 'mul', 0, integerZero, zeros),
  replaceByConstantOperand('mul-zero-left', '0*x -> 0 (integers only)', 'mul', 1, integerZero, zeros),
  replaceByConstantOperand('mul-minus-one-right', 'x*-1 -> -x', 'mul', 0, minusOneSigned, negated),
  replaceByConstantOperand('mul-minus-one-left', '-1*x -> -x', 'mul', 1, minusOneSigned, negated),
  rule({
    name: 'sub-self',
    note: 'x-x -> 0 (integers only: inf-inf and NaN-NaN are NaN)',
    root: 'sub',
    match: ({ inputs: [a, b] }) => (a === b && isInteger(a.type.dtype) ? true : undefined),
    rewrite: (_m, e, node) => [zeros(e, node.inputs[0], node.types[0])],
  }),
];

/** Unary involutions: op(op(x)) -> x. */
function involution(name: string, op: 'neg' | 'not'): RewriteRule {
  return rule({
    name,
    note: `${op}(${op}(x)) -> x`,
    root: op,
    match: ({ inputs: [x] }, ctx) => ctx.producerOf(x, op)?.inputs[0],
    rewrite: (x) => [x],
  });
}

/** Subtraction hidden behind a negation; exact in IEEE arithmetic (a - b is defined as a + -b). */
export const NEGATION_RULES: readonly RewriteRule[] = [
  involution('neg-neg', 'neg'),
  involution('not-not', 'not'),
  rule({
    name: 'add-neg',
    note: 'x + neg(y) -> x - y, and neg(y) + x -> x - y',
    root: 'add',
    match: ({ inputs: [a, b] }, ctx) => {
      const right = ctx.producerOf(b, 'neg')?.inputs[0];
      if (right) return [a, right];
      const left = ctx.producerOf(a, 'neg')?.inputs[0];
      return left && [b, left];
    },
    rewrite: ([x, y], e) => [e.sub(x, y)],
  }),
  rule({
    name: 'sub-neg',
    note: 'x - neg(y) -> x + y',
    root: 'sub',
    match: ({ inputs: [x, ny] }, ctx) => {
      const y = ctx.producerOf(ny, 'neg')?.inputs[0];
      return y && [x, y];
    },
    rewrite: ([x, y], e) => [e.add(x, y)],
  }),
];

export const SELECT_CAST_RULES: readonly RewriteRule[] = [
  rule({
    name: 'select-same',
    note: 'select(p, a, a) -> a',
    root: 'select',
    match: ({ inputs: [, a, b] }) => (a === b ? a : undefined),
    rewrite: (a, e, node) => [asResult(e, a, node.types[0])],
  }),
  rule({
    name: 'select-constant',
    note: 'select(true, a, b) -> a; select(false, a, b) -> b',
    root: 'select',
    match: ({ inputs: [p, a, b] }, ctx) => {
      const c = ctx.splat(p);
      return c === undefined ? undefined : c !== 0 ? a : b;
    },
    rewrite: (x, e, node) => [asResult(e, x, node.types[0])],
  }),
  rule({
    name: 'cast-same',
    note: 'cast x to its own dtype -> x',
    root: 'cast',
    match: ({ inputs: [x], attrs: { dtype } }) => (x.type.dtype === dtype ? x : undefined),
    rewrite: (x) => [x],
  }),
];

/** An operand written as an explicit NumPy-style broadcast that the op would do by itself. */
function implicitBroadcastOperand(node: Pending, ctx: RuleContext): Value[] | undefined {
  for (let i = 0; i < node.inputs.length; i++) {
    const b = ctx.producerOf(node.inputs[i], 'broadcast_in_dim');
    if (!b) continue;
    const x = b.inputs[0];
    const offset = b.attrs.shape.length - x.type.shape.length;
    if (!b.attrs.dims.every((d, j) => d === j + offset)) continue;
    const inputs = node.inputs.map((v, j) => (j === i ? x : v));
    if (sameResult(node, inputs)) return inputs;
  }
  return undefined;
}

function sameResult(node: Pending, inputs: readonly Value[]): boolean {
  try {
    const [t] = opDef(node.op).infer(inputs.map((v) => v.type), node.attrs as never, []);
    return sameType(t, node.types[0]);
  } catch (e) {
    if (e instanceof ShapeError) return false;
    throw e;
  }
}

/** op(broadcast_in_dim(x), y) -> op(x, y) where the op broadcasts x to the same result. */
export const IMPLICIT_BROADCAST_RULES: readonly RewriteRule[] = ([...BINARY_OPS, 'select'] as OpName[]).map((op) =>
  rule({
    name: `${op}-implicit-broadcast`,
    note: `${op}(broadcast_in_dim(x), y) -> ${op}(x, y) (the op broadcasts x itself)`,
    root: op,
    match: implicitBroadcastOperand,
    rewrite: (inputs, e, node) => e.op(node.op, inputs, node.attrs as never),
  }),
);

/** Only for graphs that will not be differentiated again: stop_gradient is then the identity. */
export const AFTER_AUTODIFF_RULES: readonly RewriteRule[] = [
  rule({
    name: 'stop-gradient',
    note: 'stop_gradient(x) -> x (after autodiff only)',
    root: 'stop_gradient',
    match: ({ inputs: [x] }) => x,
    rewrite: (x) => [x],
  }),
];

export const ARITHMETIC_RULES: readonly RewriteRule[] = [
  ...IDENTITY_RULES,
  ...NEGATION_RULES,
  ...SELECT_CAST_RULES,
  ...IMPLICIT_BROADCAST_RULES,
];
