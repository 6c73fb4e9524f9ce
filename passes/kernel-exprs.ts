import {
  BINARY_OPS, coerce, coord, lit, load, opDef, u32, UNARY_OPS,
  type BinaryOp, type Dim, type DType, type KExpr, type Node, type Shape, type UnaryOp,
} from '../src/ir/index.ts';
import { freeAxes } from '../src/ir/ops/dot.ts';

/**
 * The expressions of single primitives, with operand j read as `load(j, coords)`: fusion
 * replaces those loads by the operands' own expressions (or by loads of their buffers), so the
 * same builders serve fused and unfused kernels.
 */

const isUnaryOp = (op: string): op is UnaryOp => (UNARY_OPS as readonly string[]).includes(op);
const isBinaryOp = (op: string): op is BinaryOp => (BINARY_OPS as readonly string[]).includes(op);

export const identityCoords = (rank: number): KExpr[] => [...Array(rank).keys()].map(coord);

/** NumPy broadcasting as a load: operand axes align right; a size-1 axis reads coordinate 0. */
export function broadcastLoad(operand: number, inShape: Shape, outShape: Shape, out: readonly KExpr[]): KExpr {
  const offset = outShape.length - inShape.length;
  return load(
    operand,
    inShape.map((d, i) => (d === 1 && outShape[i + offset] !== 1 ? u32(0) : out[i + offset])),
  );
}

/** Whether a node's value is an expression of its operands at the same point (inlinable). */
export function isExpressionNode(node: Node): boolean {
  const kind = opDef(node.op).kernel.kind;
  return kind === 'elementwise' || kind === 'expr';
}

/** The value of an elementwise or `expr` (movement, iota, random bits) node at output coordinates `out`. */
export function nodeExprAt(node: Node, out: readonly KExpr[]): KExpr {
  const outType = node.outputs[0].type;
  const rule = opDef(node.op).kernel;
  if (rule.kind === 'expr')
    return rule.build({ attrs: node.attrs as never, inputs: node.inputs.map((v) => v.type), output: outType, out });
  if (rule.kind !== 'elementwise') throw new Error(`fuse: ${node.op} is not an expression node`);
  const args = node.inputs.map((v, j) => broadcastLoad(j, v.type.shape, outType.shape, out));
  const op = node.op;
  const dtype = outType.dtype;
  if (op === 'select') return { k: 'select', pred: args[0], a: args[1], b: args[2], dtype };
  if (op === 'cast') return { k: 'cast', arg: args[0], from: node.inputs[0].type.dtype, dtype };
  if (isUnaryOp(op)) return { k: 'unary', op, arg: args[0], dtype };
  if (isBinaryOp(op)) return { k: 'binary', op, a: args[0], b: args[1], dtype };
  throw new Error(`fuse: elementwise op ${op} is neither unary, binary, select nor cast`);
}

/** The WGSL helper functions an `expr` rule's expression calls (the counter-based RNG...). */
export function nodePreludes(node: Node): string[] {
  const rule = opDef(node.op).kernel;
  return rule.kind === 'expr' && rule.prelude ? [rule.prelude] : [];
}

/** A splat constant as a literal, coerced as a store would. */
export const splatLiteral = (dtype: DType, value: number): KExpr => lit(dtype, coerce(dtype, value));

/** dot_general as a contraction: the dims, and each operand's coordinates in the anchor's order. */
export interface Contraction {
  readonly batch: readonly Dim[];
  readonly m: readonly Dim[];
  readonly n: readonly Dim[];
  readonly k: readonly Dim[];
  /** lhs coordinates, reading anchor coordinates (batch..., m..., k...). */
  readonly lhsCoords: readonly KExpr[];
  /** rhs coordinates, reading anchor coordinates (batch..., k..., n...). */
  readonly rhsCoords: readonly KExpr[];
}

export function contraction(node: Node<'dot_general'>): Contraction {
  const [lhs, rhs] = node.inputs.map((v) => v.type.shape);
  const a = node.attrs;
  const lFree = freeAxes(lhs.length, a.lhs_batch, a.lhs_contracting);
  const rFree = freeAxes(rhs.length, a.rhs_batch, a.rhs_contracting);
  const nb = a.lhs_batch.length;
  const nk = a.lhs_contracting.length;
  const lhsCoords: KExpr[] = new Array(lhs.length);
  a.lhs_batch.forEach((ax, i) => (lhsCoords[ax] = coord(i)));
  lFree.forEach((ax, i) => (lhsCoords[ax] = coord(nb + i)));
  a.lhs_contracting.forEach((ax, i) => (lhsCoords[ax] = coord(nb + lFree.length + i)));
  const rhsCoords: KExpr[] = new Array(rhs.length);
  a.rhs_batch.forEach((ax, i) => (rhsCoords[ax] = coord(i)));
  a.rhs_contracting.forEach((ax, i) => (rhsCoords[ax] = coord(nb + i)));
  rFree.forEach((ax, i) => (rhsCoords[ax] = coord(nb + nk + i)));
  return {
    batch: a.lhs_batch.map((ax) => lhs[ax]),
    m: lFree.map((ax) => lhs[ax]),
    n: rFree.map((ax) => rhs[ax]),
    k: a.lhs_contracting.map((ax) => lhs[ax]),
    lhsCoords,
    rhsCoords,
  };
}
