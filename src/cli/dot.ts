import { formatType, opDef, type Graph, type Node, type Program, type Step, type Value } from '../ir/index.ts';

/** Graphviz text: the dataflow graph (ops as boxes, values as edges) or a program's kernel plan. */

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Ops as boxes, inputs and outputs as ellipses, edges labelled with the value's type; regions as clusters. */
export function graphDot(g: Graph, inputNames: readonly string[] = [], outputNames: readonly string[] = []): string {
  const lines = [`digraph ${quote(g.name)} {`, '  rankdir=TB;', '  node [fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  let next = 0;
  const producer = new Map<Value, string>();
  const body = (graph: Graph, indent: string, names: readonly string[], isTop: boolean) => {
    graph.inputs.forEach((v, i) => {
      const id = `n${next++}`;
      producer.set(v, id);
      lines.push(`${indent}${id} [shape=ellipse, label=${quote(`${names[i] ?? `input ${i}`}\n${formatType(v.type)}`)}];`);
    });
    for (const node of graph.nodes) emitNode(node, indent);
    graph.outputs.forEach((v, i) => {
      const id = `n${next++}`;
      const label = isTop ? (outputNames[i] ?? `output ${i}`) : `yield ${i}`;
      lines.push(`${indent}${id} [shape=ellipse, style=dashed, label=${quote(label)}];`);
      lines.push(`${indent}${producer.get(v)} -> ${id} [label=${quote(formatType(v.type))}];`);
    });
  };
  const emitNode = (node: Node, indent: string) => {
    const id = `n${next++}`;
    const attrs = Object.keys(opDef(node.op).attrs as object).length ? `\n${attrText(node)}` : '';
    const loc = node.loc ? `\n@${node.loc.file.split('/').pop()}:${node.loc.line}:${node.loc.col}` : '';
    lines.push(`${indent}${id} [shape=box, label=${quote(`${node.op}${attrs}${loc}`)}];`);
    node.inputs.forEach((v) => lines.push(`${indent}${producer.get(v)} -> ${id} [label=${quote(formatType(v.type))}];`));
    node.regions.forEach((r, i) => {
      lines.push(`${indent}subgraph cluster_${id}_${i} {`, `${indent}  label=${quote(`${node.op} ${opDef(node.op).regions?.[i] ?? `region ${i}`}`)};`, `${indent}  style=dotted;`);
      body(r, indent + '  ', [], false);
      lines.push(`${indent}}`);
    });
    node.outputs.forEach((v) => producer.set(v, id));
  };
  body(g, '  ', inputNames, true);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function attrText(node: Node): string {
  const attrs = node.attrs as Record<string, unknown>;
  return Object.entries(attrs)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.length > 8 ? `${v.slice(0, 8).join(',')},…` : v.join(',')}]` : String(v)}`)
    .join(' ');
}

/** Kernels (one box per dispatch) reading and writing buffers (ellipses); loops as clusters. */
export function programDot(p: Program, name = 'program', portNames: { inputs?: readonly string[]; outputs?: readonly string[] } = {}): string {
  const lines = [`digraph ${quote(name)} {`, '  rankdir=TB;', '  node [fontname="monospace", fontsize=10];'];
  p.buffers.forEach((b) => {
    const input = p.inputs.indexOf(b.id);
    const output = p.outputs.indexOf(b.id);
    const role = input >= 0 ? (portNames.inputs?.[input] ?? `input ${input}`) : b.kind === 'const' ? 'const' : output >= 0 ? (portNames.outputs?.[output] ?? `output ${output}`) : 'temp';
    const style = input >= 0 ? 'filled' : output >= 0 ? 'bold' : 'solid';
    lines.push(`  b${b.id} [shape=ellipse, style=${style}, fillcolor=lightgrey, label=${quote(`${role}\n${formatType(b)}`)}];`);
  });
  let next = 0;
  const steps = (list: readonly Step[], indent: string) => {
    for (const s of list) {
      if (s.kind === 'dispatch') {
        const k = p.kernels[s.kernel];
        const id = `d${next++}`;
        lines.push(`${indent}${id} [shape=box, label=${quote(k.name)}];`);
        s.buffers.forEach((b, j) => lines.push(j < k.reads ? `${indent}b${b} -> ${id};` : `${indent}${id} -> b${b};`));
      } else if (s.kind === 'copy') lines.push(`${indent}b${s.from} -> b${s.to} [style=dashed, label="copy"];`);
      else {
        lines.push(`${indent}subgraph cluster_loop${next++} {`, `${indent}  label=${quote(`loop ${s.trips} times`)};`, `${indent}  style=dotted;`);
        steps(s.body, indent + '  ');
        lines.push(`${indent}}`);
      }
    }
  };
  steps(p.steps, '  ');
  lines.push('}');
  return lines.join('\n') + '\n';
}
