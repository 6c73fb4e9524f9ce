import type { Graph, KernelLimits } from '../src/ir/index.ts';
import { fuseGraph } from './fuse/fuse.ts';
import type { LoweredProgram } from './kernel-plan.ts';

/**
 * Graph → kernel plans with one kernel per primitive and one buffer per value: the plan that
 * fused programs are checked against (tests compare the two on the same programs).
 */
export function lowerGraph(graph: Graph, limits: KernelLimits): LoweredProgram {
  return fuseGraph(graph, { fuse: false, limits });
}

export { programDims } from './program-dims.ts';
