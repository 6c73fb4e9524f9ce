import {
  BINARY_OPS, coerce, coord, lit, load, opDef, u32, UNARY_OPS,
  type BinaryOp, type DType, type KExpr, type Node, type Shape, type TensorType, type UnaryOp,
} from '../src/ir/index.ts';
import { freeAxes } from '../src/ir/ops/dot.ts';
import type { Anchor, ContractAnchor, PlanOperand, ReduceOpName } from './kernel-plan.ts';

/**
 * The anchor of the kernel that computes one primitive, with loads that name the node's operands
 * by position (`load(j, ...)` reads operand j). `bindOperands` later turns operand positions into
 * kernel inputs, so the same builders serve any operand mix (buffers, inlined literals).
 */
export interface NodeKernel {
  readonly anchor: Anchor;
  readonly preludes: readonly string[];
}

const isUnaryOp = (op: string): op is UnaryOp => (UNARY_OPS as readonly string[]).includes(op);
const isBinaryOp = (op: string): op is BinaryOp => (BINARY_OPS as readonly string[]).includes(op);

const identityCoords = (rank: number): KExpr[] => [...Array(rank).keys()].map(coord);

/** NumPy broadcasting as a load: operand axes align right; a size-1 axis reads coordinate 0. */
export function broadcastLoad(operand: number, inShape: Shape, outShape: Shape): KExpr {
  const offset = outShape.length - inShape.length;
  return load(
    operand,
    inShape.map((d, i) => (d === 1 && outShape[i + offset] !== 1 ? u32(0) : coord(i + offset))),
  );
}

/** The expression of an elementwise primitive (unary, binary, select, cast) over its operands. */
export function elementwiseExpr(node: Node, out: TensorType): KExpr {
  const args = node.inputs.map((v, j) => broadcastLoad(j, v.type.shape, out.shape));
  const op = node.op;
  if (op === 'select') return { k: 'select', pred: args[0], a: args[1], b: args[2], dtype: out.dtype };
  if (op === 'cast') return { k: 'cast', arg: args[0], from: node.inputs[0].type.dtype, dtype: out.dtype };
  if (isUnaryOp(op)) return { k: 'unary', op, arg: args[0], dtype: out.dtype };
  if (isBinaryOp(op)) return { k: 'binary', op, a: args[0], b: args[1], dtype: out.dtype };
  throw new Error(`lower: elementwise op ${op} is neither unary, binary, select nor cast`);
}

/** dot_general as a contraction: coordinate lists of both operands in the anchor's order. */
export function contractAnchor(node: Node<'dot_general'>): ContractAnchor {
  const [lhs, rhs] = node.inputs.map((v) => v.type.shape);
  const a = node.attrs;
  const lFree = freeAxes(lhs.length, a.lhs_batch, a.lhs_contracting);
  const rFree = freeAxes(rhs.length, a.rhs_batch, a.rhs_contracting);
  const nb = a.lhs_batch.length;
  const nk = a.lhs_contracting.length;
  // lhs coordinates are (batch..., m..., k...); rhs coordinates are (batch..., k..., n...).
  const lhsCoords: KExpr[] = new Array(lhs.length);
  a.lhs_batch.forEach((ax, i) => (lhsCoords[ax] = coord(i)));
  lFree.forEach((ax, i) => (lhsCoords[ax] = coord(nb + i)));
  a.lhs_contracting.forEach((ax, i) => (lhsCoords[ax] = coord(nb + lFree.length + i)));
  const rhsCoords: KExpr[] = new Array(rhs.length);
  a.rhs_batch.forEach((ax, i) => (rhsCoords[ax] = coord(i)));
  a.rhs_contracting.forEach((ax, i) => (rhsCoords[ax] = coord(nb + i)));
  rFree.forEach((ax, i) => (rhsCoords[ax] = coord(nb + nk + i)));
  return {
    kind: 'contract',
    batch: a.lhs_batch.map((ax) => lhs[ax]),
    m: lFree.map((ax) => lhs[ax]),
    n: rFree.map((ax) => rhs[ax]),
    k: a.lhs_contracting.map((ax) => lhs[ax]),
    lhs: load(0, lhsCoords),
    rhs: load(1, rhsCoords),
  };
}

/** The kernel of one computing primitive (not constant, not control). */
export function nodeKernel(node: Node): NodeKernel {
  const out = node.outputs[0].type;
  const rule = opDef(node.op).kernel;
  switch (rule.kind) {
    case 'elementwise': {
      const expr = elementwiseExpr(node, out);
      return { anchor: { kind: 'map', expr }, preludes: [] };
    }
    case 'expr': {
      const expr = rule.build({
        attrs: node.attrs as never,
        inputs: node.inputs.map((v) => v.type),
        output: out,
        out: identityCoords(out.shape.length),
      });
      return { anchor: { kind: 'map', expr }, preludes: rule.prelude ? [rule.prelude] : [] };
    }
    case 'reduce': {
      const x = node.inputs[0].type;
      const { axes } = node.attrs as { axes: readonly number[] };
      const expr = load(0, identityCoords(x.shape.length));
      return { anchor: { kind: 'reduce', op: node.op as ReduceOpName, inShape: x.shape, axes, expr }, preludes: [] };
    }
    case 'contraction':
      return { anchor: contractAnchor(node as Node<'dot_general'>), preludes: [] };
    case 'constant':
    case 'control':
      throw new Error(`nodeKernel: ${node.op} has no kernel of its own`);
  }
}

/** A literal standing for a splat constant, coerced as a store would. */
export const splatLiteral = (dtype: DType, value: number): KExpr => lit(dtype, coerce(dtype, value));

/** Rebuilds `e` with every load replaced by `f(load with its coordinates already rewritten)`. */
export function mapLoads(e: KExpr, f: (l: Extract<KExpr, { k: 'load' }>) => KExpr): KExpr {
  const go = (x: KExpr): KExpr => {
    switch (x.k) {
      case 'load':
        return f({ k: 'load', input: x.input, coords: x.coords.map(go) });
      case 'unary':
        return { ...x, arg: go(x.arg) };
      case 'binary':
        return { ...x, a: go(x.a), b: go(x.b) };
      case 'select':
        return { ...x, pred: go(x.pred), a: go(x.a), b: go(x.b) };
      case 'cast':
        return { ...x, arg: go(x.arg) };
      case 'call':
        return { ...x, args: x.args.map(go) };
      default:
        return x;
    }
  };
  return go(e);
}

/** Where a node operand lives: a buffer, or a splat constant inlined as a literal. */
export type OperandRef =
  | { readonly kind: 'buffer'; readonly buffer: number; readonly type: TensorType }
  | { readonly kind: 'splat'; readonly type: TensorType; readonly value: number };

/**
 * Turns operand positions into kernel inputs: splat operands become literals, and an operand
 * buffer used twice (x * x) is bound once.
 */
export function bindOperands(anchor: Anchor, operands: readonly OperandRef[]): { anchor: Anchor; inputs: PlanOperand[] } {
  const inputs: PlanOperand[] = [];
  const bind = (e: KExpr) =>
    mapLoads(e, (l) => {
      const ref = operands[l.input];
      if (ref.kind === 'splat') return splatLiteral(ref.type.dtype, ref.value);
      let index = inputs.findIndex((o) => o.buffer === ref.buffer);
      if (index < 0) index = inputs.push({ buffer: ref.buffer, dtype: ref.type.dtype, shape: ref.type.shape }) - 1;
      return load(index, l.coords);
    });
  switch (anchor.kind) {
    case 'map':
      return { anchor: { ...anchor, expr: bind(anchor.expr) }, inputs };
    case 'reduce':
      return { anchor: { ...anchor, expr: bind(anchor.expr) }, inputs };
    case 'contract': {
      const lhs = bind(anchor.lhs);
      return { anchor: { ...anchor, lhs, rhs: bind(anchor.rhs) }, inputs };
    }
  }
}
