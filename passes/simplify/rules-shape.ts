import {
  isSymbol, sameShape, type Dim, type Node, type OpName, type Shape, type Value,
} from '../../src/ir/index.ts';
import { rule, type RewriteRule } from './rule.ts';

/**
 * Movement and reduction identities: index maps that compose or vanish. All exact (they move
 * values without arithmetic) except `sum-of-broadcast`, which multiplies instead of adding.
 */

type ReduceOp = 'reduce_sum' | 'reduce_max' | 'reduce_min';
const REDUCE_OPS: readonly ReduceOp[] = ['reduce_sum', 'reduce_max', 'reduce_min'];

const isIdentityPerm = (perm: readonly number[]) => perm.every((p, i) => p === i);
const without = (shape: Shape, axes: readonly number[]): Dim[] => shape.filter((_, i) => !axes.includes(i));

function reduceProducer(v: Value, producer: (v: Value) => Node | undefined): Node<ReduceOp> | undefined {
  const n = producer(v);
  return n && (REDUCE_OPS as readonly OpName[]).includes(n.op) ? (n as Node<ReduceOp>) : undefined;
}

export const RESHAPE_RULES: readonly RewriteRule[] = [
  rule({
    name: 'reshape-same',
    note: 'reshape x to its own shape -> x',
    root: 'reshape',
    match: ({ inputs: [x], attrs: { shape } }) => (sameShape(x.type.shape, shape) ? x : undefined),
    rewrite: (x) => [x],
  }),
  rule({
    name: 'reshape-reshape',
    note: 'reshape(reshape(x)) -> reshape(x)',
    root: 'reshape',
    match: ({ inputs: [x] }, ctx) => ctx.producerOf(x, 'reshape')?.inputs[0],
    rewrite: (x, e, { attrs: { shape } }) => [e.reshape(x, shape)],
  }),
  rule({
    name: 'reduce-drop-kept-axes',
    note: 'reshape(reduce(x, keepdims=true)) dropping those axes -> reduce(x, keepdims=false)',
    root: 'reshape',
    match: ({ inputs: [x], attrs: { shape } }, ctx) => {
      const r = reduceProducer(x, (v) => ctx.producer(v));
      return r && r.attrs.keepdims && sameShape(shape, without(r.inputs[0].type.shape, r.attrs.axes)) ? r : undefined;
    },
    rewrite: (r, e) => [e.op1(r.op, [r.inputs[0]], { axes: r.attrs.axes, keepdims: false })],
  }),
];

export const TRANSPOSE_RULES: readonly RewriteRule[] = [
  rule({
    name: 'transpose-identity',
    note: 'transpose[perm=identity](x) -> x',
    root: 'transpose',
    match: ({ inputs: [x], attrs: { perm } }) => (isIdentityPerm(perm) ? x : undefined),
    rewrite: (x) => [x],
  }),
  rule({
    name: 'transpose-transpose',
    note: 'transpose(transpose(x, p), q) -> transpose(x, p∘q)',
    root: 'transpose',
    match: ({ inputs: [y], attrs: { perm: q } }, ctx) => {
      const inner = ctx.producerOf(y, 'transpose');
      return inner && { x: inner.inputs[0], perm: q.map((k) => inner.attrs.perm[k]) };
    },
    rewrite: ({ x, perm }, e) => [e.transpose(x, perm)],
  }),
  rule({
    name: 'transpose-dot',
    note: 'transpose(dot_general(a, b)) swapping the free axes -> dot_general(b, a)',
    root: 'transpose',
    match: ({ inputs: [y], attrs: { perm } }, ctx) => {
      const dot = ctx.producerOf(y, 'dot_general');
      if (!dot) return undefined;
      const { lhs_batch, lhs_contracting, rhs_contracting } = dot.attrs;
      const [a, b] = dot.inputs;
      const nb = lhs_batch.length;
      const nl = a.type.shape.length - nb - lhs_contracting.length;
      const nr = b.type.shape.length - nb - rhs_contracting.length;
      // Output axes: batch, then a's free axes, then b's; the swap puts b's before a's.
      const swapped = [...Array(nb).keys(), ...Array.from({ length: nr }, (_, i) => nb + nl + i), ...Array.from({ length: nl }, (_, i) => nb + i)];
      return nl > 0 && nr > 0 && perm.every((p, i) => p === swapped[i]) ? dot : undefined;
    },
    // Each output element sums the same products in the same order, with factors commuted.
    rewrite: (dot, e) => [
      e.op1('dot_general', [dot.inputs[1], dot.inputs[0]], {
        lhs_contracting: dot.attrs.rhs_contracting,
        rhs_contracting: dot.attrs.lhs_contracting,
        lhs_batch: dot.attrs.rhs_batch,
        rhs_batch: dot.attrs.lhs_batch,
      }),
    ],
  }),
];

/**
 * The dims of `x` when a reshape only inserted unit axes into it: the position in the reshaped
 * value of each axis of x, or undefined. x itself must have no unit axes, so that every axis
 * of x keeps its place.
 */
function unitInsertion(x: Shape, reshaped: Shape): number[] | undefined {
  if (x.includes(1)) return undefined;
  const positions: number[] = [];
  reshaped.forEach((d, i) => {
    if (d !== 1) positions.push(i);
  });
  return positions.length === x.length && positions.every((p, i) => reshaped[p] === x[i]) ? positions : undefined;
}

export const BROADCAST_RULES: readonly RewriteRule[] = [
  rule({
    name: 'broadcast-identity',
    note: 'broadcast_in_dim x to its own shape -> x',
    root: 'broadcast_in_dim',
    match: ({ inputs: [x], attrs: { shape, dims } }) => (sameShape(x.type.shape, shape) && isIdentityPerm(dims) ? x : undefined),
    rewrite: (x) => [x],
  }),
  rule({
    name: 'broadcast-broadcast',
    note: 'broadcast_in_dim(broadcast_in_dim(x)) -> broadcast_in_dim(x)',
    root: 'broadcast_in_dim',
    match: ({ inputs: [y], attrs: { dims } }, ctx) => {
      const inner = ctx.producerOf(y, 'broadcast_in_dim');
      return inner && { x: inner.inputs[0], dims: inner.attrs.dims.map((d) => dims[d]) };
    },
    rewrite: ({ x, dims }, e, { attrs: { shape } }) => [e.broadcastInDim(x, shape, dims)],
  }),
  rule({
    name: 'broadcast-unit-reshape',
    note: 'broadcast_in_dim(reshape(x) adding unit axes) -> broadcast_in_dim(x)',
    root: 'broadcast_in_dim',
    match: ({ inputs: [y], attrs: { dims } }, ctx) => {
      const r = ctx.producerOf(y, 'reshape');
      const positions = r && unitInsertion(r.inputs[0].type.shape, y.type.shape);
      return positions && { x: r.inputs[0], dims: positions.map((p) => dims[p]) };
    },
    rewrite: ({ x, dims }, e, { attrs: { shape } }) => [e.broadcastInDim(x, shape, dims)],
  }),
];

/** `x` summed, maximised or minimised over axes of size 1 only: every output reads one element. */
function reduceUnitAxes(op: ReduceOp): RewriteRule {
  return rule({
    name: `${op}-unit-axes`,
    note:
      op === 'reduce_sum'
        ? 'sum over no axes or unit axes -> reshape(x) (+0 for f32: the sum starts from +0, so -0 becomes 0)'
        : `${op} over no axes or unit axes -> reshape(x)`,
    root: op,
    match: ({ inputs: [x], attrs: { axes } }) => (axes.every((a) => x.type.shape[a] === 1) ? x : undefined),
    rewrite: (x, e, node) => {
      const y = e.reshape(x, node.types[0].shape);
      return [op === 'reduce_sum' && x.type.dtype === 'f32' ? e.add(y, e.scalar(0)) : y];
    },
  });
}

/**
 * sum(broadcast_in_dim(x)) over axes that the broadcast created or stretched from 1: each output
 * adds n copies of one element of x, so it is n·x (not exact: n·x rounds once where the running
 * sum rounds n-1 times; +0 is added for f32 so that -0 sums to 0 as the reduction's does).
 */
const sumOfBroadcast = rule({
  name: 'sum-of-broadcast',
  note: 'sum(broadcast(x)) over broadcast axes -> n*x (changes rounding)',
  root: 'reduce_sum',
  exact: false,
  match: ({ inputs: [y], attrs: { axes } }, ctx) => {
    const b = ctx.producerOf(y, 'broadcast_in_dim');
    if (!b || axes.length === 0) return undefined;
    const x = b.inputs[0];
    const { shape, dims } = b.attrs;
    const stretched = (a: number) => {
      const i = dims.indexOf(a);
      return i < 0 || x.type.shape[i] === 1;
    };
    if (!axes.every((a) => stretched(a) && !isSymbol(shape[a]))) return undefined;
    return { x, dims, n: axes.reduce((p, a) => p * (shape[a] as number), 1) };
  },
  rewrite: ({ x, dims, n }, e, { attrs: { axes, keepdims }, types: [t] }) => {
    if (n === 0) return [e.full(t.shape, 0, t.dtype)];
    let z: Value;
    if (keepdims) z = e.broadcastInDim(x, t.shape, dims);
    else {
      // Drop x's unit axes that land on summed axes, and renumber the others past the removed ones.
      const keep = dims.map((_, i) => i).filter((i) => !axes.includes(dims[i]));
      const squeezed = e.reshape(x, keep.map((i) => x.type.shape[i]));
      const renumbered = keep.map((i) => dims[i] - axes.filter((a) => a < dims[i]).length);
      z = e.broadcastInDim(squeezed, t.shape, renumbered);
    }
    const scaled = n === 1 ? z : e.mul(z, e.scalar(n, t.dtype));
    return [t.dtype === 'f32' ? e.add(scaled, e.scalar(0)) : scaled];
  },
});

/**
 * A reduction of a reduction of the same kind is one reduction over both sets of axes: one
 * kernel instead of two (the mean of per-row sums of a loss). Exact for max and min; a sum adds
 * in another order (not exact).
 */
function reduceOfReduce(op: ReduceOp): RewriteRule {
  return rule({
    name: `${op}-of-${op}`,
    note: `${op}(${op}(x, a), b) -> ${op}(x, a + b)${op === 'reduce_sum' ? ' (changes rounding)' : ''}`,
    root: op,
    exact: op !== 'reduce_sum',
    match: ({ inputs: [y], attrs: outer }, ctx) => {
      const inner = ctx.producerOf(y, op);
      if (!inner) return undefined;
      const x = inner.inputs[0];
      const a = inner.attrs.axes;
      // The outer axes, numbered as x's axes.
      const kept = x.type.shape.map((_, i) => i).filter((i) => !a.includes(i));
      const b = inner.attrs.keepdims ? outer.axes : outer.axes.map((i) => kept[i]);
      return { x, axes: [...new Set([...a, ...b])].sort((p, q) => p - q) };
    },
    rewrite: ({ x, axes }, e, { types: [t] }) => [e.reshape(e.op1(op, [x], { axes, keepdims: false }), t.shape)],
  });
}

export const REDUCE_RULES: readonly RewriteRule[] = [
  ...REDUCE_OPS.map(reduceUnitAxes),
  sumOfBroadcast,
  ...REDUCE_OPS.map(reduceOfReduce),
];

/** Ops that do nothing for some attributes. */
export const NO_OP_RULES: readonly RewriteRule[] = [
  rule({
    name: 'slice-whole',
    note: 'slice keeping every element in order -> x',
    root: 'slice',
    match: ({ inputs: [x], attrs: { start, limit, stride } }) =>
      start.every((s) => s === 0) && stride.every((s) => s === 1) && sameShape(limit, x.type.shape) ? x : undefined,
    rewrite: (x) => [x],
  }),
  rule({
    name: 'pad-nothing',
    note: 'pad by zero everywhere -> x',
    root: 'pad',
    match: ({ inputs: [x], attrs: { low, high } }) => (low.every((v) => v === 0) && high.every((v) => v === 0) ? x : undefined),
    rewrite: (x) => [x],
  }),
  rule({
    name: 'concatenate-one',
    note: 'concatenate(x) -> x',
    root: 'concatenate',
    match: ({ inputs }) => (inputs.length === 1 ? inputs[0] : undefined),
    rewrite: (x) => [x],
  }),
  rule({
    name: 'loop-zero-trips',
    note: 'loop[trips=0](state..., invariants...) -> state...',
    root: 'loop',
    match: ({ inputs, attrs: { trips, carried } }) => (trips === 0 ? inputs.slice(0, carried) : undefined),
    rewrite: (state) => state,
  }),
  rule({
    name: 'while-zero-trips',
    note: 'while_loop[max_trips=0](state..., constants...) -> state...',
    root: 'while_loop',
    match: ({ inputs, attrs: { max_trips, carried } }) => (max_trips === 0 ? inputs.slice(0, carried) : undefined),
    rewrite: (state) => state,
  }),
  rule({
    name: 'scan-zero-length',
    note: 'scan[length=0](carry..., xs..., consts...) -> carry..., zeros[0,...]...',
    root: 'scan',
    match: (node) => (node.attrs.length === 0 ? node : undefined),
    rewrite: (node, e) => [
      ...node.inputs.slice(0, node.attrs.carried),
      ...node.types.slice(node.attrs.carried).map((t) => e.full(t.shape, 0, t.dtype)),
    ],
  }),
];

export const SHAPE_RULES: readonly RewriteRule[] = [
  ...RESHAPE_RULES,
  ...TRANSPOSE_RULES,
  ...BROADCAST_RULES,
  ...REDUCE_RULES,
  ...NO_OP_RULES,
];
