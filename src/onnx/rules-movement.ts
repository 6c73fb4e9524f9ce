import type { Node } from '../ir/graph.ts';
import { isSymbol, type Dim } from '../ir/shape.ts';
import { OnnxExportError } from './errors.ts';
import type { Rule } from './rule.ts';
import { where } from './rules-elementwise.ts';
import { onnxDType, type Scope } from './writer.ts';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

type ReduceOp = 'reduce_sum' | 'reduce_max' | 'reduce_min';

const REDUCE_ONNX: { readonly [K in ReduceOp]: string } = { reduce_sum: 'ReduceSum', reduce_max: 'ReduceMax', reduce_min: 'ReduceMin' };

/** ReduceSum/Max/Min take their axes as an input (opset 18); no axes is the identity, not a reduction of all. */
const reduce =
  <K extends ReduceOp>(op: K): Rule<K> =>
  ({ s }, node: Node<K>, [x]) => {
    const { axes, keepdims } = node.attrs as { axes: readonly number[]; keepdims: boolean };
    if (axes.length === 0) return [s.op('Identity', [x])];
    return [s.op(REDUCE_ONNX[op], [x, s.ints(axes)], { keepdims: { int: keepdims ? 1 : 0 } })];
  };

export const reduceRules = { reduce_sum: reduce('reduce_sum'), reduce_max: reduce('reduce_max'), reduce_min: reduce('reduce_min') };

/** allowzero: a 0 in the shape is a size, not "copy this axis" (ONNX's default). */
const reshapeTo = (s: Scope, x: string, shape: readonly Dim[]): string => s.op('Reshape', [x, s.shape(shape)], { allowzero: { int: 1 } });

export const reshape: Rule<'reshape'> = ({ s }, node, [x]) => [reshapeTo(s, x, node.attrs.shape)];

/** Operand axis i goes to output axis dims[i]: reshape to the output's rank with 1s elsewhere, then Expand. */
export const broadcast_in_dim: Rule<'broadcast_in_dim'> = ({ s }, node, [x]) => {
  const { shape, dims } = node.attrs;
  const from = node.inputs[0].type.shape;
  const ranked = shape.map((_, j) => (dims.includes(j) ? from[dims.indexOf(j)] : 1));
  const identityLayout = from.length === shape.length && dims.every((d, i) => d === i);
  const aligned = identityLayout ? x : reshapeTo(s, x, ranked);
  const same = ranked.length === shape.length && ranked.every((d, i) => d === shape[i]);
  return [same ? s.op('Identity', [aligned]) : s.op('Expand', [aligned, s.shape(shape)])];
};

export const transpose: Rule<'transpose'> = ({ s }, node, [x]) => [s.op('Transpose', [x], { perm: { ints: node.attrs.perm } })];

export const slice: Rule<'slice'> = ({ s }, node, [x]) => {
  const { start, limit, stride } = node.attrs;
  const axes = start.map((_, i) => i);
  const ends = limit.map((d) => (isSymbol(d) ? INT64_MAX : BigInt(d)));
  return [s.op('Slice', [x, s.ints(start), s.ints(ends), s.ints(axes), s.ints(stride)])];
};

export const pad: Rule<'pad'> = ({ s }, node, [x]) => {
  const { low, high, value } = node.attrs;
  const dtype = node.inputs[0].type.dtype;
  return [s.op('Pad', [x, s.ints([...low, ...high]), s.scalar(dtype, value)], { mode: { string: 'constant' } })];
};

export const concatenate: Rule<'concatenate'> = ({ s }, node, xs) => [s.op('Concat', xs, { axis: { int: node.attrs.axis } })];

/** Indices as int64, clamped into [0, size - 1] as the IR clamps them (ONNX would wrap negatives and fail past the end). */
export const gather: Rule<'gather'> = ({ s }, node, [x, idx]) => {
  const { axis } = node.attrs;
  const size = node.inputs[0].type.shape[axis];
  const wide = s.op('Cast', [idx], { to: { int: onnxDType('i64') } });
  const last = s.op('Sub', [s.dimScalar(size), s.scalar('i64', 1)]);
  const clamped = s.op('Max', [s.op('Min', [wide, last]), s.scalar('i64', 0)]);
  return [s.op('Gather', [x, clamped], { axis: { int: axis } })];
};

export const rev: Rule<'rev'> = ({ s }, node, [x]) => {
  const { dims } = node.attrs;
  if (dims.length === 0) return [s.op('Identity', [x])];
  const minus = dims.map(() => -1);
  return [s.op('Slice', [x, s.ints(minus), s.ints(dims.map(() => INT64_MIN)), s.ints(dims), s.ints(minus)])];
};

function windowOnly(node: Node<'dynamic_slice' | 'dynamic_update_slice'>, starts: number): void {
  if (node.inputs[starts].type.shape.length !== 1)
    throw new OnnxExportError(
      node.op,
      'start indices with batch axes (from vmap) have no ONNX counterpart; export the function per example instead',
      node.loc,
    );
}

/** The clamped int64 starts of a window of `sizes` in an operand of shape `dims` (a window on a symbolic axis is whole). */
function clampedStarts(s: Scope, starts: string, dims: readonly Dim[], sizes: readonly Dim[]): string {
  const highest = dims.map((d, j) => (d === sizes[j] ? 0 : (d as number) - (sizes[j] as number)));
  const wide = s.op('Cast', [starts], { to: { int: onnxDType('i64') } });
  return s.op('Max', [s.op('Min', [wide, s.ints(highest)]), s.ints(dims.map(() => 0))]);
}

export const dynamic_slice: Rule<'dynamic_slice'> = ({ s }, node, [x, starts]) => {
  windowOnly(node, 1);
  const { sizes } = node.attrs;
  const begin = clampedStarts(s, starts, node.inputs[0].type.shape, sizes);
  const end = s.op('Add', [begin, s.shape(sizes)]);
  return [s.op('Slice', [x, begin, end, s.ints(sizes.map((_, i) => i))])];
};

/** The update padded out to the operand's shape at the window, and a mask of the window; Where picks. */
export const dynamic_update_slice: Rule<'dynamic_update_slice'> = ({ s }, node, [x, update, starts]) => {
  windowOnly(node, 2);
  const dims = node.inputs[0].type.shape;
  const sizes = node.inputs[1].type.shape;
  const dtype = node.inputs[0].type.dtype;
  const begin = clampedStarts(s, starts, dims, sizes);
  const after = s.op('Sub', [s.op('Sub', [s.shape(dims), begin]), s.shape(sizes)]);
  const pads = s.op('Concat', [begin, after], { axis: { int: 0 } });
  const placed = s.op('Pad', [update, pads, s.scalar(dtype, 0)], { mode: { string: 'constant' } });
  const ones = s.op('Expand', [s.scalar('i32', 1), s.shape(sizes)]);
  const inside = s.op('Cast', [s.op('Pad', [ones, pads, s.scalar('i32', 0)], { mode: { string: 'constant' } })], { to: { int: onnxDType('bool') } });
  return [where(s, inside, placed, x, dtype)];
};
