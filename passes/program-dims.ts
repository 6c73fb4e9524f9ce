import { symbolsOf, walkNodes, type Graph } from '../src/ir/index.ts';

/** Every symbolic dim the graph mentions (inputs first), in order of first appearance. */
export function programDims(graph: Graph): string[] {
  const shapes = graph.inputs.map((v) => v.type.shape);
  const visit = (g: Graph) => {
    for (const v of g.inputs) shapes.push(v.type.shape);
    for (const n of g.nodes) for (const v of n.outputs) shapes.push(v.type.shape);
  };
  visit(graph);
  for (const n of walkNodes(graph)) n.regions.forEach(visit);
  return symbolsOf(shapes);
}
