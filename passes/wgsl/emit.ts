import {
  BYTES_PER_ELEMENT, formatType, LimitError, sizeOf,
  type KernelDecl, type KernelLimits, type Program, type Step,
} from '../../src/ir/index.ts';
import { boundInputs, formatPlan, type KernelPlan, type LoweredProgram, type PlanStep } from '../kernel-plan.ts';
import { assemble, type KernelBody } from './kernel-body.ts';
import { mapBody } from './map.ts';
import { matmulBody } from './matmul.ts';
import { reduceBody } from './reduce.ts';

/** The code of one kernel plan, by anchor kind, with names prefixed for a module of several. */
export function kernelBody(plan: KernelPlan, dims: readonly string[], limits: KernelLimits, prefix = ''): KernelBody {
  const anchor = plan.anchor;
  switch (anchor.kind) {
    case 'map':
      return mapBody({ ...plan, anchor }, dims, limits, prefix);
    case 'reduce':
      return reduceBody({ ...plan, anchor }, dims, limits, prefix);
    case 'contract':
      return matmulBody({ ...plan, anchor }, dims, limits, prefix);
  }
}

/** The WGSL and dispatch of kernel plans that run in one dispatch (usually one plan). */
export function renderKernels(plans: readonly KernelPlan[], dims: readonly string[], limits: KernelLimits): { wgsl: string; dispatch: KernelDecl['dispatch'] } {
  const bindings = plans.reduce((n, p) => n + boundInputs(p).length + p.outputs.length, 0);
  if (bindings > limits.maxStorageBuffersPerShaderStage)
    throw new LimitError(
      `kernel ${plans.map((p) => p.name).join(' | ')} needs ${bindings} storage buffers but the adapter allows ` +
        `${limits.maxStorageBuffersPerShaderStage} per shader stage; split the computation into smaller ones`,
    );
  const bodies = plans.map((p, i) => kernelBody(p, dims, limits, plans.length > 1 ? `p${i}_` : ''));
  return assemble(bodies, dims, limits);
}

/** The WGSL of one kernel plan. */
export const renderKernel = (plan: KernelPlan, dims: readonly string[], limits: KernelLimits) => renderKernels([plan], dims, limits);

/**
 * Kernel plans → the Program the runtime executes. Kernels with the same WGSL text and dispatch
 * share one entry of the kernel table, wherever they occur in the program.
 */
export function emitProgram(lowered: LoweredProgram, limits: KernelLimits): Program {
  checkBufferSizes(lowered, limits);
  const kernels: KernelDecl[] = [];
  const byText = new Map<string, number>();
  const kernelIndex = (plans: readonly KernelPlan[]): number => {
    const { wgsl, dispatch } = renderKernels(plans, lowered.dims, limits);
    // The dispatch is part of the key: WGSL need not mention every size (a batch extent).
    const key = `${JSON.stringify(dispatch)}\n${wgsl}`;
    const known = byText.get(key);
    if (known !== undefined) return known;
    const index = kernels.length;
    kernels.push({
      name: `k${index}_${plans.map((p) => p.name).join('|')}`,
      wgsl,
      entryPoint: 'main',
      reads: plans.reduce((n, p) => n + boundInputs(p).length, 0),
      writes: plans.reduce((n, p) => n + p.outputs.length, 0),
      dispatch,
      plan: plans.map((p) => formatPlan(p, { buffers: false })).join('\n'),
    });
    byText.set(key, index);
    return index;
  };
  const dispatchOf = (plans: readonly KernelPlan[]): Step => ({
    kind: 'dispatch',
    kernel: kernelIndex(plans),
    buffers: [...plans.flatMap((p) => boundInputs(p).map((i) => p.inputs[i].buffer)), ...plans.flatMap((p) => p.outputs.map((o) => o.buffer))],
  });
  const emitSteps = (steps: readonly PlanStep[]): Step[] =>
    steps.map((s): Step => {
      switch (s.kind) {
        case 'kernel':
          return dispatchOf([s.plan]);
        case 'kernels':
          return dispatchOf(s.plans);
        case 'copy':
          return s;
        case 'loop':
          return { ...s, body: emitSteps(s.body) };
      }
    });
  const steps = emitSteps(lowered.steps);
  return {
    version: 1,
    dims: lowered.dims,
    buffers: lowered.buffers,
    kernels,
    steps,
    inputs: lowered.inputs,
    outputs: lowered.outputs,
    ...(lowered.donated?.size ? { donated: [...lowered.donated].map(([output, input]) => ({ output, input })) } : {}),
  };
}

/** Buffers of known size that no kernel could bind on this adapter (symbolic ones are checked at run time). */
function checkBufferSizes(lowered: LoweredProgram, limits: KernelLimits): void {
  for (const b of lowered.buffers) {
    const { constant, symbols } = sizeOf(b.shape);
    const bytes = constant * BYTES_PER_ELEMENT;
    if (symbols.length === 0 && bytes > limits.maxStorageBufferBindingSize)
      throw new LimitError(
        `a ${formatType(b)} value needs ${bytes} bytes, more than this adapter binds in one storage buffer ` +
          `(maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}); split the computation into smaller tensors`,
      );
  }
}
