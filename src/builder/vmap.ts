import { batchGraph } from '../../passes/batching.ts';
import { formatType, normAxis, ShapeError, type Dim, type TensorType } from '../ir/index.ts';
import { callSite } from './location.ts';
import type { Operand } from './operand.ts';
import { parameterNames } from './param-names.ts';
import { inlineInto, traceSub } from './subtrace.ts';
import type { Tensor } from './tensor.ts';
import { argumentPaths, leafType } from './trace.ts';
import { TraceError } from './trace-context.ts';
import { flatten, leafPaths, unflatten, type Tree, type TreeDef } from './tree.ts';
import { axesPerLeaf, type AxisSpec } from './vmap-axes.ts';

export type { AxisSpec } from './vmap-axes.ts';

type Fn = (...args: any[]) => unknown;

/** A function's result with every leaf a Tensor (numbers and booleans are traced too). */
export type VmapResult<T> = [Tree<Tensor>] extends [T]
  ? Tree<Tensor> // an untyped tree (grad's result): mapping it member by member would never end
  : T extends Tensor | number | boolean
  ? Tensor
  : T extends readonly unknown[] | Record<string, unknown>
    ? { [K in keyof T]: VmapResult<T[K]> }
    : T;

/** The axis of each argument leaf, from `inAxes` (an axis, null, or one entry per argument). */
function argumentAxes(fn: Fn, inAxes: AxisSpec, def: TreeDef): (number | null)[] {
  if (!Array.isArray(inAxes)) return axesPerLeaf(inAxes, def, 'inAxes', 'the arguments');
  const args = def.kind === 'array' ? def.children : [];
  const names = parameterNames(fn, args.length);
  if (inAxes.length !== args.length)
    throw new TraceError(
      `ax.vmap: inAxes has ${inAxes.length} entries for ${args.length} argument(s) (${names.join(', ')}); ` +
        'give one entry per argument, or a single axis (or null) for all of them',
    );
  return args.flatMap((child, i) => axesPerLeaf(inAxes[i], child, 'inAxes', names[i]));
}

const withoutAxis = (t: TensorType, axis: number): TensorType => ({ dtype: t.dtype, shape: t.shape.filter((_, i) => i !== axis) });

/**
 * `ax.vmap(fn, inAxes = 0, outAxes = 0)`: fn mapped over a batch of examples (JAX's vmap). Each
 * argument leaf holds its examples stacked along the axis `inAxes` gives it (null: one value
 * shared by all examples); `inAxes` is an axis, null, or a list with one entry per argument,
 * each again an axis, null, or a prefix of that argument's tree. The batched leaves must agree
 * on the number of examples, which may be symbolic ('N'). `fn` is traced once, at the type of
 * one example, and the graph batched by the registry's batching rules; each result leaf comes
 * back with its examples along the axis `outAxes` gives it (null: a result that does not depend
 * on the batched arguments). Composes with grad (per-example gradients: vmap(grad(loss))),
 * with itself, with loops and under jit; call it inside a traced function.
 */
export function vmap<F extends Fn>(fn: F, inAxes: AxisSpec = 0, outAxes: AxisSpec = 0) {
  return (...args: Tree<Operand>[]): VmapResult<ReturnType<F>> => {
    const loc = callSite();
    const { leaves, def } = flatten<Operand>(args as Tree<Operand>);
    const paths = argumentPaths(fn, def);
    const types = leaves.map((leaf, i) => leafType(leaf, paths[i]));
    const axes = argumentAxes(fn, inAxes, def).map((ax, i) => {
      if (ax === null) return undefined;
      const a = normAxis(ax, types[i].shape.length);
      if (a < 0)
        throw new ShapeError('vmap', `argument ${paths[i]} has no axis ${ax} to map over (rank ${types[i].shape.length}); give another axis, or null for an argument shared by all examples`, [formatType(types[i])], loc);
      return a;
    });
    const batched = axes.flatMap((a, i) => (a === undefined ? [] : [{ path: paths[i], size: types[i].shape[a], axis: a, type: types[i] }]));
    if (batched.length === 0)
      throw new TraceError('ax.vmap: no argument is mapped (inAxes is null for every array); map at least one, which sets the number of examples');
    const size: Dim = batched[0].size;
    if (batched.some((b) => b.size !== size))
      throw new ShapeError(
        'vmap',
        `the mapped arguments disagree on the number of examples: ${batched.map((b) => `${b.path} has ${b.size} along axis ${b.axis}`).join(', ')}; ` +
          'give them the same size, or pass null in inAxes for arguments shared by all examples',
        batched.map((b) => formatType(b.type)),
        loc,
      );

    const sub = traceSub('vmap', fn, args, types.map((t, i) => (axes[i] === undefined ? t : withoutAxis(t, axes[i]!))));
    const outs = sub.graph.outputs;
    const outPaths = leafPaths(sub.outDef, 'result');
    const wanted = axesPerLeaf(outAxes, sub.outDef, 'outAxes', 'the result').map((ax, i) => {
      if (ax === null) return undefined;
      const rank = outs[i].type.shape.length;
      const a = normAxis(ax, rank + 1);
      if (a < 0)
        throw new ShapeError('vmap', `outAxes puts the examples of ${outPaths[i]} at axis ${ax}, out of range for a batched result of rank ${rank + 1}`, [formatType(outs[i].type)], loc);
      return a;
    });
    const inputAxes = [...axes, ...sub.closedOver.map(() => undefined)];
    const { graph, outAxes: got } = batchGraph(sub.graph, inputAxes, size, wanted);
    got.forEach((a, i) => {
      if (a !== undefined && wanted[i] === undefined)
        throw new TraceError(`ax.vmap: ${outPaths[i]} depends on the mapped arguments, but outAxes gives it null; give it an axis`);
    });
    const results = inlineInto(sub.ctx, graph, [...sub.args.map((t) => t.value), ...sub.closedOver]);
    return unflatten(sub.outDef, results) as VmapResult<ReturnType<F>>;
  };
}
