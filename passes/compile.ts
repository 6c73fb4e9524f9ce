import { DEFAULT_LIMITS, type Graph, type KernelLimits, type Program } from '../src/ir/index.ts';
import { runPasses, type CompileOptions } from './manager.ts';

/**
 * Compiles a graph to a Program (kernels in WGSL, buffers and steps) for an adapter with these
 * limits. One WGSL text serves every binding of the graph's symbolic dims.
 */
export function compileProgram(graph: Graph, limits: KernelLimits = DEFAULT_LIMITS, options: CompileOptions = {}): Program {
  return runPasses(graph, limits, options);
}
