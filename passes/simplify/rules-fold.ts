import {
  coerce, hostTensor, isSymbol, numElements, OP_NAMES, opDef,
  type HostTensor, type Node, type OpName, type RefContext, type Shape, type Value,
} from '../../src/ir/index.ts';
import { rule, sameNumber, type Pending, type RewriteRule, type RuleContext } from './rule.ts';

/**
 * Constant folding: a node whose operands are all constants becomes a constant, computed by the
 * op's own `evalRef` (so the folded value is the one the reference would compute: exact). The
 * result is a splat when all its elements are equal; a dense result is kept only while it stays
 * small, so that folding never trades a cheap index map for a large buffer.
 */

/** Largest result folded into a dense constant, and largest operand data materialised to fold. */
export const MAX_FOLDED_ELEMENTS = 4096;
const MAX_OPERAND_ELEMENTS = 65536;
/** A dense result may grow past its largest dense operand only up to this many elements. */
const SMALL_DENSE = 64;

/** Ops never folded: sources are already as small as they get (iota is an index map), and structured ops would run their bodies here. */
const NOT_FOLDED: readonly OpName[] = ['constant', 'iota', 'loop', 'scan', 'while_loop', 'custom_vjp', 'cond'];

const NO_REGIONS: RefContext = {
  evalGraph: () => {
    throw new Error('simplify: constant folding does not evaluate regions');
  },
  concreteShape: () => {
    throw new Error('simplify: constant folding does not evaluate regions');
  },
};

const concrete = (shape: Shape): shape is readonly number[] => !shape.some(isSymbol);

function constantsOf(node: Pending, ctx: RuleContext): Node<'constant'>[] | undefined {
  const out: Node<'constant'>[] = [];
  for (const v of node.inputs) {
    const c = ctx.producerOf(v, 'constant');
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}

const materialise = (c: Node<'constant'>): HostTensor =>
  opDef('constant').evalRef([], c.attrs, NO_REGIONS, [])[0];

/** The folded value list (one number: a splat) of an elementwise op on splats, any shape. */
function foldSplats(node: Pending, consts: readonly Node<'constant'>[]): number[] | undefined {
  if (opDef(node.op).kernel.kind !== 'elementwise' || consts.some((c) => c.attrs.value.length !== 1)) return undefined;
  const scalars = consts.map((c) => hostTensor(c.attrs.dtype, [], [c.attrs.value[0]]));
  const [out] = opDef(node.op).evalRef(scalars, node.attrs as never, NO_REGIONS, []);
  return [out.data[0]];
}

/** The folded value list of any op on constants of concrete shapes, within the size limits. */
function foldConcrete(node: Pending, consts: readonly Node<'constant'>[]): number[] | undefined {
  const [t] = node.types;
  if (!concrete(t.shape) || numElements(t.shape) > MAX_FOLDED_ELEMENTS) return undefined;
  if (!node.inputs.every((v) => concrete(v.type.shape))) return undefined;
  const operandElements = node.inputs.map((v) => numElements(v.type.shape as number[]));
  if (operandElements.reduce((a, b) => a + b, 0) > MAX_OPERAND_ELEMENTS) return undefined;
  const [out] = opDef(node.op).evalRef(consts.map(materialise), node.attrs as never, NO_REGIONS, []);
  const data = [...out.data];
  if (data.length > 0 && data.every((v) => sameNumber(v, data[0]))) return [data[0]];
  const largestDense = Math.max(0, ...consts.map((c) => (c.attrs.value.length > 1 ? c.attrs.value.length : 0)));
  return data.length <= Math.max(SMALL_DENSE, largestDense) ? data : undefined;
}

function foldRule(op: OpName): RewriteRule {
  return rule({
    name: `fold-${op}`,
    note: `${op}(constants) -> constant`,
    root: op,
    match: (node, ctx) => {
      if (node.inputs.length === 0 || node.types.length !== 1) return undefined;
      const consts = constantsOf(node, ctx);
      return consts && (foldSplats(node, consts) ?? foldConcrete(node, consts));
    },
    rewrite: (value, e, { types: [t] }) => [e.op1('constant', [], { shape: t.shape, dtype: t.dtype, value })],
  });
}

/**
 * Ops that move elements without computing: on a splat they give a splat of their result shape,
 * whatever the shapes (symbolic ones included), when the condition holds.
 */
const SPLAT_MOVES: { readonly [K in OpName]?: (node: Pending<K>, ctx: RuleContext, v: number) => boolean } = {
  reshape: () => true,
  broadcast_in_dim: () => true,
  transpose: () => true,
  slice: () => true,
  pad: ({ inputs: [x], attrs }, _ctx, v) => sameNumber(coerce(x.type.dtype, attrs.value), v),
  concatenate: ({ inputs }, ctx) => inputs.every((w) => sameSplat(ctx, w, inputs[0])),
  // Indices are clamped into the axis, so every index reads the splat when the axis is not empty.
  gather: ({ inputs: [x], attrs: { axis } }) => typeof x.type.shape[axis] === 'number' && (x.type.shape[axis] as number) > 0,
  // Over an empty axis the result is the reduction's identity instead.
  reduce_max: ({ inputs: [x], attrs: { axes } }) => axes.every((a) => typeof x.type.shape[a] === 'number' && (x.type.shape[a] as number) > 0),
  reduce_min: ({ inputs: [x], attrs: { axes } }) => axes.every((a) => typeof x.type.shape[a] === 'number' && (x.type.shape[a] as number) > 0),
};

function sameSplat(ctx: RuleContext, a: Value, b: Value): boolean {
  const [x, y] = [ctx.splat(a), ctx.splat(b)];
  return x !== undefined && y !== undefined && sameNumber(x, y);
}

function splatMoveRule(op: OpName, holds: (node: Pending, ctx: RuleContext, v: number) => boolean): RewriteRule {
  return rule({
    name: `${op}-of-splat`,
    note: `${op}(splat c) -> splat c of the result shape`,
    root: op,
    match: (node, ctx) => {
      const v = ctx.splat(node.inputs[0]);
      return v !== undefined && holds(node, ctx, v) ? v : undefined;
    },
    rewrite: (v, e, { types: [t] }) => [e.full(t.shape, v, t.dtype)],
  });
}

/** Constants in canonical form: values rounded to their dtype, and a splat where all are equal. */
const canonicalConstant = rule({
  name: 'constant-canonical',
  note: 'constant with equal or unrounded values -> splat / rounded constant',
  root: 'constant',
  match: ({ attrs: { dtype, value } }) => {
    const rounded = value.map((v) => coerce(dtype, v));
    const canonical = rounded.length > 1 && rounded.every((v) => sameNumber(v, rounded[0])) ? [rounded[0]] : rounded;
    return canonical.length !== value.length || canonical.some((v, i) => !Object.is(v, value[i])) ? canonical : undefined;
  },
  rewrite: (value, e, { attrs: { shape, dtype } }) => [e.op1('constant', [], { shape, dtype, value })],
});

export const FOLDING_RULES: readonly RewriteRule[] = [
  canonicalConstant,
  ...(Object.entries(SPLAT_MOVES) as [OpName, (node: Pending, ctx: RuleContext, v: number) => boolean][]).map(([op, holds]) =>
    splatMoveRule(op, holds),
  ),
  ...OP_NAMES.filter((op) => !NOT_FOLDED.includes(op)).map(foldRule),
];
