import {
  AxonicError, printGraph, verifyGraph,
  type Graph, type KernelLimits, type Program,
} from '../src/ir/index.ts';
import { formatLowered, type LoweredProgram } from './kernel-plan.ts';
import { fuseGraph } from './fuse/fuse.ts';
import { donateInputs, planMemory } from './memory-plan.ts';
import { mergeDispatches } from './merge-dispatches.ts';
import { lowerGraph } from './lower.ts';
import { condToSelect } from './cond-to-select.ts';
import { guardWhileLoops } from './guard-while.ts';
import { inlineCustomVjp } from './inline-calls.ts';
import { simplifyGraph } from './simplify/index.ts';
import { splitWide } from './split-wide.ts';
import { emitProgram } from './wgsl/emit.ts';

/** What flows between passes: the graph IR, then kernel plans, then the program with WGSL. */
export type Stage =
  | { readonly kind: 'graph'; readonly graph: Graph }
  | { readonly kind: 'plan'; readonly lowered: LoweredProgram }
  | { readonly kind: 'program'; readonly program: Program };

export interface PassContext {
  readonly limits: KernelLimits;
  /** Input positions whose buffers outputs may overwrite (see memory-plan.ts). */
  readonly donate?: readonly number[];
  /** The dump level and where dumps go, when the caller has them (runPasses does). */
  readonly debug?: number;
  readonly log?: (text: string) => void;
}

export interface Pass {
  readonly name: string;
  readonly from: Stage['kind'];
  run(input: Stage, ctx: PassContext): Stage;
}

const graphOf = (s: Stage): Graph => {
  if (s.kind !== 'graph') throw new Error(`pass expects the graph IR, got ${s.kind}`);
  return s.graph;
};

/** One kernel per primitive instead of `fuse`: the plan fused programs are checked against. */
export const LOWER_UNFUSED: Pass = {
  name: 'lower',
  from: 'graph',
  run: (s, ctx) => ({ kind: 'plan', lowered: lowerGraph(graphOf(s), ctx.limits) }),
};

/** The compiler's passes, in the order they run. */
export const PASSES: readonly Pass[] = [
  {
    name: 'verify',
    from: 'graph',
    run: (s) => {
      verifyGraph(graphOf(s));
      return s;
    },
  },
  { name: 'inline-custom-vjp', from: 'graph', run: (s) => ({ kind: 'graph', graph: inlineCustomVjp(graphOf(s)) }) },
  { name: 'cond-to-select', from: 'graph', run: (s) => ({ kind: 'graph', graph: condToSelect(graphOf(s)) }) },
  {
    // Compilation comes after every transform, so stop_gradient has done its work.
    name: 'simplify',
    from: 'graph',
    run: (s, ctx) => {
      const trace = ctx.debug === undefined ? undefined : ctx.debug >= 4 && ctx.log ? ctx.log : false;
      return { kind: 'graph', graph: simplifyGraph(graphOf(s), { afterAutodiff: true, trace }) };
    },
  },
  { name: 'split-wide', from: 'graph', run: (s, ctx) => ({ kind: 'graph', graph: splitWide(graphOf(s), ctx.limits) }) },
  // After simplify, so that the guarded form reaches fuse as written (see guard-while.ts).
  { name: 'guard-while', from: 'graph', run: (s) => ({ kind: 'graph', graph: guardWhileLoops(graphOf(s)) }) },
  {
    // Partitions the graph into fused kernels (passes/fuse); `lower` is the one-kernel-per-primitive plan.
    name: 'fuse',
    from: 'graph',
    run: (s, ctx) => ({ kind: 'plan', lowered: fuseGraph(graphOf(s), { limits: ctx.limits }) }),
  },
  {
    name: 'donate-inputs',
    from: 'plan',
    run: (s, ctx) => {
      if (s.kind !== 'plan') throw new Error(`donate-inputs expects kernel plans, got ${s.kind}`);
      const { program, donated } = donateInputs(s.lowered, { donate: ctx.donate });
      return { kind: 'plan', lowered: { ...program, donated } };
    },
  },
  {
    name: 'merge-dispatches',
    from: 'plan',
    run: (s, ctx) => {
      if (s.kind !== 'plan') throw new Error(`merge-dispatches expects kernel plans, got ${s.kind}`);
      return { kind: 'plan', lowered: mergeDispatches(s.lowered, ctx.limits) };
    },
  },
  {
    name: 'plan-memory',
    from: 'plan',
    run: (s, ctx) => {
      if (s.kind !== 'plan') throw new Error(`plan-memory expects kernel plans, got ${s.kind}`);
      return { kind: 'plan', lowered: planMemory(s.lowered) };
    },
  },
  {
    name: 'emit-wgsl',
    from: 'plan',
    run: (s, ctx) => {
      if (s.kind !== 'plan') throw new Error(`emit-wgsl expects kernel plans, got ${s.kind}`);
      return { kind: 'program', program: emitProgram(s.lowered, ctx.limits) };
    },
  },
];

export interface CompileOptions {
  /** Run the verifier after every graph pass (default: on under vitest or AXONIC_VERIFY_EACH=1). */
  readonly verifyEach?: boolean;
  /**
   * Dump level (default: AXONIC_DEBUG): 1 a compile summary, 2 also each kernel's WGSL, 3 also the
   * kernel plan, 4 also the IR after each graph pass.
   */
  readonly debug?: number;
  /** Where dumps go (default: stderr). */
  readonly log?: (text: string) => void;
  /** Input positions the caller donates (JAX's donate_argnums): outputs may be written in place there. */
  readonly donate?: readonly number[];
}

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

function resolveOptions(o: CompileOptions): Required<CompileOptions> {
  const verifyFlag = env('AXONIC_VERIFY_EACH');
  return {
    verifyEach: o.verifyEach ?? (verifyFlag !== undefined ? verifyFlag === '1' : env('VITEST') !== undefined),
    debug: o.debug ?? (Number(env('AXONIC_DEBUG')) || 0),
    log: o.log ?? ((text) => console.error(text)),
    donate: o.donate ?? [],
  };
}

/** The text a dump shows after a pass, at the debug level that asks for it. */
function dumpAfter(pass: string, s: Stage, debug: number): string | undefined {
  if (s.kind === 'graph' && debug >= 4) return `// IR after ${pass}\n${printGraph(s.graph)}`;
  if (s.kind === 'plan' && debug >= 3) return `// kernel plan after ${pass}\n${formatLowered(s.lowered)}`;
  if (s.kind === 'program' && debug >= 2)
    return s.program.kernels.map((k) => `// WGSL of ${k.name} (after ${pass})\n${k.wgsl}`).join('\n');
  return undefined;
}

/** Every pass by name: the pipeline's, and `lower` (the unfused alternative to `fuse`). */
export const PASSES_BY_NAME: ReadonlyMap<string, Pass> = new Map([...PASSES, LOWER_UNFUSED].map((p) => [p.name, p]));

/**
 * Runs `passes` in the order given, from the graph IR to whatever stage the last one produces;
 * `after` sees each stage. Throws AxonicError when a pass gets a stage it does not take.
 */
export function runStages(
  graph: Graph,
  limits: KernelLimits,
  options: CompileOptions,
  passes: readonly Pass[],
  after?: (pass: Pass, stage: Stage) => void,
): Stage {
  const { verifyEach, debug, log, donate } = resolveOptions(options);
  let stage: Stage = { kind: 'graph', graph };
  for (const pass of passes) {
    if (pass.from !== stage.kind) throw new AxonicError(`pass ${pass.name} needs the ${pass.from} stage, but the pipeline is at ${stage.kind}`);
    stage = pass.run(stage, { limits, debug, log, donate });
    if (verifyEach && stage.kind === 'graph' && pass.name !== 'verify') verifyGraph(stage.graph);
    const dump = dumpAfter(pass.name, stage, debug);
    if (dump !== undefined) log(dump);
    after?.(pass, stage);
  }
  return stage;
}

/** Runs the passes in order on a graph and returns the compiled program. */
export function runPasses(graph: Graph, limits: KernelLimits, options: CompileOptions = {}, passes: readonly Pass[] = PASSES): Program {
  const { debug, log } = resolveOptions(options);
  const started = Date.now();
  const stage = runStages(graph, limits, options, passes);
  if (stage.kind !== 'program') throw new Error(`the pass pipeline ended with ${stage.kind}, not a program`);
  const p = stage.program;
  if (debug >= 1) {
    const counts = `${p.kernels.length} kernels, ${p.steps.length} steps, ${p.buffers.length} buffers`;
    log(`// compiled @${graph.name}: ${counts} in ${Date.now() - started} ms`);
  }
  return p;
}
