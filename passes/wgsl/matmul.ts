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

/** Which operands a kernel reads four at a time, and along which of their axes. */
export interface VectorRequest {
  readonly lhs?: 'm' | 'k';
  readonly rhs?: 'k' | 'n';
}

/**
 * The parts every contraction kernel shares: `lhs_at(b, m, k)` and `rhs_at(b, k, n)` evaluate
 * the operand expressions at flat indices (fused producers, transposes and broadcasts are index
 * maps in them), and `store_at(b, m, n, acc)` writes every output's epilogue there. An operand
 * in `vector` gets, instead of its scalar form, a vec4 form at four consecutive positions along
 * the axis (from a multiple of 4): `lhs4m_at`, `lhs4k_at`, `rhs4k_at` or `rhs4n_at`, reading
 * inputs contiguous along that axis (and read nowhere else in the kernel) with one vec4 load.
 * A request is granted where the axis's last dim is a static multiple of 4 (`granted`).
 */
function contractionParts(plan: ContractPlan, dims: readonly string[], prefix: string, vector: VectorRequest = {}) {
  const a = plan.anchor;
  const type = valueType(a.dtype);
  const sizes = new SizesLayout(dims);
  const fn = (name: string) => `${prefix}${name}`;
  const nb = a.batch.length;
  const lhsLists: [readonly Dim[], string][] = [[a.batch, 'b'], [a.m, 'm'], [a.k, 'k']];
  const rhsLists: [readonly Dim[], string][] = [[a.batch, 'b'], [a.k, 'k'], [a.n, 'n']];
  // An operand's coordinates are (batch, m, k) or (batch, k, n); the vector axis is the last of its dims.
  const vectorAxis = (lists: [readonly Dim[], string][], axis: string): number | undefined => {
    const at = lists.findIndex(([, name]) => name === axis);
    const list = lists[at][0];
    const last = list[list.length - 1];
    if (list.length === 0 || typeof last !== 'number' || last % 4 !== 0) return undefined;
    return lists.slice(0, at + 1).reduce((n, [l]) => n + l.length, 0) - 1;
  };
  const forms = [
    { operand: 'lhs' as const, axis: vector.lhs, lists: lhsLists, e: a.lhs, args: 'b: u32, m: u32, k: u32' },
    { operand: 'rhs' as const, axis: vector.rhs, lists: rhsLists, e: a.rhs, args: 'b: u32, k: u32, n: u32' },
  ].map((f) => {
    const at = f.axis === undefined ? undefined : vectorAxis(f.lists, f.axis);
    const roots = at === undefined ? [] : LANES.lane.map((l) => atCoords(f.e, [...Array(at).keys()].map((i) => coord(i)).concat([l])));
    return { ...f, at, roots };
  });
  const vectored = forms.filter((f) => f.at !== undefined);
  const epilogues = plan.outputs.map((o) => withAcc(o.expr, raw('acc', a.dtype)));
  const elsewhere = [...epilogues, ...forms.filter((f) => f.at === undefined).map((f) => f.e)];
  const vectorRoots = vectored.flatMap((f) => f.roots);
  const widths = plan.inputs.map((inp, i) =>
    vectorRoots.length && vectorizable(vectorRoots, i, inp.shape, LANES) && !elsewhere.some((e) => loadsInput(e, i)) ? 'vec4' : 'scalar',
  ) as ('scalar' | 'vec4')[];
  const inputs = plan.inputs.map((o, i) => ({ ...o, width: widths[i] }));
  const exprs = new ExprRenderer({ inputs, sizes, preludes: plan.preludes, prefix, aliases: aliasMap(plan), lanes: vectored.length ? LANES : undefined });
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
  const functions = forms.map((f) => {
    const lines = lets(f.lists);
    if (f.at === undefined) {
      const [value] = exprs.renderAll([f.e], lines);
      return [`fn ${fn(`${f.operand}_at`)}(${f.args}) -> ${type} {`, ...indent(lines), `  return ${value};`, '}'].join('\n');
    }
    lines.push(`let q = c${f.at} / 4u;`);
    const values = exprs.renderAll(f.roots, lines);
    return [`fn ${fn(`${f.operand}4${f.axis}_at`)}(${f.args}) -> vec4<${type}> {`, ...indent(lines), `  return vec4<${type}>(${values.join(', ')});`, '}'].join('\n');
  });
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
    granted: { lhs: forms[0].at === undefined ? undefined : vector.lhs, rhs: forms[1].at === undefined ? undefined : vector.rhs } as VectorRequest,
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
  const request: VectorRequest = laneAxis === 'n' ? { rhs: 'n', lhs: v.kVector ? 'k' : undefined } : { lhs: 'm', rhs: v.kVector ? 'k' : undefined };
  const p = contractionParts(plan, dims, prefix, request);
  const acc = (r: number, c: number) => `acc${r}_${c}`;
  const plus = (base: string, j: number) => (j === 0 ? base : `${base} + ${j}u`);
  const base = laneAxis === 'n' ? 'n' : 'm';
  const laneVector = laneAxis === 'n' ? p.granted.rhs === 'n' : p.granted.lhs === 'm';
  const rowVector = laneAxis === 'n' ? p.granted.lhs === 'k' : p.granted.rhs === 'k';
  // The lane operand at four consecutive lane positions from `at`, at depth k.
  const laneValue = (at: string, k: string) => {
    if (laneVector) return laneAxis === 'n' ? `${p.fn('rhs4n_at')}(b, ${k}, ${at})` : `${p.fn('lhs4m_at')}(b, ${at}, ${k})`;
    const scalars = [0, 1, 2, 3].map((j) => (laneAxis === 'n' ? `${p.fn('rhs_at')}(b, ${k}, ${plus(at, j)})` : `${p.fn('lhs_at')}(b, ${plus(at, j)}, ${k})`));
    return `vec4<${p.type}>(${scalars.join(', ')})`;
  };
  // The other operand at row r: one value at k, or (rowVector) four from k.
  const rowAt = (r: number) => (laneAxis === 'n' ? plus('m0', r) : plus('n0', r));
  const rowValue = (r: number) => {
    const f = p.fn(`${laneAxis === 'n' ? 'lhs' : 'rhs'}${rowVector ? '4k' : ''}_at`);
    return laneAxis === 'n' ? `${f}(b, ${rowAt(r)}, k)` : `${f}(b, k, ${rowAt(r)})`;
  };
  const cols = [...Array(vecs).keys()];
  const depths = rowVector ? [0, 1, 2, 3] : [0];
  const laneName = (c: number, j: number) => (rowVector ? `lane${c}_${j}` : `lane${c}`);
  const component = ['x', 'y', 'z', 'w'];
  const product = (c: number) => (rowVector ? depths.map((j) => `row.${component[j]} * ${laneName(c, j)}`).join(' + ') : `row * ${laneName(c, 0)}`);
  const body = [
    'let b = wid.z;',
    `let ${base} = (wid.x * ${workgroup}u + tid) * ${4 * vecs}u;`,
    laneAxis === 'n' ? `let m0 = wid.y * ${rows}u;` : `let n0 = wid.y * ${rows}u;`,
    ...Array.from({ length: rows }, (_, r) => cols.map((c) => `var ${acc(r, c)} = vec4<${p.type}>(${p.zero});`).join(' ')),
    `for (var k = 0u; k < ${p.K}; k += ${depths.length}u) {`,
    ...cols.flatMap((c) => depths.map((j) => `  let ${laneName(c, j)} = ${laneValue(plus(base, 4 * c), plus('k', j))};`)),
    ...Array.from({ length: rows }, (_, r) => `  { let row = ${rowValue(r)}; ${cols.map((c) => `${acc(r, c)} += ${product(c)};`).join(' ')} }`),
    '}',
    // One store_at call site, in a loop: the epilogue is compiled once, not rows × 4 × vecs times.
    `var accs = array<vec4<${p.type}>, ${rows * vecs}>(${Array.from({ length: rows }, (_, r) => cols.map((c) => acc(r, c))).flat().join(', ')});`,
    `for (var r = 0u; r < ${rows}u; r++) {`,
    `  for (var j = 0u; j < ${4 * vecs}u; j++) {`,
    `    let value = accs[r * ${vecs}u + j / 4u][j % 4u];`,
    laneAxis === 'n' ? `    ${p.fn('store_at')}(b, m0 + r, n + j, value);` : `    ${p.fn('store_at')}(b, m + j, n0 + r, value);`,
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
 * Dot products along k: each invocation computes rows × cols outputs (cols consecutive along n
 * per invocation, invocations along n), reading both operands as vec4 along k. The kernel for
 * A·Bᵀ, where B is contiguous along k and not along n (the backward pass's dz·Wᵀ): the lanes
 * kernel would read B one scalar at a time.
 */
function dotBody(plan: ContractPlan, dims: readonly string[], v: Extract<MatmulVariant, { kind: 'dot' }>, prefix: string): KernelBody {
  const { rows, cols, workgroup } = v;
  const p = contractionParts(plan, dims, prefix, { lhs: 'k', rhs: 'k' });
  if (p.granted.lhs !== 'k' || p.granted.rhs !== 'k') throw new Error('dot kernel: k must be a static multiple of 4 (chooseMatmulVariant checks this)');
  const acc = (r: number, c: number) => `acc${r}_${c}`;
  const plus = (base: string, j: number) => (j === 0 ? base : `${base} + ${j}u`);
  const R = [...Array(rows).keys()];
  const C = [...Array(cols).keys()];
  const body = [
    'let b = wid.z;',
    `let n0 = (wid.x * ${workgroup}u + tid) * ${cols}u;`,
    `let m0 = wid.y * ${rows}u;`,
    ...R.map((r) => C.map((c) => `var ${acc(r, c)} = vec4<${p.type}>(${p.zero});`).join(' ')),
    `for (var k = 0u; k < ${p.K}; k += 4u) {`,
    ...C.map((c) => `  let col${c} = ${p.fn('rhs4k_at')}(b, k, ${plus('n0', c)});`),
    ...R.map((r) => `  { let row = ${p.fn('lhs4k_at')}(b, ${plus('m0', r)}, k); ${C.map((c) => `${acc(r, c)} += row * col${c};`).join(' ')} }`),
    '}',
    `var accs = array<${p.type}, ${rows * cols}>(${R.flatMap((r) => C.map((c) => `(${acc(r, c)}.x + ${acc(r, c)}.y) + (${acc(r, c)}.z + ${acc(r, c)}.w)`)).join(', ')});`,
    `for (var r = 0u; r < ${rows}u; r++) {`,
    `  for (var c = 0u; c < ${cols}u; c++) {`,
    `    ${p.fn('store_at')}(b, m0 + r, n0 + c, accs[r * ${cols}u + c]);`,
    '  }',
    '}',
  ];
  const a = plan.anchor;
  return {
    prefix,
    workgroup: [workgroup, 1],
    barriers: false,
    grid: [{ ...sizeOf(a.n), divisor: cols * workgroup }, { ...sizeOf(a.m), divisor: rows }, { ...sizeOf(a.batch), divisor: 1 }],
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
  switch (variant.kind) {
    case 'lanes':
      return lanesBody(plan, dims, variant, prefix);
    case 'dot':
      return dotBody(plan, dims, variant, prefix);
    case 'tiled':
      return tiledBody(plan, dims, variant, prefix);
  }
}
