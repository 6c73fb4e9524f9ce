import { evaluate } from '../../runtime/reference.ts';
import { hostTensor, type HostTensor } from '../ir/index.ts';
import { isConcrete, concreteHost } from '../builder/concrete.ts';
import { liftAs, lift, type Operand } from '../builder/operand.ts';
import { Tensor } from '../builder/tensor.ts';
import { currentTrace, withNewTrace } from '../builder/trace-context.ts';
import { flatten, unflatten, type Tree } from '../builder/tree.ts';

/**
 * Runs an initialiser (model construction, parameter creation) where the caller is. Inside a trace
 * it is an ordinary call that adds nodes to the trace. Outside every trace — where models are
 * usually built, before any jit — `fn` is traced on the concrete arrays among `args` (JS numbers
 * and other non-array leaves stay JS values, so sizes and counts remain static) and the graph is
 * evaluated at once by the reference interpreter. The result has `fn`'s structure (tree nodes
 * such as models are rebuilt) with HostTensor leaves; f32 values are rounded to float32, so the
 * host holds exactly what a GPU buffer will.
 */
export function runOnHost<A extends unknown[], R>(op: string, fn: (...args: A) => R, args: A): R {
  if (currentTrace()) return fn(...args);
  const { leaves, def } = flatten<unknown>(args as Tree<unknown>);
  const hostInputs: HostTensor[] = [];
  const { graph, outDef } = withNewTrace((ctx) => {
    const inputs = leaves.map((leaf) => {
      if (!isConcrete(leaf)) return leaf;
      const host = concreteHost(op, leaf);
      hostInputs.push(host);
      return new Tensor(ctx, ctx.builder.input({ dtype: host.dtype, shape: [...host.shape] }));
    });
    const result = fn(...(unflatten(def, inputs) as A));
    const { leaves: outs, def: resultDef } = flatten<Operand>(result as Tree<Operand>);
    const values = outs.map((leaf) => (typeof leaf === 'number' ? liftAs(op, ctx, leaf, 'f32') : lift(op, leaf)).value);
    return { graph: ctx.builder.build(values, op), outDef: resultDef };
  });
  const outputs = evaluate(graph, hostInputs).map((t) =>
    t.dtype === 'f32' ? hostTensor('f32', t.shape, t.data.map(Math.fround)) : t,
  );
  return unflatten(outDef, outputs) as R;
}
