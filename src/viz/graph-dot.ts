import type { Graph, Node, Value } from '../ir/graph.ts';
import { formatAttrs } from '../ir/printer.ts';
import { opDef } from '../ir/registry.ts';
import { formatType } from '../ir/shape.ts';
import { clip, DotWriter } from './dot-text.ts';

const INPUT = { shape: 'ellipse', style: 'filled', fillcolor: '#dbeafe' } as const;
const OP = { shape: 'box', style: 'rounded,filled', fillcolor: '#f3f4f6' } as const;
const RESULT = { shape: 'ellipse', style: 'filled', fillcolor: '#dcfce7' } as const;
const REGION = { style: 'rounded,dashed', color: '#6b7280' } as const;

/**
 * A graph IR drawn for Graphviz: ops as boxes, graph inputs and results as ellipses, each value
 * an edge labelled with its name and type (%3: f32[N,10]), as the text IR numbers them. The regions
 * of loop, cond and custom_vjp are clusters, entered from their op by a dashed edge. Graph inputs
 * and results are labelled with their names where given (a model file's ports).
 */
export interface DotNames {
  /** The name of each input of the top graph (a model file's ports). */
  readonly inputNames?: readonly string[];
  readonly outputNames?: readonly string[];
}

export function graphToDot(g: Graph, options: DotNames = {}): string {
  const w = new DotWriter(g.name);
  const valueNames = new Map<Value, string>();
  const producers = new Map<Value, string>();
  let nodes = 0;

  const define = (v: Value, producer: string) => {
    valueNames.set(v, `%${valueNames.size}`);
    producers.set(v, producer);
  };
  const label = (v: Value) => `${valueNames.get(v)}: ${formatType(v.type)}`;
  const uses = (v: Value, to: string) => w.edge(producers.get(v)!, to, { label: label(v) });

  /** Draws a graph's inputs, nodes and results; returns the id of its first drawn node. */
  const body = (graph: Graph, resultLabel: string, names: DotNames = {}): string => {
    const { inputNames, outputNames } = names;
    const inputIds = graph.inputs.map((v, i) => {
      const id = `v${nodes++}`;
      define(v, id);
      w.node(id, { ...INPUT, label: inputNames?.[i] ? `${inputNames[i]}\n${label(v)}` : label(v) });
      return id;
    });
    const opIds = graph.nodes.map((n) => op(n));
    const result = `r${nodes++}`;
    w.node(result, { ...RESULT, label: resultLabel });
    graph.outputs.forEach((v, i) =>
      outputNames?.[i] ? w.edge(producers.get(v)!, result, { label: `${outputNames[i]} = ${label(v)}` }) : uses(v, result),
    );
    return inputIds[0] ?? opIds[0] ?? result;
  };

  const op = (n: Node): string => {
    const id = `n${nodes++}`;
    w.node(id, { ...OP, label: `${n.op}\n${clip(formatAttrs(n))}`.trimEnd() });
    n.inputs.forEach((v) => uses(v, id));
    // Results are numbered before region inputs, as the text IR numbers them.
    n.outputs.forEach((v) => define(v, id));
    const names = opDef(n.op).regions ?? [];
    n.regions.forEach((r, i) => {
      let entry = '';
      const cluster = w.cluster(`${n.op} ${names[i] ?? `region ${i}`}`, REGION, () => (entry = body(r, 'yield')));
      w.edge(id, entry, { style: 'dashed', lhead: cluster, arrowhead: 'odot' });
    });
    return id;
  };

  body(g, 'return', options);
  return w.text();
}
