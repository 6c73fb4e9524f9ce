import { formatLoc } from './errors.ts';
import type { Graph, Node, Value } from './graph.ts';
import type { AttrValue } from './op-attrs.ts';
import { opDef } from './registry.ts';
import { formatType } from './shape.ts';

/** Prints a number so that parsing it gives the same float64 back. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export function formatAttr(v: AttrValue): string {
  if (Array.isArray(v)) return `[${v.map(formatAttr).join(',')}]`;
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

/** Prints a node's attributes in registry-schema order, or '' when it has none. */
export function formatAttrs(node: Node): string {
  const schema = opDef(node.op).attrs as Record<string, unknown>;
  const attrs = node.attrs as Record<string, AttrValue>;
  const keys = Object.keys(schema);
  return keys.length ? `[${keys.map((k) => `${k}=${formatAttr(attrs[k])}`).join(', ')}]` : '';
}

export interface PrintOptions {
  /** Print each node's source location (default true); false gives text that only the computation decides. */
  readonly locations?: boolean;
}

/**
 * The text IR: one SSA line per node, types inline, attributes in brackets, regions as nested
 * blocks, an optional trailing `@file:line:col`. Values are numbered in order of definition, so
 * `print(parse(t)) === t` for printed text.
 */
export function printGraph(g: Graph, options: PrintOptions = {}): string {
  const withLocations = options.locations ?? true;
  const names = new Map<Value, string>();
  const name = (v: Value): string => {
    const n = names.get(v);
    if (n === undefined) throw new Error(`printGraph: value ${v.id} used before definition`);
    return n;
  };
  const define = (v: Value): string => {
    const n = `%${names.size}`;
    names.set(v, n);
    return n;
  };
  const params = (vs: readonly Value[]) => vs.map((v) => `${define(v)}: ${formatType(v.type)}`).join(', ');
  const lines: string[] = [];

  const printBody = (graph: Graph, indent: string, terminator: string) => {
    for (const node of graph.nodes) printNode(node, indent);
    lines.push(`${indent}${terminator}${graph.outputs.length ? ' ' + graph.outputs.map(name).join(', ') : ''}`);
  };

  const printNode = (node: Node, indent: string) => {
    const operands = node.inputs.map(name).join(', ');
    const results = node.outputs.map((v) => `${define(v)}: ${formatType(v.type)}`).join(', ');
    const loc = node.loc && withLocations ? ` @${formatLoc(node.loc)}` : '';
    let head = `${indent}${results} = ${node.op}${formatAttrs(node)}${operands ? ' ' + operands : ''}`;
    const regionNames = opDef(node.op).regions ?? [];
    if (node.regions.length === 0) {
      lines.push(head + loc);
      return;
    }
    node.regions.forEach((r, i) => {
      lines.push(`${head} ${regionNames[i] ?? `region${i}`}(${params(r.inputs)}) {`);
      printBody(r, indent + '  ', 'yield');
      head = `${indent}}`;
    });
    lines.push(`${indent}}${loc}`);
  };

  const header = `func @${g.name}(${params(g.inputs)}) -> (${g.outputs.map((v) => formatType(v.type)).join(', ')}) {`;
  lines.push(header);
  printBody(g, '  ', 'return');
  lines.push('}');
  return lines.join('\n') + '\n';
}
