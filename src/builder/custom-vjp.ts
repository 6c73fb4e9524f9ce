import { vjpGraph } from '../../passes/autodiff.ts';
import { formatType, inlineGraph, sameType, Value, type Graph, type GraphBuilder } from '../ir/index.ts';
import { callSite } from './location.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace } from './trace-context.ts';
import { flatten, unflatten, type Tree } from './tree.ts';

/**
 * The backward rule of a custom VJP: from the primal inputs, the primal output and the output's
 * cotangent, the cotangent of each input (a single Tensor when there is one input; null for zero).
 */
export type BackwardRule<R> = (inputs: Tensor[], output: R, cotangent: R) => Tensor | null | readonly (Tensor | null)[];

/**
 * `customVjp(fn, bwd)`: a function whose value is `fn` and whose VJP is `bwd` (JAX's custom_vjp
 * with the inputs and outputs as residuals). Builds one custom_vjp node holding both subgraphs,
 * so the rule survives printing, parsing, jit and further differentiation. Tensors that `fn`
 * or `bwd` close over become extra operands: the rule covers the explicit inputs only, so a
 * tensor `fn` closes over gets its true cotangent (fn differentiated by the registry's rules,
 * so `customVjp((x) => x.mul(w), …)` still trains w); one only `bwd` reads gets zero (it is
 * part of the rule, not of the value).
 *
 *     const ste = ax.customVjp((x: ax.Tensor) => x.ge(0).astype('f32'), (_x, _y, g) => g);
 */
export function customVjp<R extends Tree<Tensor>>(fn: (...xs: Tensor[]) => R, bwd: BackwardRule<R>) {
  return (...args: Operand[]): R => {
    const ctx = requireTrace('customVjp');
    const loc = callSite();
    const xs = args.map((a) => (typeof a === 'number' ? liftAs('customVjp', ctx, a, 'f32') : lift('customVjp', a)));
    const types = xs.map((t) => ({ dtype: t.dtype, shape: t.shape }));

    const fwd = withNewTrace((inner) => {
      const ins = types.map((t) => new Tensor(inner, inner.builder.input(t)));
      const { leaves, def } = flatten<Operand>(fn(...ins) as Tree<Operand>);
      const outs = leaves.map((leaf) => lift('customVjp', leaf));
      return { graph: inner.builder.build(outs.map((t) => t.value), 'fwd'), def, closed: [...inner.closedOver.keys()] };
    }, ctx);
    const outTypes = fwd.graph.outputs.map((v) => v.type);

    const back = withNewTrace((inner) => {
      const ins = types.map((t) => new Tensor(inner, inner.builder.input(t)));
      const closedFwd = fwd.closed.map((v) => inner.builder.input(v.type));
      const outs = outTypes.map((t) => new Tensor(inner, inner.builder.input(t)));
      const cts = outTypes.map((t) => new Tensor(inner, inner.builder.input(t)));
      const result = bwd(ins, unflatten(fwd.def, outs) as R, unflatten(fwd.def, cts) as R);
      const list = Array.isArray(result) ? result : [result];
      if (list.length !== xs.length)
        throw new TraceError(`ax.customVjp: the backward rule returned ${list.length} cotangent(s) for ${xs.length} input(s)`);
      const zero = (t: { dtype: Tensor['dtype']; shape: Tensor['shape'] }) =>
        inner.builder.add1('constant', [], { shape: t.shape, dtype: t.dtype, value: [0] });
      const grads: Value[] = list.map((g, i) => {
        if (g === null || g === undefined) return zero(types[i]);
        const v = liftAs('customVjp', inner, g as Operand, types[i].dtype).value;
        if (!sameType(v.type, types[i]))
          throw new TraceError(`ax.customVjp: cotangent ${i} is ${formatType(v.type)}, the input is ${formatType(types[i])}`);
        return v;
      });
      const closedBwd = [...inner.closedOver.keys()];
      const closedIns = [...inner.closedOver.values()];
      const fwdClosureCts = closureCotangents(inner.builder, fwd.graph, xs.length, [...ins.map((t) => t.value), ...closedFwd], cts.map((t) => t.value));
      const extra = [...fwdClosureCts, ...closedIns.map((v) => zero(v.type))];
      // Order the inputs as custom_vjp wants them: operands (inputs, closed-over), results, cotangents.
      const inputs = [...ins.map((t) => t.value), ...closedFwd, ...closedIns, ...outs.map((t) => t.value), ...cts.map((t) => t.value)];
      const g: Graph = { name: 'bwd', inputs, nodes: [...inner.builder.nodes], outputs: [...grads, ...extra] };
      return { graph: g, closed: closedBwd };
    }, ctx);

    // fwd takes the bwd-only closed-over operands too (unused), so both regions see one operand list.
    const operands = [...xs.map((t) => t.value), ...fwd.closed, ...back.closed];
    const fwdFull = withExtraInputs(fwd.graph, back.closed.map((v) => v.type));
    const results = ctx.builder.add('custom_vjp', operands, {}, { regions: [fwdFull, back.graph], loc });
    return unflatten(fwd.def, results.map((v) => new Tensor(ctx, v))) as R;
  };
}

/**
 * The cotangents of fwd's closed-over inputs (those after the first `explicit`): fwd's own VJP at
 * the result cotangents, emitted into `b` from fwd's inputs and the cotangents; zeros for
 * non-float closures.
 */
function closureCotangents(b: GraphBuilder, fwd: Graph, explicit: number, inputs: readonly Value[], cts: readonly Value[]): Value[] {
  const closures = fwd.inputs.map((_, i) => i).slice(explicit);
  const zero = (i: number) => b.add1('constant', [], { shape: fwd.inputs[i].type.shape, dtype: fwd.inputs[i].type.dtype, value: [0] });
  const wrt = closures.filter((i) => fwd.inputs[i].type.dtype === 'f32');
  const ctOf = fwd.outputs.flatMap((v, i) => (v.type.dtype === 'f32' ? [i] : []));
  if (wrt.length === 0 || ctOf.length === 0) return closures.map(zero);
  const grads = inlineGraph(b, vjpGraph(fwd, wrt, ctOf), [...inputs, ...ctOf.map((i) => cts[i])]).slice(fwd.outputs.length);
  return closures.map((i) => (wrt.includes(i) ? grads[wrt.indexOf(i)] : zero(i)));
}

function withExtraInputs(g: Graph, types: readonly Value['type'][]): Graph {
  return types.length === 0 ? g : { ...g, inputs: [...g.inputs, ...types.map((t) => new Value(t))] };
}
