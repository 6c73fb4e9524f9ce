import {
  BYTES_PER_ELEMENT, formatType, LimitError, sizeOf,
  type KernelDecl, type KernelLimits, type Program, type Step,
} from '../../src/ir/index.ts';
import { formatPlan, type KernelPlan, type LoweredProgram, type PlanStep } from '../kernel-plan.ts';
import { renderMap, type RenderedKernel } from './map.ts';
import { renderMatmul } from './matmul.ts';
import { renderReduce } from './reduce.ts';

/** The WGSL of one kernel plan, by anchor kind. */
export function renderKernel(plan: KernelPlan, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  const bindings = plan.inputs.length + plan.outputs.length;
  if (bindings > limits.maxStorageBuffersPerShaderStage)
    throw new LimitError(
      `kernel ${plan.name} needs ${bindings} storage buffers but the adapter allows ` +
        `${limits.maxStorageBuffersPerShaderStage} per shader stage; split the computation into smaller ones`,
    );
  const anchor = plan.anchor;
  switch (anchor.kind) {
    case 'map':
      return renderMap({ ...plan, anchor }, dims, limits);
    case 'reduce':
      return renderReduce({ ...plan, anchor }, dims, limits);
    case 'contract':
      return renderMatmul({ ...plan, anchor }, dims, limits);
  }
}

/**
 * Kernel plans → the Program the runtime executes. Kernels with the same WGSL text and dispatch
 * share one entry of the kernel table, wherever they occur in the program.
 */
export function emitProgram(lowered: LoweredProgram, limits: KernelLimits): Program {
  checkBufferSizes(lowered, limits);
  const kernels: KernelDecl[] = [];
  const byText = new Map<string, number>();
  const kernelIndex = (plan: KernelPlan): number => {
    const { wgsl, dispatch } = renderKernel(plan, lowered.dims, limits);
    // The dispatch is part of the key: WGSL need not mention every size (a batch extent).
    const key = `${JSON.stringify(dispatch)}\n${wgsl}`;
    const known = byText.get(key);
    if (known !== undefined) return known;
    const index = kernels.length;
    kernels.push({
      name: `k${index}_${plan.name}`,
      wgsl,
      entryPoint: 'main',
      reads: plan.inputs.length,
      writes: plan.outputs.length,
      dispatch,
      plan: formatPlan(plan, { buffers: false }),
    });
    byText.set(key, index);
    return index;
  };
  const emitSteps = (steps: readonly PlanStep[]): Step[] =>
    steps.map((s): Step => {
      switch (s.kind) {
        case 'kernel':
          return {
            kind: 'dispatch',
            kernel: kernelIndex(s.plan),
            buffers: [...s.plan.inputs.map((o) => o.buffer), ...s.plan.outputs.map((o) => o.buffer)],
          };
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
