import { sizeOf, type DType, type KernelDecl, type KernelLimits, type SizeExpr } from '../../src/ir/index.ts';
import { boundInputs, type KernelPlan } from '../kernel-plan.ts';
import { arrayType, indent, type BindingWidth } from './common.ts';
import { SizesLayout } from './sizes.ts';

/**
 * One kernel's code, apart from its entry point: so that independent kernels can share one
 * dispatch (each running on its own range of workgroups) as well as run alone. A body reads
 * `wid` (its own workgroup id, vec3<u32>), `nwg` (its own grid), `lid` (vec3<u32>) and `tid`
 * (the flat local index); its names carry a prefix unique in the module.
 */
export interface KernelBody {
  readonly prefix: string;
  /** Invocations per workgroup along x and y. */
  readonly workgroup: readonly [number, number];
  /** Whether the body has workgroup barriers: then every invocation of its workgroup must run it. */
  readonly barriers: boolean;
  /** Workgroups along x, y and z. A linear body (y = z = 1) reads its flat index as wid.x. */
  readonly grid: readonly [SizeExpr, SizeExpr, SizeExpr];
  /** The inputs it binds, by their index in the plan (an input read through an output is not bound). */
  readonly inputs: readonly { readonly index: number; readonly dtype: DType; readonly width: BindingWidth }[];
  readonly outputs: readonly { readonly dtype: DType; readonly width: BindingWidth }[];
  /** Helper functions shared by text between bodies (operator helpers, registry preludes). */
  readonly helpers: readonly string[];
  /** Module-scope declarations of its own: workgroup variables, functions. */
  readonly decls: readonly string[];
  readonly body: readonly string[];
  /**
   * Whether the body uses subgroup operations: it also reads `sg_size` (uniform), `sg_lane`,
   * `sg_id` and `sg_count` (the subgroup built-ins), and the module enables subgroups.
   */
  readonly subgroups?: boolean;
}

const SUBGROUP_PARAMS = ', sg_size: u32, sg_lane: u32, sg_id: u32, sg_count: u32';
const SUBGROUP_ARGS = ', gsg_size, gsg_lane, gsg_id, gsg_count';
const SUBGROUP_BUILTINS =
  ', @builtin(subgroup_size) gsg_size: u32, @builtin(subgroup_invocation_id) gsg_lane: u32, @builtin(subgroup_id) gsg_id: u32, @builtin(num_subgroups) gsg_count: u32';

/** A plan's bound inputs as a body lists them, with the width each is read at. */
export const bodyInputs = (plan: KernelPlan, width: (i: number) => BindingWidth): KernelBody['inputs'] =>
  boundInputs(plan).map((i) => ({ index: i, dtype: plan.inputs[i].dtype, width: width(i) }));

/** An aliased input's reads go through the output binding that writes its buffer. */
export const aliasMap = (plan: KernelPlan): ReadonlyMap<number, number> => new Map(plan.aliases ?? []);

export const ONE: SizeExpr = { constant: 1, symbols: [], divisor: 1 };

/** A linear grid of `count` workgroups. */
export const linearGrid = (count: SizeExpr): [SizeExpr, SizeExpr, SizeExpr] => [count, ONE, ONE];

const isLinear = (b: KernelBody): boolean => b.grid[1] === ONE && b.grid[2] === ONE;

/** A size expression in WGSL: ceil(constant · symbols / divisor). */
function sizeText(e: SizeExpr, sizes: SizesLayout): string {
  const factors = [`${e.constant}u`, ...e.symbols.map((s) => sizes.dim(s))].join(' * ');
  return e.divisor === 1 ? `(${factors})` : `((${factors} + ${e.divisor - 1}u) / ${e.divisor}u)`;
}

/** The flat workgroup index of a linear dispatch that the runtime may have folded into x and y. */
const FLAT = '(gwid.x + gwid.y * gnwg.x)';
const BUILTINS =
  '@builtin(workgroup_id) gwid: vec3<u32>, @builtin(num_workgroups) gnwg: vec3<u32>, @builtin(local_invocation_index) gtid: u32';

/** Whether bodies can share one dispatch: bodies with barriers must all have the workgroup's size. */
export function compatible(bodies: readonly KernelBody[]): boolean {
  const size = Math.max(...bodies.map((b) => b.workgroup[0] * b.workgroup[1]));
  return bodies.every((b) => !b.barriers || b.workgroup[0] * b.workgroup[1] === size);
}

/**
 * The WGSL module and dispatch of one or more bodies: bindings in body order (inputs then
 * outputs of each), the sizes uniform, shared helpers once, and an entry point that hands each
 * range of workgroups to its body.
 */
export function assemble(bodies: readonly KernelBody[], dims: readonly string[], limits: KernelLimits): { wgsl: string; dispatch: KernelDecl['dispatch'] } {
  const sizes = new SizesLayout(dims);
  const bindings: string[] = [];
  let binding = 1;
  // Every body's inputs, then every body's outputs: the runtime's layout is reads, then writes.
  for (const b of bodies)
    b.inputs.forEach((o) => bindings.push(`@group(0) @binding(${binding++}) var<storage, read> ${b.prefix}in${o.index}: ${arrayType(o.dtype, o.width)};`));
  for (const b of bodies)
    b.outputs.forEach((o, k) =>
      bindings.push(`@group(0) @binding(${binding++}) var<storage, read_write> ${b.prefix}out${k}: ${arrayType(o.dtype, o.width)};`),
    );
  const storage = binding - 1;
  if (storage > limits.maxStorageBuffersPerShaderStage)
    throw new Error(`wgsl: ${storage} storage bindings exceed the adapter's ${limits.maxStorageBuffersPerShaderStage} (merge check missed it)`);
  const helpers: string[] = [];
  for (const b of bodies) for (const h of b.helpers) if (!helpers.includes(h)) helpers.push(h);
  const size = Math.max(...bodies.map((b) => b.workgroup[0] * b.workgroup[1]));
  // A body smaller than the workgroup returns its extra invocations itself: a return in the entry
  // point would make everything after it non-uniform, and barriers of later bodies invalid.
  const functions = bodies.map((b) => {
    const own = b.workgroup[0] * b.workgroup[1];
    const guard = own < size ? [`if (tid >= ${own}u) { return; }`] : [];
    return `fn ${b.prefix}body(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>, tid: u32${b.subgroups ? SUBGROUP_PARAMS : ''}) {\n${indent(['_ = sizes;', ...guard, ...b.body]).join('\n')}\n}`;
  });
  const call = (b: KernelBody, flat: string, offset: string): string[] => {
    const [x, y] = b.workgroup;
    const local = y === 1 ? 'vec3<u32>(gtid, 0u, 0u)' : `vec3<u32>(gtid % ${x}u, gtid / ${x}u, 0u)`;
    const [gx, gy, gz] = b.grid.map((g) => sizeText(g, sizes));
    const w = offset === '0u' ? flat : `(${flat} - ${offset})`;
    const wid = isLinear(b) ? `vec3<u32>(${w}, 0u, 0u)` : `vec3<u32>(${w} % ${gx}, (${w} / ${gx}) % ${gy}, ${w} / (${gx} * ${gy}))`;
    return [`${b.prefix}body(${wid}, vec3<u32>(${gx}, ${gy}, ${gz}), ${local}, gtid${b.subgroups ? SUBGROUP_ARGS : ''});`];
  };
  let main: string[];
  let dispatch: KernelDecl['dispatch'];
  if (bodies.length === 1 && !isLinear(bodies[0])) {
    // A grid body alone keeps its 3-D dispatch.
    const b = bodies[0];
    const [x, y] = b.workgroup;
    main = [`${b.prefix}body(gwid, gnwg, vec3<u32>(gtid % ${x}u, gtid / ${x}u, 0u), gtid${b.subgroups ? SUBGROUP_ARGS : ''});`];
    dispatch = { kind: 'grid', x: b.grid[0], y: b.grid[1], z: b.grid[2] };
    return {
      wgsl: module(sizes, bindings, helpers, bodies, functions, `@compute @workgroup_size(${x}, ${y})`, main),
      dispatch,
    };
  }
  if (bodies.length === 1) {
    main = ['let flat = ' + FLAT + ';', ...call(bodies[0], 'flat', '0u')];
    dispatch = { kind: 'linear', count: bodies[0].grid[0] };
  } else {
    // Each body gets the next range of workgroups; past the last range the invocation returns.
    main = ['let flat = ' + FLAT + ';', 'var start = 0u;'];
    bodies.forEach((b) => {
      const [gx, gy, gz] = b.grid.map((g) => sizeText(g, sizes));
      main.push(`{`, `  let end = start + ${gx} * ${gy} * ${gz};`, `  if (flat < end) {`, ...indent(call(b, 'flat', 'start'), '    '), '    return;', '  }', '  start = end;', '}');
    });
    dispatch = { kind: 'parts', parts: bodies.map((b) => ({ x: b.grid[0], y: b.grid[1], z: b.grid[2] })) };
  }
  return { wgsl: module(sizes, bindings, helpers, bodies, functions, `@compute @workgroup_size(${size})`, main), dispatch };
}

function module(
  sizes: SizesLayout,
  bindings: readonly string[],
  helpers: readonly string[],
  bodies: readonly KernelBody[],
  functions: readonly string[],
  attribute: string,
  main: readonly string[],
): string {
  const subgroups = bodies.some((b) => b.subgroups);
  const parts = [
    subgroups ? 'enable subgroups;\nrequires subgroup_id;' : '',
    sizes.declaration,
    bindings.join('\n'),
    ...helpers,
    ...bodies.flatMap((b) => b.decls),
    ...functions,
    `${attribute}\nfn main(${BUILTINS}${subgroups ? SUBGROUP_BUILTINS : ''}) {\n${indent(main).join('\n')}\n}`,
  ].filter((s) => s !== '');
  return parts.join('\n\n') + '\n';
}

/** A SizeExpr of a shape's element count divided by `divisor`. */
export const countOf = (shape: Parameters<typeof sizeOf>[0], divisor: number): SizeExpr => ({ ...sizeOf(shape), divisor });
