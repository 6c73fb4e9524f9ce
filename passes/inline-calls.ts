import { GraphBuilder, inlineGraph, type Graph, type Node } from '../src/ir/index.ts';

/**
 * Replaces every custom_vjp node by the body of its `fwd` region (its value); the backward
 * region only matters to autodiff, which runs before this. Recurses into loop bodies.
 */
export function inlineCustomVjp(g: Graph): Graph {
  if (!hasCustomVjp(g)) return g;
  const b = new GraphBuilder();
  const map = new Map(g.inputs.map((v) => [v, b.input(v.type)]));
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => map.get(v)!);
    const outs =
      n.op === 'custom_vjp'
        ? inlineGraph(b, inlineCustomVjp(n.regions[0]), ins)
        : b.add(n.op, ins, n.attrs as never, { regions: n.regions.map(inlineCustomVjp), loc: n.loc });
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
  }
  return b.build(g.outputs.map((v) => map.get(v)!), g.name);
}

function hasCustomVjp(g: Graph): boolean {
  return g.nodes.some((n: Node) => n.op === 'custom_vjp' || n.regions.some(hasCustomVjp));
}
