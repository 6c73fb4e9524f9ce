import type { BufferDecl, DType, KernelDecl, Program, SizeExpr, Step } from '../../src/ir/index.ts';

/** Hand-written programs and WGSL kernels for runtime tests (no compiler involved). */

export const WORKGROUP = 64;

export const size = (constant: number, symbols: string[] = [], divisor = 1): SizeExpr => ({ constant, symbols, divisor });

export const buffer = (
  id: number,
  dtype: DType,
  shape: (number | string)[],
  kind: BufferDecl['kind'],
  data?: number[],
): BufferDecl => ({ id, dtype, shape, kind, ...(data ? { data } : {}) });

const wgslType = (dtype: DType): string => (dtype === 'bool' ? 'u32' : dtype);

export interface MapKernelSpec {
  name: string;
  /** Symbolic dims in program order (fields of the sizes uniform). */
  dims: string[];
  reads: { name: string; dtype: DType }[];
  writes: { name: string; dtype: DType }[];
  /** WGSL u32 expression for the element count, over `sizes.<dim>`. */
  count: string;
  /** WGSL statements for element `i`. */
  body: string;
  /** Workgroup count as a size expression (ceil(elements / 64)). */
  dispatch: SizeExpr;
}

/**
 * A one-thread-per-element kernel with a linear dispatch: recombines the folded workgroup index
 * as wid.x + wid.y * num_workgroups.x and returns past the element count.
 */
export function mapKernel(spec: MapKernelSpec): KernelDecl {
  const lines: string[] = [];
  if (spec.dims.length) {
    lines.push(`struct Sizes { ${spec.dims.map((d) => `${d}: u32,`).join(' ')} }`);
    lines.push('@group(0) @binding(0) var<uniform> sizes: Sizes;');
  }
  spec.reads.forEach((r, i) =>
    lines.push(`@group(0) @binding(${i + 1}) var<storage, read> ${r.name}: array<${wgslType(r.dtype)}>;`),
  );
  spec.writes.forEach((w, i) =>
    lines.push(
      `@group(0) @binding(${spec.reads.length + i + 1}) var<storage, read_write> ${w.name}: array<${wgslType(w.dtype)}>;`,
    ),
  );
  lines.push(
    `@compute @workgroup_size(${WORKGROUP})`,
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,',
    '        @builtin(local_invocation_index) lid: u32) {',
    `  let i = (wid.x + wid.y * nwg.x) * ${WORKGROUP}u + lid;`,
    `  if (i >= ${spec.count}) { return; }`,
    `  ${spec.body}`,
    '}',
  );
  return {
    name: spec.name,
    wgsl: lines.join('\n'),
    entryPoint: 'main',
    reads: spec.reads.length,
    writes: spec.writes.length,
    dispatch: { kind: 'linear', count: spec.dispatch },
    plan: `map ${spec.name}`,
  };
}

/** f32 map kernel over N elements: out = f(inp), with `f` a WGSL expression of `v`. */
export function unaryF32(name: string, expr: string, dims: string[] = ['N'], count = 'sizes.N'): KernelDecl {
  const symbols = dims.length ? [dims[0]] : [];
  return mapKernel({
    name,
    dims,
    reads: [{ name: 'inp', dtype: 'f32' }],
    writes: [{ name: 'out', dtype: 'f32' }],
    count,
    body: `let v = inp[i]; out[i] = ${expr};`,
    dispatch: size(1, symbols, WORKGROUP),
  });
}

export const dispatch = (kernel: number, buffers: number[]): Step => ({ kind: 'dispatch', kernel, buffers });
export const copy = (from: number, to: number): Step => ({ kind: 'copy', from, to });

export function loop(trips: number, init: number[], stateIn: number[], stateOut: number[], results: number[], body: Step[]): Step {
  return { kind: 'loop', trips, init, stateIn, stateOut, results, body };
}

export function program(p: Omit<Program, 'version'>): Program {
  return { version: 1, ...p };
}
