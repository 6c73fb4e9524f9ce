import { compileProgram } from '../../passes/compile.ts';
import { formatLowered } from '../../passes/kernel-plan.ts';
import { PASSES, PASSES_BY_NAME, runStages, type Pass, type Stage } from '../../passes/manager.ts';
import { DEFAULT_LIMITS, parseGraph, printGraph, verifyGraph, type Graph } from '../ir/index.ts';
import { EXAMPLES } from '../../examples/ir-examples.ts';
import { graphFrom } from './graph-source.ts';

export interface IrOptions {
  file?: string;
  text?: string;
  example?: string;
  list: boolean;
  passes?: string[];
  /** Run the pipeline (or `passes`) up to this pass and print its result. */
  after?: string;
  printAfterAll: boolean;
  wgsl: boolean;
  /** For .axon files: the model and the schedule (forward, backward, train_step) to print. */
  model?: string;
  schedule?: string;
  /** Print `@file:line:col` locations (default true). */
  locations?: boolean;
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');

/** `axonic ir`: prints the text IR of a file or built-in example, optionally through passes. */
export async function runIr(o: IrOptions): Promise<number> {
  if (o.list) {
    for (const [name, ex] of Object.entries(EXAMPLES)) out(`${name.padEnd(8)} ${ex.about}`);
    return 0;
  }
  let graph: Graph;
  if (o.file?.endsWith('.axon')) {
    graph = graphFrom({ file: o.file, model: o.model, schedule: o.schedule }).graph;
  } else if (o.text !== undefined) {
    graph = parseGraph(o.text, o.file);
    verifyGraph(graph);
  } else {
    const name = o.example ?? 'mlp';
    const ex = EXAMPLES[name];
    if (!ex) {
      process.stderr.write(`axonic: no example '${name}' (have: ${Object.keys(EXAMPLES).join(', ')})\n`);
      return 2;
    }
    graph = ex.trace();
  }
  let passes: Pass[] = [...PASSES];
  if (o.passes) {
    const unknown = o.passes.filter((p) => !PASSES_BY_NAME.has(p));
    if (unknown.length) {
      process.stderr.write(`axonic: unknown pass ${unknown.join(', ')} (passes: ${[...PASSES_BY_NAME.keys()].join(', ')})\n`);
      return 2;
    }
    passes = o.passes.map((p) => PASSES_BY_NAME.get(p)!);
  }
  if (o.after) {
    const stop = passes.findIndex((p) => p.name === o.after);
    if (stop < 0) {
      process.stderr.write(`axonic: --after ${o.after} names no pass of the pipeline (${passes.map((p) => p.name).join(', ')})\n`);
      return 2;
    }
    passes = passes.slice(0, stop + 1);
  }
  const print = (g: Graph) => printGraph(g, { locations: o.locations ?? true });
  if (!o.passes && !o.after && !o.printAfterAll && !o.wgsl) {
    out(print(graph));
    return 0;
  }
  if (o.wgsl && !o.passes && !o.after) {
    const program = compileProgram(graph, DEFAULT_LIMITS, { debug: 0 });
    for (const k of program.kernels) out(`// ${k.name}\n${k.wgsl}`);
    return 0;
  }
  const stage = runStages(graph, DEFAULT_LIMITS, { debug: 0 }, passes, (pass, s) => {
    if (o.printAfterAll) out(`// after ${pass.name}\n${formatStage(s, print)}`);
  });
  if (!o.printAfterAll) out(formatStage(stage, print));
  return 0;
}

function formatStage(s: Stage, print: (g: Graph) => string): string {
  if (s.kind === 'graph') return print(s.graph);
  if (s.kind === 'plan') return formatLowered(s.lowered);
  return s.program.kernels.map((k) => `// ${k.name}\n${k.wgsl}`).join('\n');
}
