import { index, random, type Operand, type Tensor } from '../../builder/index.ts';
import { isConcrete, type Concrete } from '../../builder/concrete.ts';
import { Spec } from '../../builder/spec.ts';
import { Tensor as TensorClass } from '../../builder/tensor.ts';
import { currentTrace, withNewTrace } from '../../builder/trace-context.ts';
import { flatten, unflatten, type Tree } from '../../builder/tree.ts';
import { formatShape, ShapeError } from '../../ir/index.ts';
import { runOnHost } from '../on-host.ts';
import type { Flexible } from './holes.ts';
import { Recorder, pathName, type Template } from './skeleton.ts';

/**
 * A net's parameters as the net reads them. Keys are declared by use, so they cannot be typed
 * ahead: every key reads as `any` (a skeleton while tracing, nested objects of arrays afterwards).
 */
export interface Params {
  readonly [key: string]: any;
}

/** A materialised parameter tree: nested objects (keys in declaration order) of arrays. */
export interface ParamTree {
  readonly [key: string]: ParamTree | Tensor | Concrete;
}

/** What `trace` accepts for a net input: an array, a traced Tensor or an ax.spec (only its type is used). */
export type ExampleOf<T> = T extends TensorClass ? Tensor | Concrete | Spec : T extends object ? { [K in keyof T]: ExampleOf<T[K]> } : T;

function exampleType(leaf: unknown): { dtype: Tensor['dtype']; shape: Tensor['shape'] } | undefined {
  if (leaf instanceof TensorClass || leaf instanceof Spec) return { dtype: leaf.dtype, shape: leaf.shape };
  if (isConcrete(leaf)) return { dtype: leaf.dtype, shape: [...leaf.shape] };
  return undefined;
}

/** Runs `model` on a skeleton and the example inputs' types, collecting its parameter templates. */
function collectTemplates(model: (params: Params, ...inputs: any[]) => unknown, inputs: readonly unknown[]): Template[] {
  const recorder = new Recorder();
  const { leaves, def } = flatten<unknown>(inputs as Tree<unknown>);
  withNewTrace((ctx) => {
    const traced = leaves.map((leaf) => {
      const type = exampleType(leaf);
      return type ? new TensorClass(ctx, ctx.builder.input(type)) : leaf;
    });
    model(recorder.root as Params, ...(unflatten(def, traced) as unknown[]));
  }, currentTrace());
  return [...recorder.templates.values()];
}

/** Builds the tree from the templates, each leaf from its own subkey of `key`. */
function materialise(templates: readonly Template[], key: Operand): ParamTree {
  const tree: Record<string, unknown> = {};
  const keys = templates.length > 0 ? random.split(key, templates.length) : undefined;
  templates.forEach((t, i) => {
    const value = t.initializer(index(keys!, i), t.shape);
    if (formatShape(value.shape) !== formatShape(t.shape))
      throw new ShapeError('zephyr.trace', `the initialiser of ${pathName(t.path)} returned ${value}, declared ${formatShape(t.shape)}`, [], t.site);
    let node = tree;
    for (const k of t.path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[t.path[t.path.length - 1]] = value;
  });
  return tree as ParamTree;
}

/**
 * `trace(model, key, ...inputs)`: the parameters `model(params, ...inputs)` declares, created.
 * The model runs once, symbolically, on a skeleton `params` and on the types of the example
 * inputs (arrays, traced Tensors or ax.spec; other values are passed as they are); every
 * `validate` on the skeleton records a shape and an initialiser. Each parameter then gets its own
 * subkey of `key` (in declaration order) and its initialiser's value. The result is typed as
 * `Params` (every key `any`) because its keys are only known once the model has run; its runtime
 * form is a `ParamTree`. Outside a trace the values
 * are computed on the host (HostTensors); inside one they are traced Tensors.
 *
 *     const params = zephyr.trace(nets.linear(_, _, 256), ax.random.key(0), x);   // {weights, bias}
 */
export function trace<P extends readonly unknown[], O, R>(
  model: Flexible<P, O, R>,
  key: Operand,
  ...inputs: P extends readonly [unknown, ...infer A] ? { [K in keyof A]: ExampleOf<A[K]> } : never
): Params;
export function trace<A extends unknown[]>(
  model: (params: Params, ...inputs: A) => unknown,
  key: Operand,
  ...inputs: { [K in keyof A]: ExampleOf<A[K]> }
): Params;
export function trace(model: (params: Params, ...inputs: unknown[]) => unknown, key: Operand, ...inputs: unknown[]): Params {
  const templates = collectTemplates(model, inputs);
  return runOnHost('zephyr.trace', (k: Operand) => materialise(templates, k), [key]) as Params;
}
