import type { DType } from '../../src/ir/index.ts';

/** The WGSL element type of a buffer of this dtype (bool is stored as u32 0/1). */
export const storageType = (d: DType): string => (d === 'bool' ? 'u32' : d);
/** The WGSL type of a value of this dtype inside a shader. */
export const valueType = (d: DType): string => d;

/** How a kernel binds a buffer: element by element, or four consecutive elements at a time. */
export type BindingWidth = 'scalar' | 'vec4';

/** The WGSL array type of a binding. */
export const arrayType = (d: DType, width: BindingWidth = 'scalar'): string =>
  width === 'vec4' ? `array<vec4<${storageType(d)}>>` : `array<${storageType(d)}>`;

/**
 * Storage bindings 1..n: the kernel inputs read-only (`in0`...), then the outputs read-write
 * (`out0`...).
 */
export function storageBindings(
  inputs: readonly { dtype: DType; width?: BindingWidth }[],
  outputs: readonly { dtype: DType; width?: BindingWidth }[],
): string {
  const lines = inputs.map((o, i) => `@group(0) @binding(${i + 1}) var<storage, read> in${i}: ${arrayType(o.dtype, o.width)};`);
  outputs.forEach((o, k) =>
    lines.push(`@group(0) @binding(${inputs.length + 1 + k}) var<storage, read_write> out${k}: ${arrayType(o.dtype, o.width)};`),
  );
  return lines.join('\n');
}

/** A value of `dtype` as the word a buffer stores (bool as u32 0/1). */
export const stored = (dtype: DType, value: string): string => (dtype === 'bool' ? `select(0u, 1u, ${value})` : value);

/** The same for four values stored as one vec4. */
export const storedVec4 = (dtype: DType, values: readonly string[]): string =>
  dtype === 'bool' ? `select(vec4<u32>(0u), vec4<u32>(1u), vec4<bool>(${values.join(', ')}))` : `vec4<${dtype}>(${values.join(', ')})`;

export const indent = (lines: readonly string[], pad = '  '): string[] => lines.map((l) => (l === '' ? l : pad + l));
