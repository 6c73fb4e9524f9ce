import { EXAMPLES } from '../../examples/ir-examples.ts';
import { AxonicError } from '../ir/errors.ts';
import { parseGraph, verifyGraph, type Graph, type HostTensor } from '../ir/index.ts';
import { lowerModelFile } from '../lang/compile.ts';

export interface GraphSource {
  readonly file?: string;
  /** The file's text, read by the caller. */
  readonly text?: string;
  readonly example?: string;
}

/** A graph to draw or export, with what a model file knows about it. */
export interface SourceGraph {
  readonly graph: Graph;
  /** The name of each graph input, when the source names them (a model's ports). */
  readonly inputNames?: readonly string[];
  /** The name of each graph output, when the source names them. */
  readonly outputNames?: readonly string[];
  /** The values of the inputs that are parameters (a model's initial parameters), by input position. */
  readonly params?: ReadonlyMap<number, HostTensor>;
}

/**
 * The graph a command works on: a model file's forward pass (`.axon`), a text IR file (parsed and
 * verified), or a built-in example (default mlp).
 */
export function graphFrom(source: GraphSource): SourceGraph {
  if (source.file?.endsWith('.axon')) {
    const model = lowerModelFile(source.file, { text: source.text });
    const { graph, inputs, outputs } = model.forward;
    const values = model.initialParams();
    const params = new Map<number, HostTensor>();
    let next = 0;
    inputs.forEach((p, i) => {
      if (p.kind === 'param') params.set(i, values[next++]);
    });
    return { graph, inputNames: inputs.map((p) => p.name), outputNames: outputs.map((p) => p.name), params };
  }
  if (source.text !== undefined) {
    const graph = parseGraph(source.text, source.file);
    verifyGraph(graph);
    return { graph };
  }
  const name = source.example ?? 'mlp';
  const ex = EXAMPLES[name];
  if (!ex) throw new AxonicError(`no example '${name}' (have: ${Object.keys(EXAMPLES).join(', ')})`);
  return { graph: ex.trace() };
}
