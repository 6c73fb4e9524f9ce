import { inlineGraph, type Graph, type TensorType, type Value } from '../ir/index.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace, type TraceContext } from './trace-context.ts';
import { flatten, unflatten, type Tree, type TreeDef } from './tree.ts';

/** A function traced as a subgraph of the trace in progress (for grad, vjp, jvp, vmap, custom_vjp). */
export interface SubTrace {
  /** The enclosing trace, where the transformed graph is inlined. */
  readonly ctx: TraceContext;
  /** inputs: one per argument leaf, then one per closed-over outer value. */
  readonly graph: Graph;
  readonly inDef: TreeDef;
  readonly outDef: TreeDef;
  /** The argument leaves as tensors of the enclosing trace. */
  readonly args: readonly Tensor[];
  /** Outer values the function closed over, in the order of the extra graph inputs. */
  readonly closedOver: readonly Value[];
}

/**
 * Traces `fn(...args)` into its own graph, typed by the current arguments, or by `leafTypes` (one
 * per argument leaf: vmap traces at the type of one example). Closed-over tensors of the
 * enclosing trace become extra graph inputs; numbers in `args` are f32 scalars.
 */
export function traceSub(
  op: string,
  fn: (...args: any[]) => unknown,
  args: readonly Tree<Operand>[],
  leafTypes?: readonly TensorType[],
): SubTrace {
  const ctx = requireTrace(op);
  const { leaves, def: inDef } = flatten<Operand>(args as Tree<Operand>);
  const outer = leaves.map((leaf) => (typeof leaf === 'number' ? liftAs(op, ctx, leaf, 'f32') : lift(op, leaf)));
  return withNewTrace((inner) => {
    const inputs = outer.map((t, i) => new Tensor(inner, inner.builder.input(leafTypes?.[i] ?? { dtype: t.dtype, shape: t.shape })));
    const result = fn(...(unflatten(inDef, inputs) as unknown[]));
    const { leaves: outs, def: outDef } = flatten<Operand>(result as Tree<Operand>);
    const outputs = outs.map((leaf) => {
      if (leaf instanceof Tensor || typeof leaf !== 'number') return lift(op, leaf);
      return liftAs(op, inner, leaf, 'f32');
    });
    if (outputs.length === 0) throw new TraceError(`ax.${op}: the function returned no arrays`);
    const graph = inner.builder.build(outputs.map((t) => t.value), op);
    return { ctx, graph, inDef, outDef, args: outer, closedOver: [...inner.closedOver.keys()] };
  }, ctx);
}

/** Inlines a (transformed) graph into the enclosing trace; returns its outputs as tensors. */
export function inlineInto(ctx: TraceContext, g: Graph, inputs: readonly Value[]): Tensor[] {
  return inlineGraph(ctx.builder, g, inputs).map((v) => new Tensor(ctx, v));
}

/** The type of `fn`'s single result at `args`, traced aside: nothing is added to the enclosing trace. */
export function subtraceOutputType(op: string, fn: (...args: any[]) => unknown, ...args: Tree<Operand>[]): TensorType {
  const sub = traceSub(op, fn, args);
  if (sub.outDef.kind !== 'leaf') throw new TraceError(`ax.${op}: the function must return a single array`);
  return sub.graph.outputs[0].type;
}
