import { readFileSync } from 'node:fs';
import { EXAMPLES } from '../../examples/ir-examples.ts';
import { parseGraph, verifyGraph, type Graph, type HostTensor } from '../ir/index.ts';
import { schedulesOf } from '../lang/artifact.ts';
import { lowerModelFile } from '../lang/compile.ts';
import { UsageError } from './values.ts';

export interface GraphSource {
  /** A .axon model file or a .ir text IR file. */
  readonly file?: string;
  /** A built-in example (axonic ir --list), when no file is given (default mlp). */
  readonly example?: string;
  /** The model of a .axon file that declares several. */
  readonly model?: string;
  /** The schedule of a .axon model: forward (default), backward or train_step. */
  readonly schedule?: string;
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

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** A schedule of a model file (its parameters with their initial values), a text IR file, or a built-in example. */
export function graphFrom(source: GraphSource): SourceGraph {
  const { file } = source;
  if (file?.endsWith('.axon')) {
    const model = lowerModelFile(file, { model: source.model });
    const schedules = schedulesOf(model);
    const name = source.schedule ?? 'forward';
    const entry = schedules.find(([n]) => n === name)?.[1];
    if (!entry) throw new UsageError(`${model.name} has no schedule '${name}' (it has ${schedules.map(([n]) => n).join(', ')})`);
    const initial = model.initialParams();
    const byName = new Map(model.params.map((p, i) => [p.name, initial[i]]));
    const params = new Map<number, HostTensor>();
    entry.inputs.forEach((p, i) => {
      const value = p.kind === 'param' ? byName.get(p.name) : undefined;
      if (value) params.set(i, value);
    });
    return { graph: entry.graph, inputNames: entry.inputs.map((p) => p.name), outputNames: entry.outputs.map((p) => p.name), params };
  }
  if (source.schedule) throw new UsageError('--schedule applies to .axon model files; a text IR file holds one function');
  if (file) {
    const graph = parseGraph(readText(file), file);
    verifyGraph(graph);
    return { graph };
  }
  const name = source.example ?? 'mlp';
  const ex = EXAMPLES[name];
  if (!ex) throw new UsageError(`no example '${name}' (have: ${Object.keys(EXAMPLES).join(', ')})`);
  return { graph: ex.trace() };
}
