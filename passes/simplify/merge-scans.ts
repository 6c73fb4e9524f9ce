import { GraphBuilder, inlineGraph, isNodeOf, type Graph, type Node, type Value } from '../../src/ir/index.ts';
import { attrsKey } from './node-key.ts';
import { rewriteGraph, SweepStats, type Engine } from './rewriter.ts';

/**
 * Scans over the same operands whose bodies compute the same carry become one scan that stacks
 * the results of both. Reverse mode makes such pairs: the VJP of a scan runs a forward scan that
 * also stacks the carry entering each step, beside the original scan whose results the program
 * uses (or beside the loop whose VJP it is: a loop is a scan without xs and ys), and merging them
 * runs the forward pass once. Whether the carries agree is decided by
 * simplifying both bodies together over shared inputs: they agree when common-subexpression
 * elimination makes each carry output the same value. Recurses into regions.
 */
export function mergeScans(g: Graph, engine: Engine): Graph {
  let changed = false;
  const withRegions = g.nodes.map((n) => {
    const regions = n.regions.map((r) => mergeScans(r, engine));
    if (regions.every((r, i) => r === n.regions[i])) return n;
    changed = true;
    return { ...n, regions };
  });
  const replaced = new Map<Value, Value>();
  const get = (v: Value) => replaced.get(v) ?? v;
  const nodes: Node[] = [];
  const scanAt = new Map<string, number>();
  for (let n of withRegions) {
    if (replaced.size && n.inputs.some((v) => replaced.has(v))) n = { ...n, inputs: n.inputs.map(get) };
    const scan = asScan(n);
    if (scan) {
      const key = `${attrsKey('scan', scan.attrs)}(${n.inputs.map((v) => v.id).join(',')})`;
      const at = scanAt.get(key);
      const merged = at === undefined ? undefined : mergePair(asScan(nodes[at])!, scan, engine);
      if (merged) {
        nodes[at!] = merged;
        n.outputs.slice(0, merged.attrs.carried).forEach((v, i) => replaced.set(v, merged.outputs[i]));
        engine.stats.merged++;
        changed = true;
        continue;
      }
      if (at === undefined) scanAt.set(key, nodes.length);
    }
    nodes.push(n);
  }
  return changed ? { ...g, nodes, outputs: g.outputs.map(get) } : g;
}

/** A scan, or a loop as the scan it equals (no xs, no ys), so that a loop and its VJP's scan merge too. */
function asScan(n: Node): Node<'scan'> | undefined {
  if (isNodeOf(n, 'scan')) return n;
  if (!isNodeOf(n, 'loop')) return undefined;
  const { trips, carried } = n.attrs;
  return { ...n, op: 'scan', attrs: { length: trips, carried, scanned: 0, reverse: false } } as Node<'scan'>;
}

/** One scan computing both: a's carry and ys, then b's ys; undefined when their carries may differ. */
function mergePair(a: Node<'scan'>, b: Node<'scan'>, engine: Engine): Node<'scan'> | undefined {
  const { carried } = a.attrs;
  const builder = new GraphBuilder();
  const inputs = a.regions[0].inputs.map((v) => builder.input(v.type));
  const fromA = inlineGraph(builder, a.regions[0], inputs);
  const fromB = inlineGraph(builder, b.regions[0], inputs);
  const both = builder.build([...fromA.slice(0, carried), ...fromB.slice(0, carried), ...fromA.slice(carried), ...fromB.slice(carried)], a.regions[0].name);
  // A trial: what it merges or removes is not progress of the sweep unless the scans merge.
  const body = rewriteGraph(both, { rules: engine.rules, stats: new SweepStats() });
  for (let i = 0; i < carried; i++) if (body.outputs[i] !== body.outputs[carried + i]) return undefined;
  const outputs = [...body.outputs.slice(0, carried), ...body.outputs.slice(2 * carried)];
  return { ...a, outputs: [...a.outputs, ...b.outputs.slice(carried)], regions: [{ ...body, outputs }] };
}
