import { lit, opDef, sizeOf, type KernelLimits } from '../../src/ir/index.ts';
import type { KernelPlan, ReduceAnchor } from '../kernel-plan.ts';
import { coordinateLets, elementCount, ExprRenderer, SizesLayout, storageBindings, valueType } from './common.ts';
import { FLAT_WORKGROUP, LINEAR_BUILTINS, linearWorkgroupSize, type RenderedKernel } from './map.ts';

const floorPow2 = (n: number): number => 2 ** Math.floor(Math.log2(n));

/**
 * Reductions over at most this many elements (known at compile time) run one invocation per
 * output: on lavapipe, summing [70000, 3] over its last axis took ~1 s with a workgroup per
 * output and a few ms this way.
 */
export const SERIAL_REDUCE_MAX_EXTENT = 32;

type ReducePlan = KernelPlan & { anchor: ReduceAnchor };

/** The reduced extent when it is a compile-time constant. */
function constantExtent(a: ReduceAnchor): number | undefined {
  let n = 1;
  for (const ax of a.axes) {
    const d = a.inShape[ax];
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function renderReduce(plan: ReducePlan, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  const extent = constantExtent(plan.anchor);
  return extent !== undefined && extent <= SERIAL_REDUCE_MAX_EXTENT
    ? renderSerialReduce(plan, dims, limits)
    : renderTreeReduce(plan, dims, limits);
}

/** What both reduction kernels share: coordinates, the combiner, the expression and identity. */
function reduceParts(plan: ReducePlan, dims: readonly string[]) {
  const a = plan.anchor;
  const rule = opDef(a.op).kernel;
  if (rule.kind !== 'reduce') throw new Error(`wgsl: ${a.op} is not a reduction`);
  const dtype = plan.output.dtype;
  const sizes = new SizesLayout(dims);
  const exprs = new ExprRenderer(plan.inputs, sizes, plan.preludes);
  const kept = a.inShape.map((_, ax) => ax).filter((ax) => !a.axes.includes(ax));
  const keptShape = kept.map((ax) => a.inShape[ax]);
  const reducedShape = a.axes.map((ax) => a.inShape[ax]);
  return {
    type: valueType(dtype),
    sizes,
    exprs,
    keptShape,
    combine: (x: string, y: string) => exprs.combine(a.op, x, y, dtype),
    value: exprs.render(a.expr),
    identity: exprs.render(lit(dtype, rule.identity(dtype))),
    keptLets: (from: string) => coordinateLets(keptShape, from, sizes, (i) => `c${kept[i]}`),
    reducedLets: (from: string) => coordinateLets(reducedShape, from, sizes, (i) => `c${a.axes[i]}`),
    outputCount: elementCount(keptShape, sizes),
    reducedCount: elementCount(reducedShape, sizes),
  };
}

const indent = (lines: string[], pad: string) => lines.map((l) => pad + l);

/** One invocation per output element, looping over the (few) reduced elements. */
function renderSerialReduce(plan: ReducePlan, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  const wg = linearWorkgroupSize(limits);
  const p = reduceParts(plan, dims);
  const body = [
    '_ = sizes;',
    `let o = ${FLAT_WORKGROUP} * ${wg}u + lid;`,
    `if (o >= ${p.outputCount}) { return; }`,
    ...p.keptLets('o'),
    `var acc: ${p.type} = ${p.identity};`,
    `for (var r = 0u; r < ${p.reducedCount}; r++) {`,
    ...indent(p.reducedLets('r'), '  '),
    `  acc = ${p.combine('acc', p.value)};`,
    '}',
    'out[o] = acc;',
  ];
  const wgsl = [
    p.sizes.declaration,
    storageBindings(plan.inputs, plan.output),
    p.exprs.prelude,
    `@compute @workgroup_size(${wg})\nfn main(${LINEAR_BUILTINS}) {\n${indent(body, '  ').join('\n')}\n}`,
  ].filter((s) => s !== '');
  const { constant, symbols } = sizeOf(p.keptShape);
  return { wgsl: wgsl.join('\n\n') + '\n', dispatch: { kind: 'linear', count: { constant, symbols, divisor: wg } } };
}

/**
 * One workgroup per output element: its invocations stride over the reduced elements, then
 * combine their partial results in a shared-memory tree. The reduced extent may be symbolic.
 */
function renderTreeReduce(plan: ReducePlan, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  // The tree halves the active invocations each round, so the workgroup is a power of two that
  // also fits in workgroup memory.
  const wg = floorPow2(Math.min(linearWorkgroupSize(limits), limits.maxComputeWorkgroupStorageSize / 4));
  const p = reduceParts(plan, dims);
  const body = [
    '_ = sizes;',
    `let o = ${FLAT_WORKGROUP};`,
    `if (o >= ${p.outputCount}) { return; }`,
    ...p.keptLets('o'),
    `var acc: ${p.type} = ${p.identity};`,
    `for (var r = lid; r < ${p.reducedCount}; r += ${wg}u) {`,
    ...indent(p.reducedLets('r'), '  '),
    `  acc = ${p.combine('acc', p.value)};`,
    '}',
    'partial[lid] = acc;',
    'workgroupBarrier();',
    `for (var s = ${wg / 2}u; s > 0u; s = s >> 1u) {`,
    `  if (lid < s) { partial[lid] = ${p.combine('partial[lid]', 'partial[lid + s]')}; }`,
    '  workgroupBarrier();',
    '}',
    `if (lid == 0u) { out[o] = partial[0]; }`,
  ];
  const wgsl = [
    p.sizes.declaration,
    storageBindings(plan.inputs, plan.output),
    `var<workgroup> partial: array<${p.type}, ${wg}>;`,
    p.exprs.prelude,
    `@compute @workgroup_size(${wg})\nfn main(${LINEAR_BUILTINS}) {\n${indent(body, '  ').join('\n')}\n}`,
  ].filter((s) => s !== '');
  const { constant, symbols } = sizeOf(p.keptShape);
  return { wgsl: wgsl.join('\n\n') + '\n', dispatch: { kind: 'linear', count: { constant, symbols, divisor: 1 } } };
}
