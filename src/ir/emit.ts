import type { DType } from './dtype.ts';
import type { SourceLoc } from './errors.ts';
import { GraphBuilder } from './builder.ts';
import type { Graph, Value } from './graph.ts';
import type { BinaryOp, OpAttrs, OpName, UnaryOp } from './op-attrs.ts';
import { normAxis, type Dim, type Shape } from './shape.ts';

/**
 * Emits primitives into a GraphBuilder at the Value level (operands already of matching
 * dtypes). Autodiff and batching rules are written with it, so that every rule is plain IR and
 * can itself be differentiated.
 */
export class Emitter {
  constructor(
    readonly b: GraphBuilder,
    readonly loc?: SourceLoc,
  ) {}

  op<K extends OpName>(op: K, inputs: readonly Value[], attrs: OpAttrs[K], regions?: readonly Graph[]): Value[] {
    return this.b.add(op, inputs, attrs, { loc: this.loc, regions });
  }
  op1<K extends OpName>(op: K, inputs: readonly Value[], attrs: OpAttrs[K]): Value {
    return this.op(op, inputs, attrs)[0];
  }

  unary(op: UnaryOp, x: Value): Value {
    return this.op1(op, [x], {} as OpAttrs[UnaryOp]);
  }
  binary(op: BinaryOp, a: Value, b: Value): Value {
    return this.op1(op, [a, b], {} as OpAttrs[BinaryOp]);
  }

  /** A scalar constant (shape []), broadcast by the consuming elementwise op. */
  scalar(value: number, dtype: DType = 'f32'): Value {
    return this.op1('constant', [], { shape: [], dtype, value: [value] });
  }
  full(shape: Shape, value: number, dtype: DType = 'f32'): Value {
    return this.op1('constant', [], { shape, dtype, value: [value] });
  }
  zerosLike(x: Value): Value {
    return this.full(x.type.shape, 0, x.type.dtype);
  }

  add = (a: Value, b: Value): Value => this.binary('add', a, b);
  sub = (a: Value, b: Value): Value => this.binary('sub', a, b);
  mul = (a: Value, b: Value): Value => this.binary('mul', a, b);
  div = (a: Value, b: Value): Value => this.binary('div', a, b);
  neg = (x: Value): Value => this.unary('neg', x);
  /** `x * c` for a JS number c. */
  scale = (x: Value, c: number): Value => this.mul(x, this.scalar(c, x.type.dtype));
  select = (p: Value, a: Value, b: Value): Value => this.op1('select', [p, a, b], {});
  cast = (x: Value, dtype: DType): Value => (x.type.dtype === dtype ? x : this.op1('cast', [x], { dtype }));

  sum(x: Value, axes: readonly number[], keepdims = false): Value {
    if (axes.length === 0) return x;
    return this.op1('reduce_sum', [x], { axes: [...axes].sort((p, q) => p - q), keepdims });
  }
  reshape(x: Value, shape: Shape): Value {
    return sameDims(x.type.shape, shape) ? x : this.op1('reshape', [x], { shape });
  }
  transpose(x: Value, perm: readonly number[]): Value {
    return perm.every((p, i) => p === i) ? x : this.op1('transpose', [x], { perm });
  }
  broadcastInDim(x: Value, shape: Shape, dims: readonly number[]): Value {
    if (sameDims(x.type.shape, shape) && dims.every((d, i) => d === i)) return x;
    return this.op1('broadcast_in_dim', [x], { shape, dims });
  }

  /** Broadcasts `x` NumPy-style (right-aligned) to `shape`. */
  broadcastTo(x: Value, shape: Shape): Value {
    const offset = shape.length - x.type.shape.length;
    return this.broadcastInDim(x, shape, x.type.shape.map((_, i) => i + offset));
  }

  /**
   * Sums `x` down to `shape`, undoing NumPy broadcasting: leading extra axes are summed away and
   * axes where `shape` has 1 (and x does not) are summed with keepdims. The VJP of a broadcast.
   */
  sumTo(x: Value, shape: Shape): Value {
    const xs = x.type.shape;
    if (sameDims(xs, shape)) return x;
    const lead = xs.length - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < xs.length; i++) if (i < lead || (shape[i - lead] === 1 && xs[i] !== 1)) axes.push(i);
    const summed = this.sum(x, axes, true);
    return this.reshape(summed, shape);
  }

  /** Moves axis `from` to position `to`. */
  moveAxis(x: Value, from: number, to: number): Value {
    const rank = x.type.shape.length;
    const f = normAxis(from, rank);
    const t = normAxis(to, rank);
    const order = [...Array(rank).keys()].filter((i) => i !== f);
    order.splice(t, 0, f);
    return this.transpose(x, order);
  }
}

const sameDims = (a: readonly Dim[], b: readonly Dim[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Copies the nodes of `g` into `b`, with `inputs` standing for g's inputs; returns the values
 * standing for g's outputs. Regions are copied too, so every value stays defined exactly once.
 */
export function inlineGraph(b: GraphBuilder, g: Graph, inputs: readonly Value[]): Value[] {
  if (inputs.length !== g.inputs.length) throw new Error(`inlineGraph: ${g.inputs.length} inputs expected, got ${inputs.length}`);
  const map = new Map<Value, Value>();
  g.inputs.forEach((v, i) => map.set(v, inputs[i]));
  for (const n of g.nodes) {
    const outs = b.add(n.op, n.inputs.map((v) => map.get(v)!), n.attrs as never, { regions: n.regions.map(cloneGraph), loc: n.loc });
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
  }
  return g.outputs.map((v) => map.get(v)!);
}

/** A copy of `g` with fresh values throughout. */
export function cloneGraph(g: Graph): Graph {
  const b = new GraphBuilder();
  const inputs = g.inputs.map((v) => b.input(v.type));
  return b.build(inlineGraph(b, g, inputs), g.name);
}
