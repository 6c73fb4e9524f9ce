import { compileProgram } from '../../passes/compile.ts';
import { formatLowered } from '../../passes/kernel-plan.ts';
import { PASSES, type Stage } from '../../passes/manager.ts';
import { DEFAULT_LIMITS, parseGraph, printGraph, verifyGraph, type Graph } from '../ir/index.ts';
import { EXAMPLES } from '../../examples/ir-examples.ts';

export interface IrOptions {
  file?: string;
  text?: string;
  example?: string;
  list: boolean;
  passes?: string[];
  printAfterAll: boolean;
  wgsl: boolean;
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');

/** `axonic ir`: prints the text IR of a file or built-in example, optionally through passes. */
export async function runIr(o: IrOptions): Promise<number> {
  if (o.list) {
    for (const [name, ex] of Object.entries(EXAMPLES)) out(`${name.padEnd(8)} ${ex.about}`);
    return 0;
  }
  let graph: Graph;
  if (o.text !== undefined) {
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
  if (o.passes) {
    const known = PASSES.map((p) => p.name);
    const unknown = o.passes.filter((p) => !known.includes(p));
    if (unknown.length) {
      process.stderr.write(`axonic: unknown pass ${unknown.join(', ')} (passes: ${known.join(', ')})\n`);
      return 2;
    }
  }
  if (!o.passes && !o.printAfterAll && !o.wgsl) {
    out(printGraph(graph));
    return 0;
  }
  if (o.wgsl) {
    const program = compileProgram(graph, DEFAULT_LIMITS, { debug: 0 });
    for (const k of program.kernels) out(`// ${k.name}\n${k.wgsl}`);
    return 0;
  }
  // Run the chosen passes stage by stage, so that a pipeline may stop at any stage.
  const chosen = o.passes ? PASSES.filter((p) => o.passes!.includes(p.name)) : PASSES;
  let stage: Stage = { kind: 'graph', graph };
  for (const pass of chosen) {
    if (pass.from !== stage.kind) {
      process.stderr.write(`axonic: pass ${pass.name} needs the ${pass.from} stage, the pipeline is at ${stage.kind}\n`);
      return 2;
    }
    stage = pass.run(stage, { limits: DEFAULT_LIMITS });
    if (o.printAfterAll) out(`// after ${pass.name}\n${formatStage(stage)}`);
  }
  if (!o.printAfterAll) out(formatStage(stage));
  return 0;
}

function formatStage(s: Stage): string {
  if (s.kind === 'graph') return printGraph(s.graph);
  if (s.kind === 'plan') return formatLowered(s.lowered);
  return s.program.kernels.map((k) => `// ${k.name}\n${k.wgsl}`).join('\n');
}
