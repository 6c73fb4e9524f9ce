import { coord, exprKey, sizeOf, visitExpr, type Dim, type KernelLimits, type KExpr } from '../../src/ir/index.ts';
import type { ContractAnchor } from '../kernel-plan.ts';

/**
 * The contraction kernels the renderer can emit. `lanes`: each invocation a rows×4 block,
 * vectorised across lanes (fast where lanes are SIMD on a CPU). `tiled`: shared-memory tiles
 * with a per×per block per invocation (the classic GPU kernel).
 */
export type MatmulVariant =
  | {
      readonly kind: 'lanes';
      readonly laneAxis: 'm' | 'n';
      /** Outputs along the other axis per invocation. */
      readonly rows: number;
      /** vec4s along the lane axis per invocation. */
      readonly vecs: number;
      readonly workgroup: number;
      /** Four k per iteration, the row operand read as vec4 along k (where k's last dim allows). */
      readonly kVector: boolean;
    }
  | {
      readonly kind: 'dot';
      /** Outputs along m per invocation. */
      readonly rows: number;
      /** Outputs along n per invocation (invocations are along n). */
      readonly cols: number;
      readonly workgroup: number;
    }
  | { readonly kind: 'tiled'; readonly threads: number; readonly per: number; readonly bk: number };

const extent = (dims: readonly Dim[], symbolic: number): number => {
  const { constant, symbols } = sizeOf(dims);
  return constant * symbolic ** symbols.length;
};

const nextPow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** AXONIC_MATMUL_ROWS / _VECS / _COLS / _WORKGROUP / _KVECTOR / _DOT: for measuring variants (bench/tune), never needed for correctness. */
function override(name: 'rows' | 'vecs' | 'cols' | 'workgroup' | 'kvector' | 'dot'): number | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = Number(env?.[`AXONIC_MATMUL_${name.toUpperCase()}`]);
  return Number.isInteger(v) && v >= 0 && env?.[`AXONIC_MATMUL_${name.toUpperCase()}`] !== undefined ? v : undefined;
}

/** The largest tiling the adapter allows: 16×16 invocations (8×8 on small adapters), BK 16 or 8. */
export function tiledVariant(limits: KernelLimits): MatmulVariant {
  const fits16 = limits.maxComputeWorkgroupSizeX >= 16 && limits.maxComputeWorkgroupSizeY >= 16;
  const threads = limits.maxComputeInvocationsPerWorkgroup >= 256 && fits16 ? 16 : 8;
  const per = 4;
  const tile = threads * per;
  const fits = (bk: number) => 2 * tile * bk * 4 <= limits.maxComputeWorkgroupStorageSize;
  return { kind: 'tiled', threads, per, bk: fits(16) ? 16 : 8 };
}

/**
 * Lanes along n, unless the result is tall and narrow (then along m, so that lanes are not
 * idle); as many lanes per workgroup as the lane axis fills, up to 64.
 */
export function lanesVariant(a: ContractAnchor, limits: KernelLimits): MatmulVariant {
  // A symbolic dim (a batch) counts as large.
  const m = extent(a.m, 256);
  const n = extent(a.n, 256);
  const laneAxis = n >= 32 || n >= m ? 'n' : 'm';
  const laneExtent = laneAxis === 'n' ? n : m;
  const vecs = override('vecs') ?? (laneExtent >= 64 ? 2 : 1);
  const rows = override('rows') ?? (vecs === 2 ? 4 : 8);
  const workgroup = Math.min(
    override('workgroup') ?? 64,
    limits.maxComputeInvocationsPerWorkgroup,
    limits.maxComputeWorkgroupSizeX,
    nextPow2(Math.ceil(laneExtent / (4 * vecs))),
  );
  const kVector = (override('kvector') ?? 1) === 1;
  return { kind: 'lanes', laneAxis, rows, vecs, workgroup, kVector };
}

/**
 * Whether the operand reads its inputs contiguously along one of its coordinates: every load's
 * last coordinate is exactly that coordinate (so four consecutive positions are one vec4 load).
 */
export function contiguousAlong(e: KExpr, axis: number): boolean {
  const key = exprKey(coord(axis));
  let loads = 0;
  let contiguous = true;
  visitExpr(e, (x) => {
    if (x.k !== 'load') return;
    loads++;
    if (x.coords.length === 0 || exprKey(x.coords[x.coords.length - 1]) !== key) contiguous = false;
  });
  return loads > 0 && contiguous;
}

/**
 * A·Bᵀ (both operands contiguous along k, the lane operand not along its lane axis) takes dot
 * products along k; everything else takes lanes. Needs k's last dim a static multiple of 4.
 */
export function dotVariant(a: ContractAnchor, limits: KernelLimits): MatmulVariant | undefined {
  const kLast = a.k[a.k.length - 1];
  if (a.k.length === 0 || typeof kLast !== 'number' || kLast % 4 !== 0) return undefined;
  const nb = a.batch.length;
  const lhsK = nb + a.m.length + a.k.length - 1;
  const rhsK = nb + a.k.length - 1;
  const rhsN = nb + a.k.length + a.n.length - 1;
  const forced = override('dot');
  const wanted = forced === undefined ? contiguousAlong(a.lhs, lhsK) && contiguousAlong(a.rhs, rhsK) && !contiguousAlong(a.rhs, rhsN) : forced === 1;
  if (!wanted) return undefined;
  const n = extent(a.n, 256);
  const cols = override('cols') ?? 8;
  const rows = override('rows') ?? 4;
  const workgroup = Math.min(override('workgroup') ?? 64, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX, nextPow2(Math.ceil(n / cols)));
  return { kind: 'dot', rows, cols, workgroup };
}

export function chooseMatmulVariant(a: ContractAnchor, limits: KernelLimits): MatmulVariant {
  if (limits.adapterKind !== 'software') return tiledVariant(limits);
  return dotVariant(a, limits) ?? lanesVariant(a, limits);
}
