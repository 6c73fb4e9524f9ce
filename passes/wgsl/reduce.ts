import { atCoords, coord, lit, raw, sizeOf, withAcc, type KernelLimits, type KExpr, type Shape } from '../../src/ir/index.ts';
import { outputSpace, type KernelPlan, type ReduceAnchor } from '../kernel-plan.ts';
import { indent, stored, valueType } from './common.ts';
import { ExprRenderer } from './expr-renderer.ts';
import { aliasMap, bodyInputs, countOf, linearGrid, type KernelBody } from './kernel-body.ts';
import { linearWorkgroupSize } from './map.ts';
import { coordinateLets, elementCount, SizesLayout } from './sizes.ts';

const floorPow2 = (n: number): number => 2 ** Math.floor(Math.log2(n));

type ReducePlan = KernelPlan & { anchor: ReduceAnchor };

const staticCount = (shape: Shape): number | undefined => {
  const { constant, symbols } = sizeOf(shape);
  return symbols.length ? undefined : constant;
};

/**
 * One invocation per output, or one workgroup per output. A workgroup per output pays for its
 * barriers and its idle invocations; it wins only for long rows and few outputs (measured on
 * lavapipe: summing [70000, 3] over its last axis took ~1 s with a workgroup per output and a
 * few ms with an invocation per output).
 */
export function reduceStrategy(a: ReduceAnchor, limits: KernelLimits): 'serial' | 'tree' {
  const extent = staticCount(a.axes.map((ax) => a.inShape[ax]));
  const outputs = staticCount(outputSpace(a));
  if (extent !== undefined && extent <= 32) return 'serial';
  const manyOutputs = outputs === undefined || outputs >= (limits.adapterKind === 'software' ? 64 : 4096);
  const longRows = extent === undefined || extent >= (limits.adapterKind === 'software' ? 4096 : 1024);
  return manyOutputs && !longRows ? 'serial' : 'tree';
}

export function reduceBody(plan: ReducePlan, dims: readonly string[], limits: KernelLimits, prefix = ''): KernelBody {
  return reduceStrategy(plan.anchor, limits) === 'serial' ? serialBody(plan, dims, limits, prefix) : treeBody(plan, dims, limits, prefix);
}

/** What both reduction kernels share: coordinates, the combiner, the expression and the epilogues. */
function reduceParts(plan: ReducePlan, dims: readonly string[], prefix: string) {
  const a = plan.anchor;
  const sizes = new SizesLayout(dims);
  const inputs = plan.inputs.map((o) => ({ ...o, width: 'scalar' as const }));
  const exprs = new ExprRenderer({ inputs, sizes, preludes: plan.preludes, prefix, aliases: aliasMap(plan) });
  const kept = a.inShape.map((_, ax) => ax).filter((ax) => !a.axes.includes(ax));
  const keptShape = kept.map((ax) => a.inShape[ax]);
  const reducedShape = a.axes.map((ax) => a.inShape[ax]);
  /** Output-space coordinate t is input coordinate kept[t]. */
  const keptCoords: KExpr[] = kept.map((ax) => coord(ax));
  return {
    type: valueType(a.dtype),
    sizes,
    exprs,
    keptShape,
    combine: (x: string, y: string) => exprs.combine(a.combiner, x, y, a.dtype),
    identity: exprs.renderInline(lit(a.dtype, a.identity)),
    keptLets: (from: string) => coordinateLets(keptShape, from, sizes, (i) => `c${kept[i]}`),
    reducedLets: (from: string) => coordinateLets(reducedShape, from, sizes, (i) => `c${a.axes[i]}`),
    outputCount: elementCount(keptShape, sizes),
    reducedCount: elementCount(reducedShape, sizes),
    /** Statements computing the value at the current point and combining it into `acc`. */
    accumulate(lines: string[], value: (v: string) => string): void {
      const inner: string[] = [];
      const [v] = exprs.renderAll([a.expr], inner);
      lines.push(...indent(inner), `  acc = ${value(v)};`);
    },
    /** Statements storing every output at flat output index `o` from the variable `accName`. */
    store(lines: string[], accName: string, o: string): void {
      const roots = plan.outputs.map((out) => atCoords(withAcc(out.expr, raw(accName, a.dtype)), keptCoords));
      const values = exprs.renderAll(roots, lines);
      plan.outputs.forEach((out, k) => lines.push(`${prefix}out${k}[${o}] = ${stored(out.dtype, values[k])};`));
    },
  };
}

const bodyOf = (plan: ReducePlan, prefix: string, p: ReturnType<typeof reduceParts>, rest: Omit<KernelBody, 'prefix' | 'inputs' | 'outputs' | 'helpers'>): KernelBody => ({
  prefix,
  inputs: bodyInputs(plan, () => 'scalar'),
  outputs: plan.outputs.map((o) => ({ dtype: o.dtype, width: 'scalar' })),
  helpers: p.exprs.helpers,
  ...rest,
});

/** One invocation per output element, looping over its reduced elements. */
function serialBody(plan: ReducePlan, dims: readonly string[], limits: KernelLimits, prefix: string): KernelBody {
  const wg = linearWorkgroupSize(limits);
  const p = reduceParts(plan, dims, prefix);
  const loop: string[] = [`for (var r = 0u; r < ${p.reducedCount}; r++) {`, ...indent(p.reducedLets('r'))];
  p.accumulate(loop, (v) => p.combine('acc', v));
  loop.push('}');
  const body = [`let o = wid.x * ${wg}u + tid;`, `if (o >= ${p.outputCount}) { return; }`, ...p.keptLets('o')];
  body.push(`var acc: ${p.type} = ${p.identity};`, ...loop);
  p.store(body, 'acc', 'o');
  return bodyOf(plan, prefix, p, { workgroup: [wg, 1], barriers: false, grid: linearGrid(countOf(p.keptShape, wg)), decls: [], body });
}

/**
 * One workgroup per output element: its invocations stride over the reduced elements, then
 * combine their partial results in a shared-memory tree. The reduced extent may be symbolic.
 */
function treeBody(plan: ReducePlan, dims: readonly string[], limits: KernelLimits, prefix: string): KernelBody {
  // The tree halves the active invocations each round, so the workgroup is a power of two that
  // also fits in workgroup memory.
  const wg = floorPow2(Math.min(linearWorkgroupSize(limits) * (limits.adapterKind === 'software' ? 4 : 1), 256, limits.maxComputeWorkgroupStorageSize / 4));
  const p = reduceParts(plan, dims, prefix);
  const partial = `${prefix}partial`;
  const loop: string[] = [`for (var r = tid; r < ${p.reducedCount}; r += ${wg}u) {`, ...indent(p.reducedLets('r'))];
  p.accumulate(loop, (v) => p.combine('acc', v));
  loop.push('}');
  const tail: string[] = [];
  p.store(tail, `${partial}[0]`, 'o');
  const subgroups = limits.subgroups === true && ['f32', 'i32', 'u32'].includes(p.type);
  // The bounds check returns whole workgroups only (o is the same for all of a workgroup), so the
  // barriers stay in uniform control flow.
  const head = ['let o = wid.x;', `if (o >= ${p.outputCount}) { return; }`, ...p.keptLets('o'), `var acc: ${p.type} = ${p.identity};`, ...loop];
  if (subgroups) {
    // A butterfly within each subgroup (with the kernel's own combiner, so NaN and signed zeros
    // behave as everywhere else), then one invocation combines the subgroups' results in order.
    const body = [
      ...head,
      'for (var d = 1u; d < sg_size; d = d << 1u) {',
      `  acc = ${p.combine('acc', 'subgroupShuffleXor(acc, d)')};`,
      '}',
      `if (sg_lane == 0u) { ${partial}[sg_id] = acc; }`,
      'workgroupBarrier();',
      'if (tid == 0u) {',
      `  var total = ${partial}[0];`,
      `  for (var g = 1u; g < sg_count; g++) { total = ${p.combine('total', `${partial}[g]`)}; }`,
      `  ${partial}[0] = total;`,
      ...indent(tail),
      '}',
    ];
    return bodyOf(plan, prefix, p, {
      workgroup: [wg, 1],
      barriers: true,
      grid: linearGrid(countOf(p.keptShape, 1)),
      decls: [`var<workgroup> ${partial}: array<${p.type}, ${wg}>;`],
      body,
      subgroups: true,
    });
  }
  const body = [
    ...head,
    `${partial}[tid] = acc;`,
    'workgroupBarrier();',
    `for (var s = ${wg / 2}u; s > 0u; s = s >> 1u) {`,
    `  if (tid < s) { ${partial}[tid] = ${p.combine(`${partial}[tid]`, `${partial}[tid + s]`)}; }`,
    '  workgroupBarrier();',
    '}',
    'if (tid == 0u) {',
    ...indent(tail),
    '}',
  ];
  return bodyOf(plan, prefix, p, {
    workgroup: [wg, 1],
    barriers: true,
    grid: linearGrid(countOf(p.keptShape, 1)),
    decls: [`var<workgroup> ${partial}: array<${p.type}, ${wg}>;`],
    body,
  });
}
