import { atCoords, coord, iadd, imul, raw, sizeOf, u32, visitExpr, withAcc, type Dim, type KernelLimits, type KExpr } from '../../src/ir/index.ts';
import type { ContractAnchor, KernelPlan } from '../kernel-plan.ts';
import { indent, stored, valueType } from './common.ts';
import { ExprRenderer, vectorizable, type VectorLanes } from './expr-renderer.ts';
import { aliasMap, bodyInputs, type KernelBody } from './kernel-body.ts';
import { coordinateLets, elementCount, SizesLayout } from './sizes.ts';
import { chooseMatmulVariant, type MatmulVariant } from './matmul-variants.ts';

type ContractPlan = KernelPlan & { anchor: ContractAnchor };

/** Lane j's coordinate on the vectorised axis: 4q + j, with q the WGSL variable `q`. */
const Q = raw('q', 'u32');
const LANES: VectorLanes = { quotient: Q, lane: [0, 1, 2, 3].map((j) => iadd(imul(Q, u32(4)), u32(j))) };

/**
 * The parts every contraction kernel shares: `lhs_at(b, m, k)` and `rhs_at(b, k, n)` evaluate
 * the operand expressions at flat indices (fused producers, transposes and broadcasts are index
 * maps in them), and `store_at(b, m, n, acc)` writes every output's epilogue there. With `lane`,
 * the operand along that axis also gets `lhs4_at(b, m, k)` / `rhs4_at(b, k, n)`: its values at
 * four consecutive positions from m (or n), a multiple of 4, read with one vec4 load from inputs
 * that are contiguous along the axis (and read nowhere else in the kernel).
 */
function contractionParts(plan: ContractPlan, dims: readonly string[], prefix: string, lane?: 'm' | 'n') {
  const a = plan.anchor;
  const type = valueType(a.dtype);
  const sizes = new SizesLayout(dims);
  const fn = (name: string) => `${prefix}${name}`;
  const nb = a.batch.length;
  // Anchor coordinates: lhs (batch, m, k), rhs (batch, k, n); the lane axis is the last m or n axis.
  const laneDims = lane === 'm' ? a.m : a.n;
  const laneAxis = lane === 'm' ? nb + a.m.length - 1 : nb + a.k.length + a.n.length - 1;
  const laneLast = laneDims[laneDims.length - 1];
  const laneOperand = lane === 'm' ? a.lhs : a.rhs;
  const vectorLane = lane !== undefined && laneDims.length > 0 && typeof laneLast === 'number' && laneLast % 4 === 0;
  const laneRoots = vectorLane
    ? LANES.lane.map((l) => atCoords(laneOperand, [...Array(laneAxis).keys()].map((i) => coord(i)).concat([l])))
    : [];
  const epilogues = plan.outputs.map((o) => withAcc(o.expr, raw('acc', a.dtype)));
  const elsewhere = [lane === 'm' ? a.rhs : a.lhs, ...epilogues, ...(vectorLane ? [] : [laneOperand])];
  const widths = plan.inputs.map((inp, i) =>
    vectorLane && vectorizable(laneRoots, i, inp.shape, LANES) && !elsewhere.some((e) => loadsInput(e, i)) ? 'vec4' : 'scalar',
  ) as ('scalar' | 'vec4')[];
  const inputs = plan.inputs.map((o, i) => ({ ...o, width: widths[i] }));
  const exprs = new ExprRenderer({ inputs, sizes, preludes: plan.preludes, prefix, aliases: aliasMap(plan), lanes: vectorLane ? LANES : undefined });
  const coordsOf = (list: readonly Dim[], from: string, first: number) =>
    coordinateLets(list, from, sizes, (i) => `c${first + i}`);
  const lets = (lists: [readonly Dim[], string][]) => {
    const lines: string[] = [];
    let first = 0;
    for (const [list, from] of lists) {
      lines.push(...coordsOf(list, from, first));
      first += list.length;
    }
    return lines;
  };
  const operand = (name: string, args: string, lists: [readonly Dim[], string][], e: KExpr) => {
    const lines = lets(lists);
    const [value] = exprs.renderAll([e], lines);
    return [`fn ${name}(${args}) -> ${type} {`, ...indent(lines), `  return ${value};`, '}'].join('\n');
  };
  const lhsLists: [readonly Dim[], string][] = [[a.batch, 'b'], [a.m, 'm'], [a.k, 'k']];
  const rhsLists: [readonly Dim[], string][] = [[a.batch, 'b'], [a.k, 'k'], [a.n, 'n']];
  // The lane operand's scalar form is not emitted when its vec4 form replaces it (its inputs may be bound as vec4).
  const functions = [
    ...(vectorLane && lane === 'm' ? [] : [operand(fn('lhs_at'), 'b: u32, m: u32, k: u32', lhsLists, a.lhs)]),
    ...(vectorLane && lane === 'n' ? [] : [operand(fn('rhs_at'), 'b: u32, k: u32, n: u32', rhsLists, a.rhs)]),
  ];
  if (vectorLane) {
    const lines = lets(lane === 'm' ? lhsLists : rhsLists);
    lines.push(`let q = c${laneAxis} / 4u;`);
    const values = exprs.renderAll(laneRoots, lines);
    const name = lane === 'm' ? fn('lhs4_at') : fn('rhs4_at');
    const args = lane === 'm' ? 'b: u32, m: u32, k: u32' : 'b: u32, k: u32, n: u32';
    functions.push([`fn ${name}(${args}) -> vec4<${type}> {`, ...indent(lines), `  return vec4<${type}>(${values.join(', ')});`, '}'].join('\n'));
  }
  const M = elementCount(a.m, sizes);
  const N = elementCount(a.n, sizes);
  const storeLines = [
    `if (m >= ${M} || n >= ${N}) { return; }`,
    ...coordsOf(a.batch, 'b', 0),
    ...coordsOf(a.m, 'm', nb),
    ...coordsOf(a.n, 'n', nb + a.m.length),
    `let o = (b * ${M} + m) * ${N} + n;`,
  ];
  const values = exprs.renderAll(epilogues, storeLines);
  plan.outputs.forEach((o, k) => storeLines.push(`${prefix}out${k}[o] = ${stored(o.dtype, values[k])};`));
  functions.push([`fn ${fn('store_at')}(b: u32, m: u32, n: u32, acc: ${type}) {`, ...indent(storeLines), '}'].join('\n'));
  return {
    type,
    sizes,
    exprs,
    fn,
    functions,
    widths,
    vectorLane,
    M,
    N,
    K: elementCount(a.k, sizes),
    zero: exprs.literal(a.dtype, 0),
  };
}

function loadsInput(e: KExpr, input: number): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.k === 'load' && x.input === input) found = true;
  });
  return found;
}

/**
 * Register blocking across lanes: each invocation computes `rows` × 4 outputs, four consecutive
 * along the lane axis (n, or m for tall, narrow results) as a vec4, and loops over k with no
 * bounds checks (out-of-range lanes compute values that store_at never writes; WebGPU clamps
 * their loads). A software adapter runs the lanes of a workgroup as SIMD: the operand along the
 * other axis is the same for all of them, so each k costs one vec4 of the lane operand and
 * `rows` scalars for 4·rows multiply-adds (measured on lavapipe, 512³: 11–15 GFLOP/s, against
 * 2.6 for shared-memory tiles).
 */
function lanesBody(plan: ContractPlan, dims: readonly string[], v: Extract<MatmulVariant, { kind: 'lanes' }>, prefix: string): KernelBody {
  const { rows, vecs, workgroup, laneAxis } = v;
  const p = contractionParts(plan, dims, prefix, laneAxis);
  const [lhsAt, rhsAt, storeAt] = [p.fn('lhs_at'), p.fn('rhs_at'), p.fn('store_at')];
  const acc = (r: number, c: number) => `acc${r}_${c}`;
  const plus = (base: string, j: number) => (j === 0 ? base : `${base} + ${j}u`);
  const base = laneAxis === 'n' ? 'n' : 'm';
  // The lane operand at four consecutive lane positions from `at`, and the other operand at row r.
  const laneValue = (at: string) =>
    p.vectorLane
      ? laneAxis === 'n'
        ? `${p.fn('rhs4_at')}(b, k, ${at})`
        : `${p.fn('lhs4_at')}(b, ${at}, k)`
      : laneAxis === 'n'
        ? `vec4<${p.type}>(${[0, 1, 2, 3].map((j) => `${rhsAt}(b, k, ${plus(at, j)})`).join(', ')})`
        : `vec4<${p.type}>(${[0, 1, 2, 3].map((j) => `${lhsAt}(b, ${plus(at, j)}, k)`).join(', ')})`;
  const rowValue = (r: number) => (laneAxis === 'n' ? `${lhsAt}(b, ${plus('m0', r)}, k)` : `${rhsAt}(b, k, ${plus('n0', r)})`);
  const cols = [...Array(vecs).keys()];
  const body = [
    'let b = wid.z;',
    `let ${base} = (wid.x * ${workgroup}u + tid) * ${4 * vecs}u;`,
    laneAxis === 'n' ? `let m0 = wid.y * ${rows}u;` : `let n0 = wid.y * ${rows}u;`,
    ...Array.from({ length: rows }, (_, r) => cols.map((c) => `var ${acc(r, c)} = vec4<${p.type}>(${p.zero});`).join(' ')),
    `for (var k = 0u; k < ${p.K}; k++) {`,
    ...cols.map((c) => `  let lane${c} = ${laneValue(plus(base, 4 * c))};`),
    ...Array.from({ length: rows }, (_, r) => `  { let row = ${rowValue(r)}; ${cols.map((c) => `${acc(r, c)} += row * lane${c};`).join(' ')} }`),
    '}',
    // One store_at call site, in a loop: the epilogue is compiled once, not rows × 4 × vecs times.
    `var accs = array<vec4<${p.type}>, ${rows * vecs}>(${Array.from({ length: rows }, (_, r) => cols.map((c) => acc(r, c))).flat().join(', ')});`,
    `for (var r = 0u; r < ${rows}u; r++) {`,
    `  for (var j = 0u; j < ${4 * vecs}u; j++) {`,
    `    let value = accs[r * ${vecs}u + j / 4u][j % 4u];`,
    laneAxis === 'n' ? `    ${storeAt}(b, m0 + r, n + j, value);` : `    ${storeAt}(b, m + j, n0 + r, value);`,
    '  }',
    '}',
  ];
  const a = plan.anchor;
  const laneDims = laneAxis === 'n' ? a.n : a.m;
  const rowDims = laneAxis === 'n' ? a.m : a.n;
  return {
    prefix,
    workgroup: [workgroup, 1],
    barriers: false,
    grid: [{ ...sizeOf(laneDims), divisor: 4 * vecs * workgroup }, { ...sizeOf(rowDims), divisor: rows }, { ...sizeOf(a.batch), divisor: 1 }],
    inputs: bodyInputs(plan, (i) => p.widths[i]),
    outputs: plan.outputs.map((o) => ({ dtype: o.dtype, width: 'scalar' })),
    helpers: p.exprs.helpers,
    decls: p.functions,
    body,
  };
}

/**
 * Shared-memory tiles: a workgroup computes a tile×tile block of one batch entry, staging
 * BK-deep slices of both operands in workgroup memory, each invocation a per×per block in
 * registers. The staging loads are bounds-checked, so any size works.
 */
function tiledBody(plan: ContractPlan, dims: readonly string[], v: Extract<MatmulVariant, { kind: 'tiled' }>, prefix: string): KernelBody {
  const p = contractionParts(plan, dims, prefix);
  const [lhsAt, rhsAt, storeAt, tileA, tileB] = [p.fn('lhs_at'), p.fn('rhs_at'), p.fn('store_at'), p.fn('tileA'), p.fn('tileB')];
  const { threads, per, bk } = v;
  const tile = threads * per;
  const invocations = threads * threads;
  const body = `  let M = ${p.M};
  let N = ${p.N};
  let K = ${p.K};
  let b = wid.z;
  let m0 = wid.y * ${tile}u;
  let n0 = wid.x * ${tile}u;
  var acc: array<${p.type}, ${per * per}>;
  for (var k0 = 0u; k0 < K; k0 += ${bk}u) {
    for (var i = 0u; i < ${(tile * bk) / invocations}u; i++) {
      let e = tid + i * ${invocations}u;
      let row = e / ${bk}u;
      let kk = e % ${bk}u;
      var v: ${p.type} = ${p.zero};
      if (m0 + row < M && k0 + kk < K) { v = ${lhsAt}(b, m0 + row, k0 + kk); }
      ${tileA}[kk * ${tile}u + row] = v;
    }
    for (var i = 0u; i < ${(tile * bk) / invocations}u; i++) {
      let e = tid + i * ${invocations}u;
      let kk = e / ${tile}u;
      let col = e % ${tile}u;
      var v: ${p.type} = ${p.zero};
      if (n0 + col < N && k0 + kk < K) { v = ${rhsAt}(b, k0 + kk, n0 + col); }
      ${tileB}[kk * ${tile}u + col] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${bk}u; kk++) {
      var av: array<${p.type}, ${per}>;
      var bv: array<${p.type}, ${per}>;
      for (var i = 0u; i < ${per}u; i++) { av[i] = ${tileA}[kk * ${tile}u + lid.y * ${per}u + i]; }
      for (var j = 0u; j < ${per}u; j++) { bv[j] = ${tileB}[kk * ${tile}u + lid.x * ${per}u + j]; }
      for (var i = 0u; i < ${per}u; i++) {
        for (var j = 0u; j < ${per}u; j++) { acc[i * ${per}u + j] += av[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${per}u; i++) {
    for (var j = 0u; j < ${per}u; j++) {
      ${storeAt}(b, m0 + lid.y * ${per}u + i, n0 + lid.x * ${per}u + j, acc[i * ${per}u + j]);
    }
  }`;
  const a = plan.anchor;
  const tiles = (list: readonly Dim[], divisor: number) => ({ ...sizeOf(list), divisor });
  return {
    prefix,
    workgroup: [threads, threads],
    barriers: true,
    grid: [tiles(a.n, tile), tiles(a.m, tile), tiles(a.batch, 1)],
    inputs: bodyInputs(plan, () => 'scalar'),
    outputs: plan.outputs.map((o) => ({ dtype: o.dtype, width: 'scalar' })),
    helpers: p.exprs.helpers,
    decls: [`var<workgroup> ${tileA}: array<${p.type}, ${tile * bk}>;\nvar<workgroup> ${tileB}: array<${p.type}, ${tile * bk}>;`, ...p.functions],
    body: body.split('\n').map((l) => l.replace(/^  /, '')),
  };
}

export function matmulBody(plan: ContractPlan, dims: readonly string[], limits: KernelLimits, prefix = ''): KernelBody {
  const variant = chooseMatmulVariant(plan.anchor, limits);
  return variant.kind === 'lanes' ? lanesBody(plan, dims, variant, prefix) : tiledBody(plan, dims, variant, prefix);
}
