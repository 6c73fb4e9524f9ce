import { DeviceArray } from '../../runtime/device-array.ts';
import { AxonicError, type HostTensor } from '../ir/index.ts';
import { isHostTensor } from './concrete.ts';
import { Spec } from './spec.ts';
import { Tensor } from './tensor.ts';

/**
 * Pytrees: nested arrays and plain objects whose leaves are Tensors, DeviceArrays, HostTensors,
 * specs, numbers or booleans. Object keys keep insertion order. `null` and `undefined` are empty
 * subtrees (no leaves), kept in the structure. Objects of other classes join by implementing
 * `[treeNode]` (see TreeNode).
 */
export type Leaf = Tensor | DeviceArray | HostTensor | Spec | number | boolean;
export type Tree<L = Leaf> = L | null | undefined | readonly Tree<L>[] | { readonly [key: string]: Tree<L> } | TreeNode;

/** The method key of the tree-node protocol (JAX's register_pytree_node_class). */
export const treeNode: unique symbol = Symbol('axonic.treeNode');

/** What a tree node shows of itself: its kind, its children, and how to rebuild one from new children. */
export interface TreeNodeParts {
  /**
   * The node's kind, part of the structure: nodes of different kinds never match, so use a key
   * unique to the class and to whatever behaviour the children do not carry (e.g. an apply function).
   */
  readonly type: string;
  readonly children: Tree<unknown>;
  /** A node of the same kind holding `children` (a tree of the same structure, other leaves). */
  readonly rebuild: (children: Tree<any>) => unknown;
}

/**
 * An object (or function) that flattens as a tree node: a model holding its parameters, say. Its
 * leaves are the leaves of its children; unflatten, treeMap, grad and jit rebuild it through
 * `rebuild`, so a gradient of a model is a model of the same kind.
 */
export interface TreeNode {
  [treeNode](): TreeNodeParts;
}

export function isTreeNode(x: unknown): x is TreeNode {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as Partial<TreeNode>)[treeNode] === 'function';
}

export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'none'; readonly value: null | undefined }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] }
  | { readonly kind: 'node'; readonly type: string; readonly rebuild: TreeNodeParts['rebuild']; readonly child: TreeDef };

/** A value that is neither a container nor a leaf was found in a tree. */
export class TreeError extends AxonicError {
  override name = 'TreeError';
}

export function isLeaf(x: unknown): x is Leaf {
  return (
    typeof x === 'number' ||
    typeof x === 'boolean' ||
    x instanceof Tensor ||
    x instanceof DeviceArray ||
    x instanceof Spec ||
    isHostTensor(x)
  );
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Path step as it reads in code: `.key`, `["odd key"]` or `[i]`. */
export const stepName = (key: string | number): string =>
  typeof key === 'number' ? `[${key}]` : IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;

function describe(x: unknown): string {
  if (typeof x === 'object' && x !== null) return `a ${x.constructor?.name ?? 'object'} object`;
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

/** The leaves in order (depth first, keys in insertion order) and the structure. */
export function flatten<L = Leaf>(tree: Tree<L>, leafTest: (x: unknown) => boolean = isLeaf): { leaves: L[]; def: TreeDef } {
  const leaves: L[] = [];
  const walk = (x: unknown, path: string): TreeDef => {
    if (leafTest(x)) {
      leaves.push(x as L);
      return { kind: 'leaf' };
    }
    if (x === null || x === undefined) return { kind: 'none', value: x };
    if (isTreeNode(x)) {
      const { type, children, rebuild } = x[treeNode]();
      return { kind: 'node', type, rebuild, child: walk(children, path) };
    }
    if (Array.isArray(x)) return { kind: 'array', children: x.map((c, i) => walk(c, path + stepName(i))) };
    if (isPlainObject(x)) {
      const keys = Object.keys(x);
      return { kind: 'object', keys, children: keys.map((k) => walk(x[k], path + stepName(k))) };
    }
    throw new TreeError(
      `${path || 'the tree'} is ${describe(x)}; a tree holds arrays, plain objects and leaves ` +
        `(Tensor, DeviceArray, HostTensor, ax.spec, number, boolean)`,
    );
  };
  const def = walk(tree, '');
  return { leaves, def };
}

export function numLeaves(def: TreeDef): number {
  switch (def.kind) {
    case 'leaf':
      return 1;
    case 'none':
      return 0;
    case 'node':
      return numLeaves(def.child);
    default:
      return def.children.reduce((n, c) => n + numLeaves(c), 0);
  }
}

/** Rebuilds a tree of the given structure from leaves (in flatten's order). */
export function unflatten<L>(def: TreeDef, leaves: readonly L[]): Tree<L> {
  if (leaves.length !== numLeaves(def))
    throw new TreeError(`the structure has ${numLeaves(def)} leaves, got ${leaves.length}`);
  let next = 0;
  const build = (d: TreeDef): Tree<L> => {
    switch (d.kind) {
      case 'leaf':
        return leaves[next++];
      case 'none':
        return d.value;
      case 'array':
        return d.children.map(build);
      case 'object':
        return Object.fromEntries(d.keys.map((k, i) => [k, build(d.children[i])]));
      case 'node':
        return d.rebuild(build(d.child)) as Tree<L>;
    }
  };
  return build(def);
}

/** The path of each leaf, prefixed by `root` (e.g. `params.layers[0].w`). */
export function leafPaths(def: TreeDef, root = ''): string[] {
  const out: string[] = [];
  const walk = (d: TreeDef, path: string) => {
    if (d.kind === 'leaf') out.push(path || '(root)');
    else if (d.kind === 'array') d.children.forEach((c, i) => walk(c, path + stepName(i)));
    else if (d.kind === 'object') d.children.forEach((c, i) => walk(c, path + stepName(d.keys[i])));
    else if (d.kind === 'node') walk(d.child, path);
  };
  walk(def, root);
  return out;
}

/** A canonical string of the structure (equal strings, equal structures). */
export function treeDefKey(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return '*';
    case 'none':
      return def.value === null ? 'null' : 'undef';
    case 'array':
      return `[${def.children.map(treeDefKey).join(',')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${JSON.stringify(k)}:${treeDefKey(def.children[i])}`).join(',')}}`;
    case 'node':
      return `${JSON.stringify(def.type)}(${treeDefKey(def.child)})`;
  }
}

export const sameStructure = (a: TreeDef, b: TreeDef): boolean => treeDefKey(a) === treeDefKey(b);

/**
 * Applies `fn` to corresponding leaves of `tree` and `rest` (all of the same structure) and
 * returns a tree of the results.
 */
export function treeMap<L, R>(fn: (leaf: L, ...rest: L[]) => R, tree: Tree<L>, ...rest: Tree<L>[]): Tree<R> {
  const { leaves, def } = flatten<L>(tree);
  const others = rest.map((t, i) => {
    const f = flatten<L>(t);
    if (!sameStructure(def, f.def))
      throw new TreeError(`treeMap: tree ${i + 1} has structure ${treeDefKey(f.def)}, expected ${treeDefKey(def)}`);
    return f.leaves;
  });
  return unflatten(def, leaves.map((leaf, i) => fn(leaf, ...others.map((o) => o[i]))));
}

/** The leaves of a tree, in order. */
export const treeLeaves = <L = Leaf>(tree: Tree<L>): L[] => flatten<L>(tree).leaves;
