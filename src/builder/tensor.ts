import { formatLoc, formatType, isSymbol, type DType, type Dim, type Shape, type Value } from '../ir/index.ts';
import type { Axis } from './axes.ts';
import type { Operand } from './operand.ts';
import * as bin from './ops-binary.ts';
import * as lin from './ops-linalg.ts';
import * as rearrange from './ops-rearrange.ts';
import * as red from './ops-reduce.ts';
import * as shp from './ops-shape.ts';
import * as un from './ops-unary.ts';
import type { PadWidth } from './ops-shape.ts';
import type { VarianceOptions } from './ops-reduce.ts';
import { IndexUpdate, type RowIndex } from './scatter.ts';
import { TraceError, type TraceContext } from './trace-context.ts';

/**
 * A traced value: a Value of the graph that the trace `ctx` is building. Tensors exist only while
 * their trace runs; operations on them add nodes to that trace. The methods are the ax functions
 * with this Tensor as first operand.
 */
export class Tensor {
  constructor(
    readonly ctx: TraceContext,
    readonly value: Value,
  ) {}

  get dtype(): DType {
    return this.value.type.dtype;
  }
  get shape(): Shape {
    return this.value.type.shape;
  }
  get ndim(): number {
    return this.value.type.shape.length;
  }
  /** The element count when every dim is known, else undefined. */
  get size(): number | undefined {
    return this.shape.some(isSymbol) ? undefined : (this.shape as number[]).reduce((a, b) => a * b, 1);
  }

  toString(): string {
    return `Tensor(${formatType(this)})`;
  }

  /**
   * What `console.log` and `util.inspect` show: the type and where the value was made (the op and
   * the user's file:line, or which input of the traced function it is), not the trace itself.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const input = this.ctx.builder.inputs.indexOf(this.value);
    const node = input < 0 ? this.ctx.builder.nodes.find((n) => n.outputs.includes(this.value)) : undefined;
    const origin =
      input >= 0 ? `input ${input} of a traced function` : node ? `made by ${node.op}${node.loc ? ` at ${formatLoc(node.loc)}` : ''}` : 'traced';
    return `Tensor ${formatType(this)} (${origin}; a traced value has no numbers: return it from the traced function to get them)`;
  }

  /** A traced value has no number yet: comparisons and arithmetic with JS operators cannot work. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TraceError(
      `${this} has no concrete value while tracing: JS operators and if/while on tensors do not work under ` +
        `trace; use t.add(...), t.gt(...) and ax.where(...) instead`,
    );
  }

  /** The slices along axis 0 (needs a known size), so `const [m, b] = theta` works. */
  *[Symbol.iterator](): Iterator<Tensor> {
    const n = this.shape[0];
    if (this.ndim === 0 || isSymbol(n))
      throw new TraceError(`${this} cannot be iterated: it needs a first axis of known size`);
    for (let i = 0; i < n; i++) yield shp.index(this, i);
  }

  // Arithmetic and comparison
  add(y: Operand): Tensor {
    return bin.add(this, y);
  }
  sub(y: Operand): Tensor {
    return bin.subtract(this, y);
  }
  mul(y: Operand): Tensor {
    return bin.multiply(this, y);
  }
  div(y: Operand): Tensor {
    return bin.divide(this, y);
  }
  floorDiv(y: Operand): Tensor {
    return bin.floorDivide(this, y);
  }
  mod(y: Operand): Tensor {
    return bin.mod(this, y);
  }
  pow(y: Operand): Tensor {
    return bin.power(this, y);
  }
  maximum(y: Operand): Tensor {
    return bin.maximum(this, y);
  }
  minimum(y: Operand): Tensor {
    return bin.minimum(this, y);
  }
  eq(y: Operand): Tensor {
    return bin.equal(this, y);
  }
  ne(y: Operand): Tensor {
    return bin.notEqual(this, y);
  }
  lt(y: Operand): Tensor {
    return bin.less(this, y);
  }
  le(y: Operand): Tensor {
    return bin.lessEqual(this, y);
  }
  gt(y: Operand): Tensor {
    return bin.greater(this, y);
  }
  ge(y: Operand): Tensor {
    return bin.greaterEqual(this, y);
  }
  and(y: Operand): Tensor {
    return bin.logicalAnd(this, y);
  }
  or(y: Operand): Tensor {
    return bin.logicalOr(this, y);
  }
  clip(min?: Operand | null, max?: Operand | null): Tensor {
    return bin.clip(this, min, max);
  }

  // Elementwise functions
  neg(): Tensor {
    return un.negative(this);
  }
  abs(): Tensor {
    return un.abs(this);
  }
  sign(): Tensor {
    return un.sign(this);
  }
  exp(): Tensor {
    return un.exp(this);
  }
  log(): Tensor {
    return un.log(this);
  }
  log1p(): Tensor {
    return un.log1p(this);
  }
  expm1(): Tensor {
    return un.expm1(this);
  }
  sqrt(): Tensor {
    return un.sqrt(this);
  }
  rsqrt(): Tensor {
    return un.rsqrt(this);
  }
  square(): Tensor {
    return un.square(this);
  }
  reciprocal(): Tensor {
    return un.reciprocal(this);
  }
  sin(): Tensor {
    return un.sin(this);
  }
  cos(): Tensor {
    return un.cos(this);
  }
  tanh(): Tensor {
    return un.tanh(this);
  }
  sigmoid(): Tensor {
    return un.sigmoid(this);
  }
  erf(): Tensor {
    return un.erf(this);
  }
  tan(): Tensor {
    return un.tan(this);
  }
  arcsin(): Tensor {
    return un.arcsin(this);
  }
  arccos(): Tensor {
    return un.arccos(this);
  }
  arctan(): Tensor {
    return un.arctan(this);
  }
  sinh(): Tensor {
    return un.sinh(this);
  }
  cosh(): Tensor {
    return un.cosh(this);
  }
  arcsinh(): Tensor {
    return un.arcsinh(this);
  }
  arccosh(): Tensor {
    return un.arccosh(this);
  }
  arctanh(): Tensor {
    return un.arctanh(this);
  }
  floor(): Tensor {
    return un.floor(this);
  }
  ceil(): Tensor {
    return un.ceil(this);
  }
  round(): Tensor {
    return un.round(this);
  }
  not(): Tensor {
    return un.logicalNot(this);
  }
  astype(dtype: DType): Tensor {
    return un.astype(this, dtype);
  }
  stopGradient(): Tensor {
    return un.stopGradient(this);
  }

  // Reductions
  sum(axis?: Axis, keepdims?: boolean): Tensor {
    return red.sum(this, axis, keepdims);
  }
  mean(axis?: Axis, keepdims?: boolean): Tensor {
    return red.mean(this, axis, keepdims);
  }
  max(axis?: Axis, keepdims?: boolean): Tensor {
    return red.max(this, axis, keepdims);
  }
  min(axis?: Axis, keepdims?: boolean): Tensor {
    return red.min(this, axis, keepdims);
  }
  any(axis?: Axis, keepdims?: boolean): Tensor {
    return red.any(this, axis, keepdims);
  }
  all(axis?: Axis, keepdims?: boolean): Tensor {
    return red.all(this, axis, keepdims);
  }
  var(axis?: Axis, opts?: VarianceOptions): Tensor {
    return red.variance(this, axis, opts);
  }
  std(axis?: Axis, opts?: VarianceOptions): Tensor {
    return red.std(this, axis, opts);
  }
  argmax(axis?: number, keepdims?: boolean): Tensor {
    return red.argmax(this, axis, keepdims);
  }
  argmin(axis?: number, keepdims?: boolean): Tensor {
    return red.argmin(this, axis, keepdims);
  }
  logsumexp(axis?: Axis, keepdims?: boolean): Tensor {
    return red.logsumexp(this, axis, keepdims);
  }
  norm(axis?: Axis, keepdims?: boolean): Tensor {
    return red.norm(this, axis, keepdims);
  }

  // Shape
  reshape(shape: Shape): Tensor {
    return shp.reshape(this, shape);
  }
  ravel(): Tensor {
    return shp.ravel(this);
  }
  transpose(perm?: readonly number[]): Tensor {
    return shp.transpose(this, perm);
  }
  get T(): Tensor {
    return shp.transpose(this);
  }
  swapaxes(a: number, b: number): Tensor {
    return shp.swapaxes(this, a, b);
  }
  broadcastTo(shape: Shape): Tensor {
    return shp.broadcastTo(this, shape);
  }
  expandDims(axis: number | readonly number[]): Tensor {
    return shp.expandDims(this, axis);
  }
  squeeze(axis?: number | readonly number[]): Tensor {
    return shp.squeeze(this, axis);
  }
  slice(starts: readonly number[], limits: readonly Dim[], strides?: readonly number[]): Tensor {
    return shp.slice(this, starts, limits, strides);
  }
  take(indices: Operand | readonly number[], axis?: number): Tensor {
    return shp.take(this, indices, axis);
  }
  pad(width: PadWidth, value?: number): Tensor {
    return shp.pad(this, width, value);
  }
  /** x[i] along axis 0 (that axis removed): `ax.index(x, i)`. */
  index(i: number): Tensor {
    return shp.index(this, i);
  }
  /**
   * JAX's `x.at[index]` along axis 0: `.get()`, and `.set/add/mul/min/max(v)` returning the
   * updated array (see IndexUpdate for indices out of range and repeated ones).
   *
   *     const y = x.at([0, 2]).add(1);   // x with 1 added to rows 0 and 2
   */
  at(index: RowIndex): IndexUpdate {
    return new IndexUpdate(this, index);
  }
  repeat(repeats: number | readonly number[], axis?: number): Tensor {
    return rearrange.repeat(this, repeats, axis);
  }

  // Linear algebra
  matmul(y: Operand): Tensor {
    return lin.matmul(this, y);
  }
  dot(y: Operand): Tensor {
    return lin.dot(this, y);
  }
}
