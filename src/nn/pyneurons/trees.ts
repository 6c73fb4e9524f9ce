import { concatenate, slice, stack as stackOf, index, type Operand, type Tensor } from '../../builder/index.ts';
import { flatten, treeMap, unflatten, TreeError, type Tree, type TreeNode } from '../../builder/tree.ts';

/** A tree of operands with each array leaf as the Tensor an ax function makes of it. */
export type TensorsOf<T> = T extends Operand ? Tensor : T extends TreeNode ? T : { [K in keyof T]: TensorsOf<T[K]> };

/** `implode(fn, trees)`: leafwise `fn([leaf of tree 0, leaf of tree 1, …])` over trees of one structure. */
export function implode<T extends Tree<Operand>, R>(fn: (leaves: Operand[]) => R, trees: readonly T[]): Tree<R> {
  if (trees.length === 0) throw new TreeError('implode needs at least one tree');
  const [first, ...rest] = trees as readonly Tree<Operand>[];
  return treeMap<Operand, R>((...leaves) => fn(leaves), first, ...rest);
}

/** Leafwise concatenation along the last axis (dtypes promote: int with float gives f32). */
export const concat = <T extends Tree<Operand>>(trees: readonly T[]): TensorsOf<T> =>
  implode((leaves) => concatenate(leaves, -1), trees) as unknown as TensorsOf<T>;

/** Leafwise stack on a new axis 0. */
export const stack = <T extends Tree<Operand>>(trees: readonly T[]): TensorsOf<T> =>
  implode((leaves) => stackOf(leaves, 0), trees) as unknown as TensorsOf<T>;

/**
 * `explode(fn, tree)`: `fn` maps every leaf to a list; entry i of every list forms tree i. The
 * result is as long as the shortest list (none when the tree has no leaves).
 */
export function explode<L, R>(fn: (leaf: L) => readonly R[], tree: Tree<L>): Tree<R>[] {
  const { leaves, def } = flatten<L>(tree);
  const entries = leaves.map(fn);
  const n = entries.length === 0 ? 0 : Math.min(...entries.map((e) => e.length));
  return Array.from({ length: n }, (_, i) => unflatten(def, entries.map((e) => e[i])));
}

function columns(leaf: Operand): Tensor[] {
  const t = concatenate([leaf], -1);
  const n = t.shape[t.ndim - 1];
  if (typeof n !== 'number') throw new TreeError(`split needs a last axis of known size, got ${t}`);
  return Array.from({ length: n }, (_, i) =>
    slice(t, t.shape.map((_d, ax) => (ax === t.ndim - 1 ? i : 0)), t.shape.map((d, ax) => (ax === t.ndim - 1 ? i + 1 : d))),
  );
}

/** Per-column slices `leaf[..., i:i+1]` of every leaf, regrouped into a list of trees. */
export const split = <T extends Tree<Operand>>(tree: T): TensorsOf<T>[] => explode(columns, tree as Tree<Operand>) as unknown as TensorsOf<T>[];

function rows(leaf: Operand): Tensor[] {
  const t = concatenate([leaf], 0);
  const n = t.shape[0];
  if (typeof n !== 'number') throw new TreeError(`unstack needs a first axis of known size, got ${t}`);
  return Array.from({ length: n }, (_, i) => index(t, i));
}

/** Slices along axis 0 (that axis removed) of every leaf, regrouped into a list of trees. */
export const unstack = <T extends Tree<Operand>>(tree: T): TensorsOf<T>[] => explode(rows, tree as Tree<Operand>) as unknown as TensorsOf<T>[];
