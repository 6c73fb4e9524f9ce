import { sizeOf, type KernelDecl, type KernelLimits } from '../../src/ir/index.ts';
import type { KernelPlan, MapAnchor } from '../kernel-plan.ts';
import { coordinateLets, elementCount, ExprRenderer, SizesLayout, storageBindings, storeOutput } from './common.ts';

export interface RenderedKernel {
  readonly wgsl: string;
  readonly dispatch: KernelDecl['dispatch'];
}

/** Invocations per workgroup of the one-dimensional kernels (map, reduce). */
export const linearWorkgroupSize = (limits: KernelLimits): number =>
  Math.min(256, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);

/** Flat workgroup index of a linear dispatch that the runtime may have folded into x and y. */
export const FLAT_WORKGROUP = '(wid.x + wid.y * nwg.x)';
export const LINEAR_BUILTINS =
  '@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32';

/** One invocation per output element, linear over the output, bounds-checked. */
export function renderMap(plan: KernelPlan & { anchor: MapAnchor }, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  const wg = linearWorkgroupSize(limits);
  const sizes = new SizesLayout(dims);
  const shape = plan.output.shape;
  const exprs = new ExprRenderer(plan.inputs, sizes, plan.preludes, { shape, index: 'idx' });
  const value = exprs.render(plan.anchor.expr);
  const body = [
    '_ = sizes;',
    `let idx = ${FLAT_WORKGROUP} * ${wg}u + lid;`,
    `if (idx >= ${elementCount(shape, sizes)}) { return; }`,
    ...coordinateLets(shape, 'idx', sizes, (i) => `c${i}`),
    storeOutput(plan.output.dtype, 'idx', value),
  ];
  const wgsl = [
    sizes.declaration,
    storageBindings(plan.inputs, plan.output),
    exprs.prelude,
    `@compute @workgroup_size(${wg})\nfn main(${LINEAR_BUILTINS}) {\n${body.map((l) => `  ${l}`).join('\n')}\n}`,
  ].filter((s) => s !== '');
  const { constant, symbols } = sizeOf(shape);
  return { wgsl: wgsl.join('\n\n') + '\n', dispatch: { kind: 'linear', count: { constant, symbols, divisor: wg } } };
}
