import { unsupported } from './rule.ts';
import type { Graph } from '../ir/graph.ts';
import type { TensorType } from '../ir/shape.ts';
import type { Rule, RuleContext } from './rule.ts';
import type { GraphMsg, ValueInfoMsg } from './proto.ts';
import { valueInfo, type Scope } from './writer.ts';


/** Region outputs as subgraph outputs: each through an Identity, so every output name is its own. */
function outputsOf(sub: Scope, names: readonly string[], types: readonly TensorType[]): ValueInfoMsg[] {
  return names.map((n, i) => {
    const out = sub.op('Identity', [n]);
    return valueInfo(out, types[i]);
  });
}

/** A branch of an If: no inputs; the region's inputs are the If's operands, reached in the enclosing scope. */
function branch(cx: RuleContext, region: Graph, operands: readonly string[], label: string): GraphMsg {
  const sub = cx.s.child();
  const results = cx.inline(sub, region, operands);
  const output = outputsOf(sub, results, region.outputs.map((v) => v.type));
  return sub.graph(cx.s.names.fresh(label), [], output);
}

/** custom_vjp exports as its forward: the backward region is for autodiff, which is done by now. */
export const custom_vjp: Rule<'custom_vjp'> = (cx, node, inputs) => cx.inline(cx.s, node.regions[0], inputs);

export const cond: Rule<'cond'> = (cx, node, [pred, ...xs]) => {
  const [thenG, elseG] = node.regions;
  const attrs = { then_branch: { graph: branch(cx, thenG, xs, 'then') }, else_branch: { graph: branch(cx, elseG, xs, 'else') } };
  return cx.s.node('If', [pred], attrs, node.outputs.length);
};

/**
 * loop as ONNX Loop with a trip count and no condition. The body takes (iteration, condition,
 * carried...) and yields (condition, carried...); the IR body's loop-invariant inputs are the
 * Loop's operands in the enclosing scope, which an ONNX body reads by name.
 */
export const loop: Rule<'loop'> = (cx, node, inputs) => {
  const { trips, carried } = node.attrs;
  const [body] = node.regions;
  const sub = cx.s.child();
  const iteration = cx.s.names.fresh('iteration');
  const going = cx.s.names.fresh('cond_in');
  const state = body.inputs.slice(0, carried).map(() => cx.s.names.fresh('carried'));
  const results = cx.inline(sub, body, [...state, ...inputs.slice(carried)]);
  const goingOut = valueInfo(sub.op('Identity', [going]), { dtype: 'bool', shape: [] });
  const stateOut = outputsOf(sub, results, body.outputs.map((v) => v.type));
  const bodyInputs = [
    valueInfo(iteration, { dtype: 'i64', shape: [] }),
    valueInfo(going, { dtype: 'bool', shape: [] }),
    ...state.map((n, i) => valueInfo(n, body.inputs[i].type)),
  ];
  const graph = sub.graph(cx.s.names.fresh('body'), bodyInputs, [goingOut, ...stateOut]);
  return cx.s.node('Loop', [cx.s.scalar('i64', trips), '', ...inputs.slice(0, carried)], { body: { graph } }, carried);
};

export const scan: Rule<'scan'> = unsupported('scan does not export yet (ONNX Scan would carry it); unroll with ax.loop over gathered slices, or export the step function');
export const while_loop: Rule<'while_loop'> = unsupported('while_loop does not export yet (ONNX Loop with a condition would carry it); export the loop with a fixed trip count (ax.loop without tol)');
