import { Emitter, GraphBuilder, inlineGraph, type Graph, type Node } from '../src/ir/index.ts';

/**
 * Replaces every cond node by both of its branches, inlined, and one select per result on the
 * predicate (a bool scalar already on the device): the choice is made by the GPU, with no host
 * round trip, and both branches run. Selecting is exact: the result is the chosen branch's value,
 * bit for bit, whatever the other computed (NaN, infinities). Recurses into regions (loop bodies,
 * nested conds). A pass that branches for real (indirect dispatch of one branch's kernels) would
 * take this one's place in PASSES.
 */
export function condToSelect(g: Graph): Graph {
  if (!hasCond(g)) return g;
  const b = new GraphBuilder();
  const map = new Map(g.inputs.map((v) => [v, b.input(v.type)]));
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => map.get(v)!);
    let outs;
    if (n.op === 'cond') {
      const [pred, ...xs] = ins;
      const e = new Emitter(b, n.loc);
      const [onTrue, onFalse] = n.regions.map((r) => inlineGraph(b, condToSelect(r), xs));
      outs = onTrue.map((t, i) => e.select(pred, t, onFalse[i]));
    } else {
      outs = b.add(n.op, ins, n.attrs as never, { regions: n.regions.map(condToSelect), loc: n.loc });
    }
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
  }
  return b.build(g.outputs.map((v) => map.get(v)!), g.name);
}

function hasCond(g: Graph): boolean {
  return g.nodes.some((n: Node) => n.op === 'cond' || n.regions.some(hasCond));
}
