import {
  BINARY_OPS, coerce, coord, lit, load, opDef, u32, UNARY_OPS,
  type BinaryOp, type DType, type KExpr, type Node, type Shape, type UnaryOp,
} from '../src/ir/index.ts';

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
