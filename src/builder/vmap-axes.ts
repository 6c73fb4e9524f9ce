import { TraceError } from './trace-context.ts';
import { numLeaves, type TreeDef } from './tree.ts';

/**
 * Where vmap finds (or puts) the examples of a tree: an axis for every leaf, `null` for leaves
 * shared by all examples, or a tree prefix: an array or object of the tree's shape (down to
 * some depth) whose entries are again AxisSpecs for the subtrees (JAX's in_axes / out_axes).
 */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

function describe(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return 'an array';
    case 'none':
      return String(def.value);
    case 'array':
      return `a list of ${def.children.length}`;
    case 'object':
      return `an object with keys {${def.keys.join(', ')}}`;
    case 'node':
      return `a ${def.type} node`;
  }
}

/**
 * One entry per leaf of `def` (in flatten's order): the axis `spec` gives it, or null. `what`
 * names the spec (`inAxes`), `path` the subtree it is matched against, for error messages.
 */
export function axesPerLeaf(spec: AxisSpec | undefined, def: TreeDef, what: string, path: string): (number | null)[] {
  if (spec === null || spec === undefined) return Array<null>(numLeaves(def)).fill(null);
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec)) throw new TraceError(`ax.vmap: ${what} for ${path} is ${spec}; an axis must be an integer`);
    return Array<number>(numLeaves(def)).fill(spec);
  }
  if (def.kind === 'node') return axesPerLeaf(spec, def.child, what, path);
  const mismatch = (shape: string) =>
    new TraceError(`ax.vmap: ${what} gives ${shape} for ${path}, which is ${describe(def)}; give one entry per element, or one axis (or null) for all of it`);
  if (Array.isArray(spec)) {
    if (def.kind !== 'array' || def.children.length !== spec.length) throw mismatch(`a list of ${spec.length}`);
    return def.children.flatMap((child, i) => axesPerLeaf(spec[i], child, what, `${path}[${i}]`));
  }
  if (typeof spec === 'object') {
    const keys = Object.keys(spec);
    const named = `an object with keys {${keys.join(', ')}}`;
    if (def.kind !== 'object' || keys.length !== def.keys.length || keys.some((k) => !def.keys.includes(k))) throw mismatch(named);
    const entries = spec as { readonly [key: string]: AxisSpec };
    return def.children.flatMap((child, i) => axesPerLeaf(entries[def.keys[i]], child, what, `${path}.${def.keys[i]}`));
  }
  throw new TraceError(`ax.vmap: ${what} for ${path} is ${typeof spec}; give an integer axis, null, or a list/object matching the structure`);
}
