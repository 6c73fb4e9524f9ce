import type { DType } from './dtype.ts';
import type { Emitter } from './emit.ts';
import type { Graph, Value } from './graph.ts';
import type { HostTensor } from './host-tensor.ts';
import type { KExpr } from './kexpr.ts';
import type { AttrSchema, OpAttrs, OpName } from './op-attrs.ts';
import type { Dim, Shape, TensorType } from './shape.ts';

/** What the reference interpreter offers an op that runs subgraphs (loop). */
export interface RefContext {
  evalGraph(g: Graph, inputs: readonly HostTensor[]): HostTensor[];
  /** A region's shape with its symbolic dims bound (scan sizes its stacked results by it). */
  concreteShape(shape: Shape): number[];
}

/** How a reduction combines values (the renderer spells each; `identity` is the rule's). */
export type Combiner = 'sum' | 'max' | 'min';

/**
 * What a `reduce` rule builds: acc = combine over the `axes` of `space` of `expr`, an expression
 * over coordinates c0.. of `space` that reads operand j as `load(j, ...)`. The node's result
 * has the other axes of `space`, in order (size-1 axes may be added, as keepdims does).
 */
export interface ReductionSpec {
  readonly space: Shape;
  readonly axes: readonly number[];
  readonly expr: KExpr;
}

/**
 * What a `contraction` rule builds: acc = sum over k... of lhs * rhs, with `lhs` over anchor
 * coordinates (batch..., m..., k...) and `rhs` over (batch..., k..., n...), reading operand j as
 * `load(j, ...)` (an index map can make a convolution a contraction: im2col without the copy).
 * The node's result has shape batch ++ m ++ n.
 */
export interface ContractionSpec {
  readonly batch: readonly Dim[];
  readonly m: readonly Dim[];
  readonly n: readonly Dim[];
  readonly k: readonly Dim[];
  readonly lhs: KExpr;
  readonly rhs: KExpr;
}

/** What a kernel rule's builder gets: the attributes and the operand and result types. */
export interface KernelRuleCtx<A> {
  readonly attrs: A;
  readonly inputs: readonly TensorType[];
  readonly output: TensorType;
}

/** Inputs to an `expr` kernel rule: the output coordinates and the operand types. */
export interface ExprKernelCtx<A> {
  readonly attrs: A;
  readonly inputs: readonly TensorType[];
  readonly output: TensorType;
  /** One u32 expression per output axis. */
  readonly out: readonly KExpr[];
}

/**
 * How an op becomes WGSL:
 * - `elementwise`: an operator over its operands (broadcast by the lowering), spelled in WGSL by
 *   the renderer's operator table (passes/wgsl/operators.ts);
 * - `expr`: an expression over loads of its operands at computed coordinates (movement ops as
 *   index maps, iota, random bits), so that fusion can inline it into consumers;
 * - `reduce`: a reduction of an expression over some axes of a space (see ReductionSpec), with
 *   its combiner and identity;
 * - `contraction`: a sum of products over some axes (see ContractionSpec): dot_general, and
 *   any op whose operands are index maps of its inputs (convolutions);
 * - `constant`: a buffer uploaded once (or a literal when splat);
 * - `control`: run by the executor (loop), or rewritten away before lowering (custom_vjp, cond).
 */
export type KernelRule<A> =
  | { readonly kind: 'elementwise' }
  | { readonly kind: 'expr'; build(ctx: ExprKernelCtx<A>): KExpr; readonly prelude?: string }
  | {
      readonly kind: 'reduce';
      readonly combiner: Combiner;
      identity(dtype: DType): number;
      build(ctx: KernelRuleCtx<A>): ReductionSpec;
    }
  | { readonly kind: 'contraction'; build(ctx: KernelRuleCtx<A>): ContractionSpec }
  | { readonly kind: 'constant' }
  | { readonly kind: 'control' };

/** What the autodiff transform offers a VJP rule. */
export interface VjpContext {
  /** Emits into the backward graph (at the forward node's source location). */
  readonly e: Emitter;
  /** Inlines `g` at `inputs` into the backward graph; returns its outputs. */
  inline(g: Graph, inputs: readonly Value[]): Value[];
  /**
   * Reverse mode through a subgraph: recomputes `g` at `inputs` and returns the cotangent of each
   * of its inputs (undefined where none flows) for the given output cotangents.
   */
  vjp(g: Graph, inputs: readonly Value[], cts: readonly (Value | undefined)[]): (Value | undefined)[];
  /**
   * The VJP of `g` as a graph of its own, for the regions of a structured VJP (cond's): inputs
   * g's inputs, then a cotangent for each output in `ctOf`; outputs g's outputs, then the
   * cotangent of each input in `wrt` (f32 inputs only; zeros where none flows).
   */
  vjpGraph(g: Graph, wrt: readonly number[], ctOf: readonly number[]): Graph;
}

/** One node, as a VJP rule sees it: operands, results and the cotangents of the results. */
export interface VjpArgs<A> {
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: A;
  readonly regions: readonly Graph[];
  /** Cotangent of each result; undefined where none flows (a zero). */
  readonly cts: readonly (Value | undefined)[];
}

/**
 * A VJP rule, written in IR primitives (so rules can be differentiated again): the cotangent of
 * each operand, or undefined for operands that receive none (integer operands, indices,
 * piecewise-constant ops). `null` marks a primitive that is not differentiable at all.
 */
export type VjpRule<A> = ((ctx: VjpContext, node: VjpArgs<A>) => (Value | undefined)[]) | null;

/** A value of a batched computation and the axis that indexes the examples (undefined: one value shared by all). */
export interface BatchedValue {
  readonly value: Value;
  readonly axis: number | undefined;
}

/** A subgraph after batching: the new graph and the batch axis of each output. */
export interface BatchedGraph {
  readonly graph: Graph;
  readonly outAxes: readonly (number | undefined)[];
}

/** What the batching transform offers a batching rule. */
export interface BatchContext {
  /** Emits into the batched graph (at the node's source location). */
  readonly e: Emitter;
  /** The number of examples B (a name when the batch size is symbolic). */
  readonly size: Dim;
  /** `x` with its batch axis moved to 0; an unbatched value is returned as it is. */
  front(x: BatchedValue): Value;
  /** `x` batched at axis 0; an unbatched value is broadcast to B copies. */
  materialize(x: BatchedValue): Value;
  /**
   * Batches the subgraph `g` (a loop body, a custom_vjp region) for inputs batched along `inAxes`
   * (undefined: unbatched). An output given a number in `outAxes` comes out batched at that axis,
   * broadcast when it does not depend on a batched input; the others keep the axis they get.
   */
  batch(g: Graph, inAxes: readonly (number | undefined)[], outAxes?: readonly (number | undefined)[]): BatchedGraph;
}

/** One node, as a batching rule sees it: batched operands, attributes and regions. */
export interface BatchArgs<A> {
  readonly inputs: readonly BatchedValue[];
  readonly attrs: A;
  readonly regions: readonly Graph[];
}

/**
 * A batching rule (vmap): emits the node's computation for B examples at once, given its operands
 * (at least one batched), and returns each result with its batch axis. Result i, with its batch
 * axis removed, must have the type the unbatched node gives.
 */
export type BatchRule<A> = (ctx: BatchContext, node: BatchArgs<A>) => BatchedValue[];

/** Everything about one primitive, in one place. */
export interface OpDef<K extends OpName> {
  readonly name: K;
  /** Operand count; `variadic` for concatenate and loop. */
  readonly arity: number | 'variadic';
  readonly attrs: AttrSchema<OpAttrs[K]>;
  /** Names of the subgraphs the op carries (e.g. `body`), in order. */
  readonly regions?: readonly string[];
  /** Result types from operand types; throws ShapeError (without location) when they do not fit. */
  infer(inputs: readonly TensorType[], attrs: OpAttrs[K], regions: readonly Graph[]): TensorType[];
  /** Float64 evaluation: the oracle of every test. */
  evalRef(inputs: readonly HostTensor[], attrs: OpAttrs[K], ctx: RefContext, regions: readonly Graph[]): HostTensor[];
  readonly kernel: KernelRule<OpAttrs[K]>;
  readonly vjp: VjpRule<OpAttrs[K]>;
  readonly batch: BatchRule<OpAttrs[K]>;
}

export type OpTable = { readonly [K in OpName]: OpDef<K> };
