import { lit, sizeOf, type Dim, type KernelLimits } from '../../src/ir/index.ts';
import type { ContractAnchor, KernelPlan } from '../kernel-plan.ts';
import { coordinateLets, elementCount, ExprRenderer, SizesLayout, storageBindings, valueType } from './common.ts';
import type { RenderedKernel } from './map.ts';

/** Tile shape of the contraction kernel: each invocation computes a PER×PER block of the output. */
interface Tiling {
  readonly threads: number; // per side
  readonly per: number;
  readonly bk: number;
}

const PER_THREAD = 4;
const GRID_BUILTINS =
  '@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) tid: u32';

/** The largest tiling the adapter allows: 16×16 invocations (8×8 on small adapters), BK 16 or 8. */
export function chooseTiling(limits: KernelLimits): Tiling {
  const fits16 = limits.maxComputeWorkgroupSizeX >= 16 && limits.maxComputeWorkgroupSizeY >= 16;
  const threads = limits.maxComputeInvocationsPerWorkgroup >= 256 && fits16 ? 16 : 8;
  const tile = threads * PER_THREAD;
  const fits = (bk: number) => 2 * tile * bk * 4 <= limits.maxComputeWorkgroupStorageSize;
  return { threads, per: PER_THREAD, bk: fits(16) ? 16 : 8 };
}

/**
 * Tiled matrix product with workgroup memory: a workgroup computes a tile×tile block of one
 * batch entry, staging BK-deep slices of both operands in shared memory; loads are bounds-checked
 * so any size works. Dispatch: x over n tiles, y over m tiles, z over the batch.
 */
export function renderMatmul(plan: KernelPlan & { anchor: ContractAnchor }, dims: readonly string[], limits: KernelLimits): RenderedKernel {
  const a = plan.anchor;
  const { threads, per, bk } = chooseTiling(limits);
  const tile = threads * per;
  const invocations = threads * threads;
  const dtype = plan.output.dtype;
  const type = valueType(dtype);
  const sizes = new SizesLayout(dims);
  const exprs = new ExprRenderer(plan.inputs, sizes, plan.preludes);
  const nb = a.batch.length;
  const coordsOf = (list: readonly Dim[], from: string, first: number) =>
    coordinateLets(list, from, sizes, (i) => `c${first + i}`).map((l) => `  ${l}`);
  const lhsFn = [
    `fn lhs_at(b: u32, m: u32, k: u32) -> ${type} {`,
    ...coordsOf(a.batch, 'b', 0),
    ...coordsOf(a.m, 'm', nb),
    ...coordsOf(a.k, 'k', nb + a.m.length),
    `  return ${exprs.render(a.lhs)};`,
    '}',
  ].join('\n');
  const rhsFn = [
    `fn rhs_at(b: u32, k: u32, n: u32) -> ${type} {`,
    ...coordsOf(a.batch, 'b', 0),
    ...coordsOf(a.k, 'k', nb),
    ...coordsOf(a.n, 'n', nb + a.k.length),
    `  return ${exprs.render(a.rhs)};`,
    '}',
  ].join('\n');
  const zero = exprs.render(lit(dtype, 0));
  const body = `  _ = sizes;
  let M = ${elementCount(a.m, sizes)};
  let N = ${elementCount(a.n, sizes)};
  let K = ${elementCount(a.k, sizes)};
  let b = wid.z;
  let m0 = wid.y * ${tile}u;
  let n0 = wid.x * ${tile}u;
  var acc: array<${type}, ${per * per}>;
  for (var k0 = 0u; k0 < K; k0 += ${bk}u) {
    for (var i = 0u; i < ${(tile * bk) / invocations}u; i++) {
      let e = tid + i * ${invocations}u;
      let row = e / ${bk}u;
      let kk = e % ${bk}u;
      var v: ${type} = ${zero};
      if (m0 + row < M && k0 + kk < K) { v = lhs_at(b, m0 + row, k0 + kk); }
      tileA[kk * ${tile}u + row] = v;
    }
    for (var i = 0u; i < ${(tile * bk) / invocations}u; i++) {
      let e = tid + i * ${invocations}u;
      let kk = e / ${tile}u;
      let col = e % ${tile}u;
      var v: ${type} = ${zero};
      if (n0 + col < N && k0 + kk < K) { v = rhs_at(b, k0 + kk, n0 + col); }
      tileB[kk * ${tile}u + col] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${bk}u; kk++) {
      var av: array<${type}, ${per}>;
      var bv: array<${type}, ${per}>;
      for (var i = 0u; i < ${per}u; i++) { av[i] = tileA[kk * ${tile}u + lid.y * ${per}u + i]; }
      for (var j = 0u; j < ${per}u; j++) { bv[j] = tileB[kk * ${tile}u + lid.x * ${per}u + j]; }
      for (var i = 0u; i < ${per}u; i++) {
        for (var j = 0u; j < ${per}u; j++) { acc[i * ${per}u + j] += av[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${per}u; i++) {
    for (var j = 0u; j < ${per}u; j++) {
      let gm = m0 + lid.y * ${per}u + i;
      let gn = n0 + lid.x * ${per}u + j;
      if (gm < M && gn < N) { out[(b * M + gm) * N + gn] = acc[i * ${per}u + j]; }
    }
  }`;
  const wgsl = [
    sizes.declaration,
    storageBindings(plan.inputs, plan.output),
    `var<workgroup> tileA: array<${type}, ${tile * bk}>;\nvar<workgroup> tileB: array<${type}, ${tile * bk}>;`,
    exprs.prelude,
    lhsFn,
    rhsFn,
    `@compute @workgroup_size(${threads}, ${threads})\nfn main(${GRID_BUILTINS}) {\n${body}\n}`,
  ].filter((s) => s !== '');
  const tiles = (list: readonly Dim[], divisor: number) => ({ ...sizeOf(list), divisor });
  return {
    wgsl: wgsl.join('\n\n') + '\n',
    dispatch: { kind: 'grid', x: tiles(a.n, tile), y: tiles(a.m, tile), z: tiles(a.batch, 1) },
  };
}
