import type { KernelLimits } from '../src/ir/index.ts';
import { boundInputs, type KernelPlan, type LoweredProgram, type PlanStep } from './kernel-plan.ts';
import { compatible } from './wgsl/kernel-body.ts';
import { kernelBody } from './wgsl/emit.ts';

/**
 * Horizontal fusion (plan → plan): kernels that do not depend on each other share one dispatch,
 * each on its own range of workgroups. A training step's backward pass has several at each
 * depth (a weight gradient, a bias gradient and the next layer's cotangent all read the same
 * cotangent); GPUs pay per dispatch, and a CPU adapter runs the small ones side by side instead
 * of one after another. Kernels keep their dependency order: each dispatch holds kernels of one
 * depth (the longest chain of kernels before them), within the adapter's binding limit.
 */
export function mergeDispatches(p: LoweredProgram, limits: KernelLimits): LoweredProgram {
  return { ...p, steps: mergeSteps(p.steps, p.dims, limits) };
}

function mergeSteps(steps: readonly PlanStep[], dims: readonly string[], limits: KernelLimits): PlanStep[] {
  const out: PlanStep[] = [];
  let segment: KernelPlan[] = [];
  const flush = () => {
    out.push(...mergeSegment(segment, dims, limits));
    segment = [];
  };
  for (const s of steps) {
    if (s.kind === 'kernel') segment.push(s.plan);
    else if (s.kind === 'kernels') segment.push(...s.plans);
    else {
      // Copies and loops stay where they are; kernels are merged between them.
      flush();
      out.push(s.kind === 'loop' ? { ...s, body: mergeSteps(s.body, dims, limits) } : s);
    }
  }
  flush();
  return out;
}

const reads = (k: KernelPlan) => k.inputs.map((o) => o.buffer);
const writes = (k: KernelPlan) => k.outputs.map((o) => o.buffer);
const bindings = (k: KernelPlan) => boundInputs(k).length + k.outputs.length;

/** Whether `later` must run after `earlier`: it reads what earlier writes, or writes what earlier touches. */
function conflicts(earlier: KernelPlan, later: KernelPlan): boolean {
  const ew = writes(earlier);
  const er = reads(earlier);
  return reads(later).some((b) => ew.includes(b)) || writes(later).some((b) => ew.includes(b) || er.includes(b));
}

function mergeSegment(kernels: readonly KernelPlan[], dims: readonly string[], limits: KernelLimits): PlanStep[] {
  if (kernels.length <= 1) return kernels.map((plan) => ({ kind: 'kernel', plan }));
  const depth: number[] = [];
  kernels.forEach((k, j) => {
    let d = 0;
    for (let i = 0; i < j; i++) if (conflicts(kernels[i], k)) d = Math.max(d, depth[i] + 1);
    depth.push(d);
  });
  const shapes = kernels.map((k) => kernelBody(k, dims, limits));
  const steps: PlanStep[] = [];
  for (let d = 0; d <= Math.max(...depth); d++) {
    const level = kernels.map((_, i) => i).filter((i) => depth[i] === d);
    const groups: number[][] = [];
    for (const i of level) {
      const fits = groups.find(
        (g) =>
          g.reduce((n, j) => n + bindings(kernels[j]), 0) + bindings(kernels[i]) <= limits.maxStorageBuffersPerShaderStage &&
          compatible([...g, i].map((j) => shapes[j])),
      );
      if (fits) fits.push(i);
      else groups.push([i]);
    }
    for (const g of groups)
      steps.push(g.length === 1 ? { kind: 'kernel', plan: kernels[g[0]] } : { kind: 'kernels', plans: g.map((j) => kernels[j]) });
  }
  return steps;
}
