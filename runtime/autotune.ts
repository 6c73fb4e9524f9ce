import { boundInputs, formatPlan, type ContractAnchor, type KernelPlan, type LoweredProgram } from '../passes/kernel-plan.ts';
import { PASSES, runStages } from '../passes/manager.ts';
import { renderKernel } from '../passes/wgsl/emit.ts';
import { TUNING_VERSION, type MatmulTuning, type TunedMatmul } from '../passes/wgsl/matmul-tuning.ts';
import { matmulCandidates, matmulShapeClass, type MatmulVariant } from '../passes/wgsl/matmul-variants.ts';
import { hostTensor, type BufferDecl, type Graph, type KernelLimits, type Program } from '../src/ir/index.ts';
import type { GpuBackend } from './device.ts';
import { Executable } from './executor.ts';
import { recordTuning, tuningFor } from './tuning-cache.ts';

/** What tuning one shape class measured: each candidate's median time, fastest first. */
export interface TuningReport {
  readonly shapeClass: string;
  readonly kernel: string;
  readonly results: readonly { readonly variant: MatmulVariant; readonly ms: number }[];
}

export interface TuneOptions {
  /** Values of the graph's symbolic dims to measure at (default 256 each). */
  readonly binding?: ReadonlyMap<string, number>;
  /** Timed runs per candidate after one warm-up (default 5; the median counts). */
  readonly reps?: number;
}

/** The adapter's limits with the matmul winners known so far (cache file and this process). */
export async function tunedLimits(backend: GpuBackend): Promise<KernelLimits> {
  return { ...backend.limits, matmulTuning: await tuningFor(backend.adapterName) };
}

/**
 * Measures the matmul variants of every contraction in `graph` whose shape class has no winner
 * yet on this adapter: each candidate kernel alone, on zero-filled operands of the graph's
 * shapes, timed on the GPU (timestamp queries where the adapter has them). The winners are
 * recorded in the tuning cache, and the limits returned carry them into compileProgram.
 */
export async function autotune(backend: GpuBackend, graph: Graph, options: TuneOptions = {}): Promise<{ limits: KernelLimits; reports: TuningReport[] }> {
  let limits = await tunedLimits(backend);
  const fuseAt = PASSES.findIndex((p) => p.name === 'fuse');
  const stage = runStages(graph, limits, { verifyEach: false, debug: 0 }, PASSES.slice(0, fuseAt + 1));
  if (stage.kind !== 'plan') throw new Error('autotune: the passes up to fuse did not produce kernel plans');
  const lowered = stage.lowered;
  const reports: TuningReport[] = [];
  const winners: Record<string, TunedMatmul> = {};
  for (const plan of contractions(lowered.steps)) {
    const anchor = plan.anchor as ContractAnchor;
    const shapeClass = matmulShapeClass(anchor);
    if (winners[shapeClass] || limits.matmulTuning?.[shapeClass]?.version === TUNING_VERSION) continue;
    const candidates = matmulCandidates(anchor, backend.limits);
    if (candidates.length < 2) continue;
    const forced = candidates.map((variant): KernelLimits => ({ ...backend.limits, matmulTuning: { [shapeClass]: { version: TUNING_VERSION, variant } } }));
    const times = await timeKernels(backend, lowered, plan, forced, options);
    const results = candidates.map((variant, i) => ({ variant, ms: times[i] })).sort((a, b) => a.ms - b.ms);
    reports.push({ shapeClass, kernel: plan.name, results });
    winners[shapeClass] = { version: TUNING_VERSION, variant: results[0].variant, ms: results[0].ms, runnerUpMs: results[1].ms };
  }
  if (Object.keys(winners).length) {
    await recordTuning(backend.adapterName, winners);
    limits = await tunedLimits(backend);
  }
  return { limits, reports };
}

/** Every contraction plan of a lowered program, loop bodies included. */
function contractions(steps: LoweredProgram['steps']): KernelPlan[] {
  const out: KernelPlan[] = [];
  for (const s of steps as readonly { kind: string; plan?: KernelPlan; plans?: readonly KernelPlan[]; body?: LoweredProgram['steps'] }[]) {
    for (const p of s.plan ? [s.plan] : (s.plans ?? [])) if (p.anchor.kind === 'contract') out.push(p);
    if (s.body) out.push(...contractions(s.body));
  }
  return out;
}

/**
 * The median time of one kernel plan rendered for each of `variants` (limits that force one
 * variant each), alone in a program of its own. Runs go round-robin over the candidates, so a
 * change in the machine's load shifts them all alike.
 */
async function timeKernels(backend: GpuBackend, lowered: LoweredProgram, plan: KernelPlan, variants: readonly KernelLimits[], options: TuneOptions): Promise<number[]> {
  const inputIds = [...new Set(boundInputs(plan).map((i) => plan.inputs[i].buffer))];
  const bindings = [...boundInputs(plan).map((i) => plan.inputs[i].buffer), ...plan.outputs.map((o) => o.buffer)];
  const declOf = (id: number): BufferDecl => {
    const d = lowered.buffers.find((b) => b.id === id);
    if (!d) throw new Error(`autotune: kernel ${plan.name} binds buffer ${id}, which the program does not declare`);
    return d;
  };
  const buffers: BufferDecl[] = [
    ...inputIds.map((id) => ({ id, dtype: declOf(id).dtype, shape: declOf(id).shape, kind: 'input' as const })),
    ...plan.outputs.map((o) => ({ id: o.buffer, dtype: declOf(o.buffer).dtype, shape: declOf(o.buffer).shape, kind: 'temp' as const })),
  ];
  const programOf = (limits: KernelLimits): Program => {
    const { wgsl, dispatch } = renderKernel(plan, lowered.dims, limits);
    return {
      version: 1,
      dims: lowered.dims,
      buffers,
      kernels: [{ name: plan.name, wgsl, entryPoint: 'main', reads: boundInputs(plan).length, writes: plan.outputs.length, dispatch, plan: formatPlan(plan, { buffers: false }) }],
      steps: [{ kind: 'dispatch', kernel: 0, buffers: bindings }],
      inputs: inputIds,
      outputs: plan.outputs.map((o) => o.buffer),
    };
  };
  const size = (d: number | string) => (typeof d === 'number' ? d : (options.binding?.get(d) ?? 256));
  const args = buffers
    .filter((b) => b.kind === 'input')
    .map((b) => {
      const shape = b.shape.map(size);
      return hostTensor(b.dtype, shape, new Array(shape.reduce((a, n) => a * n, 1)).fill(0));
    });
  const exes = await Promise.all(variants.map((limits) => Executable.create(backend, programOf(limits))));
  try {
    const timed = backend.device.features.has('timestamp-query');
    const once = async (exe: Executable): Promise<number> => {
      if (timed) return (await exe.profile(args))[0].ms;
      const start = performance.now();
      const outs = exe.run(args);
      await Promise.all(outs.map((o) => o.toHostTensor()));
      outs.forEach((o) => o.dispose());
      return performance.now() - start;
    };
    for (const exe of exes) await once(exe);
    const times = exes.map((): number[] => []);
    for (let r = 0; r < (options.reps ?? 5); r++) for (let i = 0; i < exes.length; i++) times[i].push(await once(exes[i]));
    return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
  } finally {
    for (const exe of exes) exe.dispose();
  }
}

export type { MatmulTuning };
