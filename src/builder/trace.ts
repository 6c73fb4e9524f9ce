import { formatType, verifyGraph, type Graph, type TensorType } from '../ir/index.ts';
import { isConcrete, type Concrete } from './concrete.ts';
import { lift, liftAs } from './operand.ts';
import { parameterNames } from './param-names.ts';
import { Spec } from './spec.ts';
import { Tensor } from './tensor.ts';
import { checkOwner, TraceError, withNewTrace } from './trace-context.ts';
import { flatten, leafPaths, unflatten, type Tree, type TreeDef } from './tree.ts';

/** What describes one traced argument leaf: a spec, a concrete array (its type), or a JS scalar. */
export type ArgLeaf = Spec | Concrete | Tensor | number | boolean;
export type ArgTree = Tree<ArgLeaf>;

export type TraceableFn = (...args: any[]) => unknown;

/** A traced function: its graph, and how graph inputs and outputs map to argument and result trees. */
export interface TracedFunction {
  readonly graph: Graph;
  /** Structure of the argument list (an array with one entry per positional argument). */
  readonly inDef: TreeDef;
  /** Structure of the result. */
  readonly outDef: TreeDef;
  /** The argument path of each graph input, e.g. `params.layers[0].w`. */
  readonly inPaths: readonly string[];
}

/**
 * The type a leaf stands for. JS numbers are f32 scalars and booleans bool scalars (so a
 * learning rate passed to a jit function never forces a retrace, whatever its value).
 */
export function leafType(leaf: unknown, path: string): TensorType {
  if (leaf instanceof Spec) return leaf;
  if (leaf instanceof Tensor) return { dtype: leaf.dtype, shape: leaf.shape };
  if (isConcrete(leaf)) return { dtype: leaf.dtype, shape: [...leaf.shape] };
  if (typeof leaf === 'number') return { dtype: 'f32', shape: [] };
  if (typeof leaf === 'boolean') return { dtype: 'bool', shape: [] };
  throw new TraceError(`argument ${path} is not a spec, an array or a number`);
}

/** The path of each leaf of an argument list, rooted at the function's parameter names. */
export function argumentPaths(fn: TraceableFn, def: TreeDef): string[] {
  if (def.kind !== 'array') return leafPaths(def, 'args');
  const names = parameterNames(fn, def.children.length);
  return def.children.flatMap((child, i) => leafPaths(child, names[i]));
}

function isThenable(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Traces `fn` on arguments of the given types (one tree per positional argument) into a verified
 * graph named 'main'. The result may be any tree of Tensors; numbers (as f32), booleans and
 * concrete arrays among them become constants.
 */
export function traceFunction(fn: TraceableFn, args: readonly ArgTree[]): TracedFunction {
  const { leaves, def: inDef } = flatten<ArgLeaf>(args as ArgTree);
  const inPaths = argumentPaths(fn, inDef);
  const types = leaves.map((leaf, i) => leafType(leaf, inPaths[i]));
  return withNewTrace((ctx) => {
    const inputs = types.map((t) => new Tensor(ctx, ctx.builder.input(t)));
    const result = fn(...(unflatten(inDef, inputs) as unknown[]));
    if (isThenable(result))
      throw new TraceError('the traced function returned a Promise: functions under ax.trace and ax.jit must be synchronous');
    const { leaves: outs, def: outDef } = flatten<ArgLeaf>(result as ArgTree);
    const outputs = outs.map((leaf, i) => {
      if (leaf instanceof Spec) throw new TraceError(`result leaf ${i} is ${leaf}; return tensors`);
      if (leaf instanceof Tensor) {
        checkOwner('trace', leaf.ctx, ctx, `result leaf ${i} (${formatType(leaf)})`);
        return leaf;
      }
      // At the boundary a JS number is an f32 scalar, as it is for arguments.
      return typeof leaf === 'number' ? liftAs('trace', ctx, leaf, 'f32') : lift('trace', leaf);
    });
    const graph = ctx.builder.build(outputs.map((t) => t.value), 'main');
    verifyGraph(graph);
    return { graph, inDef, outDef, inPaths };
  });
}

/**
 * `ax.trace(f, ax.spec('f32', [784, 10]), ax.spec('f32', ['N', 784]))`: the graph of `f` for
 * arguments of these types (specs, trees of specs, or concrete arrays standing for their type).
 */
export function trace(fn: TraceableFn, ...args: ArgTree[]): Graph {
  return traceFunction(fn, args).graph;
}
