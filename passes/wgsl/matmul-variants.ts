import { coord, exprKey, sizeOf, visitExpr, type Dim, type KernelLimits, type KExpr } from '../../src/ir/index.ts';
import type { ContractAnchor } from '../kernel-plan.ts';
import { TUNING_VERSION, type MatmulTuning } from './matmul-tuning.ts';

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

/** The anchor's axis positions in its operands' coordinates: lhs (batch, m, k), rhs (batch, k, n). */
function axes(a: ContractAnchor) {
  const nb = a.batch.length;
  return { lhsM: nb + a.m.length - 1, lhsK: nb + a.m.length + a.k.length - 1, rhsK: nb + a.k.length - 1, rhsN: nb + a.k.length + a.n.length - 1 };
}

const kByFour = (a: ContractAnchor): boolean => {
  const kLast = a.k[a.k.length - 1];
  return a.k.length > 0 && typeof kLast === 'number' && kLast % 4 === 0;
};

/**
 * Dot products along k, for A·Bᵀ (both operands contiguous along k, the lane operand not along
 * its lane axis). Needs k's last dim a static multiple of 4.
 */
export function dotVariant(a: ContractAnchor, limits: KernelLimits, cols = override('cols') ?? 8, rows = override('rows') ?? 4): MatmulVariant | undefined {
  if (!kByFour(a)) return undefined;
  const { lhsK, rhsK, rhsN } = axes(a);
  const forced = override('dot');
  const wanted = forced === undefined ? contiguousAlong(a.lhs, lhsK) && contiguousAlong(a.rhs, rhsK) && !contiguousAlong(a.rhs, rhsN) : forced === 1;
  if (!wanted) return undefined;
  return dotShape(a, limits, rows, cols);
}

function dotShape(a: ContractAnchor, limits: KernelLimits, rows: number, cols: number): MatmulVariant {
  const n = extent(a.n, 256);
  const workgroup = Math.min(override('workgroup') ?? 64, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX, nextPow2(Math.ceil(n / cols)));
  return { kind: 'dot', rows, cols, workgroup };
}

/**
 * The class of shapes and layouts a measured winner stands for: dtype, each extent rounded up
 * to a power of two (symbolic: 's'), whether k's last dim allows four at a time, and which
 * operands are contiguous along which axes (what decides the vec4 loads).
 */
export function matmulShapeClass(a: ContractAnchor): string {
  const bucket = (dims: readonly Dim[]) => (dims.some((d) => typeof d !== 'number') ? 's' : String(nextPow2(extent(dims, 1))));
  const { lhsM, lhsK, rhsK, rhsN } = axes(a);
  const layout = [contiguousAlong(a.lhs, lhsM) ? 'm' : '', contiguousAlong(a.lhs, lhsK) ? 'k' : '', '/', contiguousAlong(a.rhs, rhsK) ? 'k' : '', contiguousAlong(a.rhs, rhsN) ? 'n' : ''].join('');
  return `${a.dtype} b${bucket(a.batch)} m${bucket(a.m)} k${bucket(a.k)} n${bucket(a.n)} k4:${kByFour(a) ? 1 : 0} ${layout}`;
}

/** The variants worth measuring for a contraction on this adapter (the heuristic choice first). */
export function matmulCandidates(a: ContractAnchor, limits: KernelLimits): MatmulVariant[] {
  const out: MatmulVariant[] = [heuristicVariant(a, limits)];
  const add = (v: MatmulVariant | undefined) => {
    if (v && validVariant(v, a, limits) && !out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
  };
  const lanes = lanesVariant(a, limits);
  if (lanes.kind === 'lanes') {
    for (const [rows, vecs] of [[4, 2], [8, 1], [4, 1], [2, 2]]) {
      const laneExtent = extent(lanes.laneAxis === 'n' ? a.n : a.m, 256);
      const workgroup = Math.min(lanes.workgroup * (lanes.vecs / vecs), limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX, nextPow2(Math.ceil(laneExtent / (4 * vecs))));
      add({ ...lanes, rows, vecs, workgroup });
    }
    if (kByFour(a)) add({ ...lanes, kVector: !lanes.kVector });
  }
  if (kByFour(a)) for (const [rows, cols] of [[4, 8], [4, 4]]) add(dotShape(a, limits, rows, cols));
  // Shared-memory tiles ran 5-10× slower than lanes on lavapipe in every shape measured.
  const tiled = tiledVariant(limits);
  if (tiled.kind === 'tiled' && limits.adapterKind !== 'software') {
    add(tiled);
    add({ ...tiled, bk: 8 });
    add({ ...tiled, threads: 8, per: 4 });
  }
  return out;
}

/** Whether a variant (from a tuning table, perhaps stale or hand-edited) can render this anchor here. */
export function validVariant(v: MatmulVariant, a: ContractAnchor, limits: KernelLimits): boolean {
  const pos = (x: unknown, max = 64) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= max;
  switch (v.kind) {
    case 'lanes':
      return (v.laneAxis === 'm' || v.laneAxis === 'n') && pos(v.rows, 16) && pos(v.vecs, 4) && typeof v.kVector === 'boolean' &&
        pos(v.workgroup, Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX));
    case 'dot':
      return kByFour(a) && pos(v.rows, 16) && pos(v.cols, 16) && pos(v.workgroup, Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX));
    case 'tiled': {
      if (!pos(v.threads, 16) || !pos(v.per, 8) || !pos(v.bk, 32)) return false;
      const tile = v.threads * v.per;
      return v.threads * v.threads <= limits.maxComputeInvocationsPerWorkgroup && v.threads <= limits.maxComputeWorkgroupSizeY &&
        2 * tile * v.bk * 4 <= limits.maxComputeWorkgroupStorageSize && (tile * v.bk) % (v.threads * v.threads) === 0;
    }
    default:
      return false;
  }
}

/**
 * Before measuring: lanes on software adapters (dot products for A·Bᵀ only when forced with
 * AXONIC_MATMUL_DOT=1: measured on lavapipe they tie with lanes or lose), tiles elsewhere.
 */
function heuristicVariant(a: ContractAnchor, limits: KernelLimits): MatmulVariant {
  if (limits.adapterKind !== 'software') return tiledVariant(limits);
  return (override('dot') === 1 ? dotVariant(a, limits) : undefined) ?? lanesVariant(a, limits);
}

/**
 * The measured winner for the anchor's shape class where the tuning table has a valid one
 * (runtime/autotune.ts measures them), else the heuristic: lanes or dot products on software
 * adapters, shared-memory tiles elsewhere.
 */
export function chooseMatmulVariant(a: ContractAnchor, limits: KernelLimits): MatmulVariant {
  const tuned = (limits.matmulTuning as MatmulTuning | undefined)?.[matmulShapeClass(a)];
  if (tuned && tuned.version === TUNING_VERSION && validVariant(tuned.variant, a, limits)) return tuned.variant;
  return heuristicVariant(a, limits);
}
