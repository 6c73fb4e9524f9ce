import { readFileSync } from 'node:fs';
import { compileProgram } from '../../passes/compile.ts';
import { DEFAULT_LIMITS, parseGraph, verifyGraph, type Graph } from '../ir/index.ts';
import { lowerModelFile } from '../lang/compile.ts';
import { schedulesOf } from '../lang/artifact.ts';
import { graphDot, programDot } from './dot.ts';
import { UsageError } from './values.ts';

/** A schedule of a model file, or a text IR file, as a graph with the names of its inputs and outputs. */
export function graphOf(file: string, o: { model?: string; schedule?: string }): { graph: Graph; inputs: string[]; outputs: string[] } {
  if (!file.endsWith('.axon')) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (o.schedule) throw new UsageError('--schedule applies to .axon model files; a text IR file holds one function');
    const graph = parseGraph(text, file);
    verifyGraph(graph);
    return { graph, inputs: [], outputs: [] };
  }
  const model = lowerModelFile(file, { model: o.model });
  const schedules = schedulesOf(model);
  const name = o.schedule ?? 'forward';
  const entry = schedules.find(([n]) => n === name)?.[1];
  if (!entry) throw new UsageError(`${model.name} has no schedule '${name}' (it has ${schedules.map(([n]) => n).join(', ')})`);
  return { graph: entry.graph, inputs: entry.inputs.map((p) => p.name), outputs: entry.outputs.map((p) => p.name) };
}

/** `axonic dot FILE [--plan]`: Graphviz of the graph, or of the kernel plan it compiles to. */
export async function runDot(file: string, o: { model?: string; schedule?: string; plan: boolean }): Promise<number> {
  const { graph, inputs, outputs } = graphOf(file, o);
  const text = o.plan
    ? programDot(compileProgram(graph, DEFAULT_LIMITS, { debug: 0 }), o.schedule ?? 'forward', { inputs, outputs })
    : graphDot(graph, inputs, outputs);
  process.stdout.write(text);
  return 0;
}
