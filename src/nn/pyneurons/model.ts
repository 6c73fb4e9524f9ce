import { isTreeNode, treeNode, type Tree, type TreeNode, type TreeNodeParts } from '../../builder/tree.ts';
import { runOnHost } from '../on-host.ts';

/**
 * pyneurons' models (SEMANTICS 1.1): a parameter tree plus the apply function of its class.
 * A model is callable — `model(x)` is `applyTree(model.tree, x)` — and is a tree node whose leaves
 * are the leaves of its tree, so `ax.grad` of a loss over a model returns a model of the same
 * class holding gradients, `ax.treeMap` over models returns a model, and `ax.jit` and `ax.loop`
 * take and return models.
 */
export interface Model<T = unknown, A extends unknown[] = any[], R = unknown> extends TreeNode {
  (...args: A): R;
  readonly tree: T;
}

/** A model class made by `bind` or `compose`: `new Cls(...args)` builds a tree with `constructTree`. */
export interface ModelClass<C extends unknown[] = any[], T = unknown, A extends unknown[] = any[], R = unknown> {
  new (...args: C): Model<T, A, R>;
  readonly prototype: Model<T, A, R>;
  readonly modelName: string;
  /** Builds the parameter tree (upstream's `constructor` hook). */
  readonly constructTree: (...args: C) => T;
  /** Applies a parameter tree to inputs (upstream's `apply` hook). */
  readonly applyTree: (tree: T, ...args: A) => R;
  /** A model of this class around an existing tree, nothing constructed (upstream's `Model(Box(tree))`). */
  of(tree: T): Model<T, A, R>;
}

type AnyModelClass = ModelClass<unknown[], unknown, unknown[], unknown> & { readonly typeKey: string };

/** Marks the constructor call that wraps an existing tree. */
const WRAP: unique symbol = Symbol('pyneurons.wrap');
let nextTypeId = 1;

/**
 * The root of every model class. Its constructor returns a function object whose prototype is the
 * class's, so an instance is callable and `instanceof` still holds. Outside a trace the tree is
 * built on the host (see runOnHost), so `new Neuron(key, 3)` gives concrete parameters.
 */
class ModelRoot {
  declare readonly tree: unknown;

  constructor(...args: unknown[]) {
    const cls = new.target as unknown as AnyModelClass;
    const tree = args[0] === WRAP ? args[1] : runOnHost(cls.modelName, cls.constructTree, args);
    const self = (...inputs: unknown[]) => cls.applyTree(tree, ...inputs);
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, 'tree', { value: tree, enumerable: true });
    return self as unknown as ModelRoot;
  }

  static of(this: AnyModelClass, tree: unknown): unknown {
    return new (this as unknown as new (...args: unknown[]) => unknown)(WRAP, tree);
  }

  [treeNode](): TreeNodeParts {
    const cls = this.constructor as unknown as AnyModelClass;
    return { type: cls.typeKey, children: this.tree as Tree<unknown>, rebuild: (tree) => cls.of(tree) };
  }

  toString(): string {
    return `${(this.constructor as unknown as AnyModelClass).modelName} model`;
  }
}

function defineModelClass(name: string, parent: abstract new (...args: any[]) => unknown, constructTree: unknown, applyTree: unknown) {
  const cls = { [name]: class extends (parent as typeof ModelRoot) {} }[name];
  Object.defineProperties(cls, {
    modelName: { value: name },
    constructTree: { value: constructTree },
    applyTree: { value: applyTree },
    // Part of the tree structure: models of different classes (or apply functions) never match.
    typeKey: { value: `${name}#${nextTypeId++}` },
  });
  return cls;
}

/**
 * `bind(name, constructTree, applyTree)`: a new model class. Also `bind(constructTree, applyTree)`
 * (a class named "Model") and `bind(value, applyTree)`: one model wrapping the tree `value`.
 *
 *     const XOR = bind('XOR', (key) => { const [ka, kb] = ax.random.split(key);
 *       return [new Binary(ka, 2), new Binary(kb, 3)] as const; },
 *       ([a, b], x) => b(concat([x, a(x)])));
 */
export function bind<T extends TreeNode, A extends unknown[], R>(value: T, applyTree: (tree: T, ...args: A) => R): Model<T, A, R>;
export function bind<C extends unknown[], T, A extends unknown[], R>(
  name: string,
  constructTree: (...args: C) => T,
  applyTree: (tree: T, ...args: A) => R,
): ModelClass<C, T, A, R>;
export function bind<C extends unknown[], T, A extends unknown[], R>(
  constructTree: (...args: C) => T,
  applyTree: (tree: T, ...args: A) => R,
): ModelClass<C, T, A, R>;
export function bind<T, A extends unknown[], R>(value: T, applyTree: (tree: T, ...args: A) => R): Model<T, A, R>;
export function bind(first: unknown, second: unknown, third?: unknown): unknown {
  if (typeof first === 'string') return defineModelClass(first, ModelRoot, second, third);
  if (typeof first === 'function' && !isTreeNode(first)) return defineModelClass('Model', ModelRoot, first, second);
  const cls = defineModelClass('Model', ModelRoot, (tree: unknown) => tree, second) as unknown as AnyModelClass;
  return cls.of(first);
}

/**
 * `compose(name, cls, fn)`: a subclass of `cls` whose call is `fn(cls's call)` on one input, e.g.
 * `Binary = compose('Binary', Neuron, binary)`.
 */
export function compose<C extends unknown[], T, X, Y, R>(
  name: string,
  cls: ModelClass<C, T, [x: X], Y>,
  fn: (y: Y) => R,
): ModelClass<C, T, [x: X], R> {
  const applyTree = (tree: T, x: X): R => fn(cls.applyTree(tree, x));
  return defineModelClass(name, cls, cls.constructTree, applyTree) as unknown as ModelClass<C, T, [x: X], R>;
}
