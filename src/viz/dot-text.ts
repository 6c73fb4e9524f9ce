/** Small pieces of Graphviz's DOT language shared by the graph and kernel-plan drawings. */

/** A DOT string literal: quotes and backslashes escaped, line breaks as centred lines. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Long attribute lists (a constant's values) cut to a readable label. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type DotAttrs = Readonly<Record<string, string | number>>;

export function attrList(attrs: DotAttrs): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${typeof v === 'number' ? v : quote(v)}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

/** The lines of a DOT file being written, with indentation for clusters. */
export class DotWriter {
  private readonly lines: string[] = [];
  /**
   * Edges go after every node and cluster, at the top level: an edge written inside a cluster
   * would pull both its ends into that cluster.
   */
  private readonly edges: string[] = [];
  private depth = 1;
  private clusters = 0;

  constructor(private readonly name: string) {}

  node(id: string, attrs: DotAttrs): void {
    this.lines.push(`${'  '.repeat(this.depth)}${id}${attrList(attrs)};`);
  }

  edge(from: string, to: string, attrs: DotAttrs = {}): void {
    this.edges.push(`  ${from} -> ${to}${attrList(attrs)};`);
  }

  /** Writes `body` inside a cluster (a box Graphviz draws around its nodes); returns the cluster's id. */
  cluster(label: string, style: DotAttrs, body: () => void): string {
    const id = `cluster_${this.clusters++}`;
    const pad = '  '.repeat(this.depth);
    this.lines.push(`${pad}subgraph ${id} {`);
    this.lines.push(`${pad}  label=${quote(label)};${Object.entries(style).map(([k, v]) => ` ${k}=${quote(String(v))};`).join('')}`);
    this.depth++;
    body();
    this.depth--;
    this.lines.push(`${pad}}`);
    return id;
  }

  text(): string {
    const head = [
      `digraph ${quote(this.name)} {`,
      '  compound=true;',
      '  fontname="Helvetica"; fontsize=11;',
      '  node [fontname="Helvetica", fontsize=10];',
      '  edge [fontname="Helvetica", fontsize=9];',
    ];
    return [...head, ...this.lines, ...this.edges, '}', ''].join('\n');
  }
}
