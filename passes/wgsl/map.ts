import { atCoords, coord, iadd, imul, raw, sizeOf, u32, type KernelLimits, type KExpr, type Shape } from '../../src/ir/index.ts';
import type { KernelPlan, MapAnchor } from '../kernel-plan.ts';
import { indent, stored, storedVec4, type BindingWidth } from './common.ts';
import { ExprRenderer, vectorizable, type VectorLanes } from './expr-renderer.ts';
import { aliasMap, bodyInputs, countOf, linearGrid, type KernelBody } from './kernel-body.ts';
import { coordinateLets, elementCount, SizesLayout } from './sizes.ts';

/** Invocations per workgroup of the one-dimensional kernels (map, reduce). */
export const linearWorkgroupSize = (limits: KernelLimits): number =>
  Math.min(limits.adapterKind === 'software' ? 64 : 256, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);

/**
 * Chunks each invocation computes. A software adapter (lavapipe runs a workgroup on one CPU
 * thread) pays much per invocation, so it gets many; a GPU wants many invocations. Measured on
 * lavapipe: a 2^22-element vec4 copy ran at 3.4 GB/s with one chunk per invocation and 12 GB/s
 * with four.
 */
function chunksPerInvocation(limits: KernelLimits, chunks: Shape, workgroup: number): number {
  if (limits.adapterKind !== 'software') return 1;
  const { constant, symbols } = sizeOf(chunks);
  if (symbols.length > 0) return 16;
  // Keep at least 8 workgroups, so that every CPU thread has work.
  return Math.max(1, Math.min(16, Math.floor(constant / (workgroup * 8))));
}

const QUOTIENT = raw('q', 'u32');
const LANES: VectorLanes = {
  quotient: QUOTIENT,
  lane: [0, 1, 2, 3].map((j) => iadd(imul(QUOTIENT, u32(4)), u32(j))),
};

/**
 * Whether the map can run four consecutive elements per chunk: the last axis of the output space
 * is a static multiple of 4, so the four share every other coordinate and vec4 stores align.
 */
function vectorMode(space: Shape): boolean {
  const last = space[space.length - 1];
  return space.length > 0 && typeof last === 'number' && last % 4 === 0;
}

/**
 * A map: each invocation computes a few chunks of the output space (one element, or four
 * consecutive ones as vec4 when the layout allows), strided by the workgroup size so that
 * neighbouring invocations touch neighbouring memory. Every output is stored at the chunk's
 * linear index; inputs read only at lane coordinates are bound as vec4 arrays.
 */
export function mapBody(plan: KernelPlan & { anchor: MapAnchor }, dims: readonly string[], limits: KernelLimits, prefix = ''): KernelBody {
  const wg = linearWorkgroupSize(limits);
  const sizes = new SizesLayout(dims);
  const space = plan.anchor.shape;
  const vector = vectorMode(space);
  const last = space.length - 1;
  const chunkShape = vector ? [...space.slice(0, last), (space[last] as number) / 4] : space;
  const per = chunksPerInvocation(limits, chunkShape, wg);

  // Each output's expression per lane (one lane when scalar).
  const laneRoots: KExpr[][] = plan.outputs.map((o) =>
    vector ? LANES.lane.map((l) => atCoords(o.expr, [...[...Array(last).keys()].map(coord), l])) : [o.expr],
  );
  const allRoots = laneRoots.flat();
  const widths: BindingWidth[] = plan.inputs.map((inp, i) =>
    vector && vectorizable(allRoots, i, inp.shape, LANES) ? 'vec4' : 'scalar',
  );
  const inputs = plan.inputs.map((inp, i) => ({ dtype: inp.dtype, shape: inp.shape, width: widths[i] }));
  const exprs = new ExprRenderer({
    inputs,
    sizes,
    preludes: plan.preludes,
    prefix,
    aliases: aliasMap(plan),
    lanes: vector ? LANES : undefined,
    identity: { shape: space, index: 'g' },
  });

  const inner: string[] = [...coordinateLets(chunkShape, 'g', sizes, (i) => (vector && i === last ? 'q' : `c${i}`))];
  const values = exprs.renderAll(allRoots, inner);
  let at = 0;
  plan.outputs.forEach((o, k) => {
    const mine = values.slice(at, at + laneRoots[k].length);
    at += laneRoots[k].length;
    inner.push(`${prefix}out${k}[g] = ${vector ? storedVec4(o.dtype, mine) : stored(o.dtype, mine[0])};`);
  });
  const body = [
    `let first = wid.x * ${wg * per}u + tid;`,
    `for (var chunk = 0u; chunk < ${per}u; chunk++) {`,
    `  let g = first + chunk * ${wg}u;`,
    `  if (g >= ${elementCount(chunkShape, sizes)}) { return; }`,
    ...indent(inner),
    '}',
  ];
  const width: BindingWidth = vector ? 'vec4' : 'scalar';
  return {
    prefix,
    workgroup: [wg, 1],
    barriers: false,
    grid: linearGrid(countOf(chunkShape, wg * per)),
    inputs: bodyInputs(plan, (i) => widths[i]),
    outputs: plan.outputs.map((o) => ({ dtype: o.dtype, width })),
    helpers: exprs.helpers,
    decls: [],
    body,
  };
}
