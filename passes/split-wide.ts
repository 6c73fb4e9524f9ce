import { LimitError, opDef, Value, type Graph, type KernelLimits, type Node } from '../src/ir/index.ts';

/**
 * Keeps every kernel within the adapter's storage-binding limit: a concatenate with more operands
 * than a kernel can read (the limit minus the output) becomes a tree of concatenates along the
 * same axis. Other primitives read at most three operands, within WebGPU's minimum of 8.
 */
export function splitWide(graph: Graph, limits: KernelLimits): Graph {
  const maxOperands = limits.maxStorageBuffersPerShaderStage - 1;
  if (maxOperands < 2)
    throw new LimitError(
      `maxStorageBuffersPerShaderStage is ${limits.maxStorageBuffersPerShaderStage}; ` +
        'kernels need at least 3 storage buffers (two operands and the output)',
    );
  return rewriteGraph(graph, maxOperands);
}

function rewriteGraph(g: Graph, maxOperands: number): Graph {
  const nodes: Node[] = [];
  for (const node of g.nodes) {
    const regions = node.regions.map((r) => rewriteGraph(r, maxOperands));
    const same = regions.every((r, i) => r === node.regions[i]);
    if (node.op === 'concatenate' && node.inputs.length > maxOperands) {
      nodes.push(...splitConcatenate(node as Node<'concatenate'>, maxOperands));
    } else nodes.push(same ? node : { ...node, regions });
  }
  const changed = nodes.length !== g.nodes.length || nodes.some((n, i) => n !== g.nodes[i]);
  return changed ? { ...g, nodes } : g;
}

/** Joins the operands in groups of at most `maxOperands`, then joins the groups, until one remains. */
function splitConcatenate(node: Node<'concatenate'>, maxOperands: number): Node[] {
  const out: Node[] = [];
  let level: readonly Value[] = node.inputs;
  while (level.length > maxOperands) {
    const next: Value[] = [];
    for (let i = 0; i < level.length; i += maxOperands) {
      const group = level.slice(i, i + maxOperands);
      if (group.length === 1) {
        next.push(group[0]);
        continue;
      }
      const [type] = opDef('concatenate').infer(group.map((v) => v.type), node.attrs, []);
      const joined = new Value(type);
      out.push({ op: 'concatenate', inputs: group, outputs: [joined], attrs: node.attrs, regions: [], loc: node.loc });
      next.push(joined);
    }
    level = next;
  }
  out.push({ ...node, inputs: level });
  return out;
}
