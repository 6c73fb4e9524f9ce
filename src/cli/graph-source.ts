import { EXAMPLES } from '../../examples/ir-examples.ts';
import { AxonicError } from '../ir/errors.ts';
import { parseGraph, verifyGraph, type Graph } from '../ir/index.ts';

export interface GraphSource {
  readonly file?: string;
  /** The file's text, read by the caller. */
  readonly text?: string;
  readonly example?: string;
}

/** The graph a command works on: a text IR file (parsed and verified), or a built-in example (default mlp). */
export function graphFrom(source: GraphSource): Graph {
  if (source.text !== undefined) {
    const graph = parseGraph(source.text, source.file);
    verifyGraph(graph);
    return graph;
  }
  const name = source.example ?? 'mlp';
  const ex = EXAMPLES[name];
  if (!ex) throw new AxonicError(`no example '${name}' (have: ${Object.keys(EXAMPLES).join(', ')})`);
  return ex.trace();
}
