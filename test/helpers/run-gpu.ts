import { compileProgram } from '../../passes/compile.ts';
import { Executable } from '../../runtime/index.ts';
import type { Graph, HostTensor, KernelLimits } from '../../src/ir/index.ts';
import { gpuBackend } from './gpu.ts';

/**
 * Compiles a graph (for the device's limits unless `limits` says otherwise, with the verifier
 * after every pass), runs it once on WebGPU and reads every output back.
 */
export async function runOnGpu(graph: Graph, inputs: readonly HostTensor[], limits?: KernelLimits): Promise<HostTensor[]> {
  const backend = await gpuBackend();
  const program = compileProgram(graph, limits ?? backend.limits, { verifyEach: true });
  const exe = await Executable.create(backend, program);
  try {
    const outputs = exe.run(inputs);
    return await Promise.all(outputs.map((o) => o.toHostTensor()));
  } finally {
    exe.dispose();
  }
}
