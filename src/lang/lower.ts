import * as ax from '../builder/index.ts';
import { Tensor } from '../builder/tensor.ts';
import { traceFunction } from '../builder/trace.ts';
import { withNewTrace } from '../builder/trace-context.ts';
import { runOnHost } from '../nn/on-host.ts';
import { Recorder, type Template } from '../nn/zephyr/skeleton.ts';
import { formatType, type Graph, type HostTensor, type TensorType } from '../ir/index.ts';
import type { Span } from './ast.ts';
import { fail } from './diagnostics.ts';
import type { ModelInstance } from './model.ts';
import { Tuple, describe, type CallSite, type LangValue } from './values.ts';

/** One parameter of a lowered model: `hidden.weights`, where it sits in the tree, its type. */
export interface ParamInfo {
  readonly name: string;
  readonly path: readonly string[];
  readonly type: TensorType;
  readonly template: Template;
}

/** What an input or output of a lowered graph is. */
export interface Port {
  readonly name: string;
  readonly kind: 'param' | 'input' | 'output' | 'cotangent' | 'gradient' | 'loss';
  readonly type: TensorType;
}

/** A graph and what its inputs and outputs mean: an entry point of a model (forward, backward, a training step). */
export interface EntryGraph {
  readonly graph: Graph;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
}

export const paramName = (path: readonly string[]): string => path.join('.');

/** The tree of parameter values (specs, tensors, arrays) in the order of `params`, nested by path. */
export function paramTree<T>(params: readonly ParamInfo[], leaves: readonly T[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  params.forEach((p, i) => {
    let node = root;
    for (const k of p.path.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[p.path[p.path.length - 1]] = leaves[i];
  });
  return root;
}

const siteOf = (instance: ModelInstance, span: Span): CallSite => ({ file: instance.evaluator.file, span, call: span });

/** Methods whose parameters are all typed: they can run on their own, so they declare parameters too. */
export function entryMethods(instance: ModelInstance): string[] {
  return instance.decl.members.flatMap((m) => (m.kind === 'method' && m.params.every((p) => p.type) ? [m.name.name] : []));
}

/**
 * Declares the model's parameters by use: runs every entry method once on a zephyr skeleton and
 * on inputs of the declared types; each layer's first call records its parameters' shapes
 * (`param` members are declared whether or not a method reads them).
 * Parameters are ordered by member, in declaration order, then as each layer declared them.
 */
export function declareParams(instance: ModelInstance, methods: readonly string[] = entryMethods(instance)): ParamInfo[] {
  const recorder = new Recorder();
  withNewTrace((ctx) => {
    // A `param` member states its shape: it is a parameter even where no method reads it.
    const members = instance.envFor(recorder.root);
    for (const m of instance.decl.members) if (m.kind === 'param') members.lookup(m.name.name);
    for (const name of methods) {
      const types = instance.entryTypes(name);
      const args = types.map((t) => new Tensor(ctx, ctx.builder.input(t)));
      const m = instance.method(name)!;
      instance.callMethod(name, recorder.root, args.map((value, i) => ({ value, span: m.params[i].span })), siteOf(instance, m.name.span));
    }
  });
  const order = instance.paramMembers.map((m) => m.name.name);
  const templates = [...recorder.templates.values()];
  const rank = (t: Template) => order.indexOf(t.path[0]);
  const sorted = templates.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);
  return sorted.map((t) => ({ name: paramName(t.path), path: t.path, type: { dtype: 'f32', shape: [...t.shape] }, template: t }));
}

/** The parameters' initial values (float32, on the host) for a seed, as each member initialises them. */
export function initialParams(instance: ModelInstance, params: readonly ParamInfo[], seed: number): HostTensor[] {
  if (params.length === 0) return [];
  const templates = params.map((p) => p.template);
  return runOnHost('initialise parameters', (key: ax.Operand) => instance.initTensors(key, templates), [ax.random.key(seed)]) as unknown as HostTensor[];
}

/** A method's result as graph outputs: a tensor, or a tuple of them. */
function outputsOf(v: LangValue, instance: ModelInstance, span: Span, method: string): Tensor[] {
  const file = instance.evaluator.file;
  if (v instanceof Tensor) return [v];
  if (v instanceof Tuple) return v.items.flatMap((x) => outputsOf(x, instance, span, method));
  if (typeof v === 'number') return [ax.add(ax.zeros([]), v)];
  fail('type', `${instance.name}.${method} must return tensors, got ${describe(v)}`, file, span);
}

const outputPorts = (graph: Graph, kind: Port['kind'], base: string): Port[] =>
  graph.outputs.map((o, i) => ({ name: graph.outputs.length === 1 ? base : `${base}.${i}`, kind, type: o.type }));

/** The graph of a method: inputs are the parameters (in `params` order), then the method's arguments. */
export function methodGraph(instance: ModelInstance, params: readonly ParamInfo[], name: string): EntryGraph {
  const m = instance.method(name);
  if (!m) fail('name', `model ${instance.name} has no method ${name}`, instance.evaluator.file, instance.decl.name.span);
  const types = instance.entryTypes(name);
  const specs = paramTree(params, params.map((p) => ax.spec('f32', p.type.shape)));
  const traced = traceFunction(
    (tree: unknown, ...args: Tensor[]) => {
      const site = siteOf(instance, m.name.span);
      const result = instance.callMethod(name, tree, args.map((value, i) => ({ value, span: m.params[i].span })), site);
      return outputsOf(result, instance, m.body.span, name);
    },
    [specs as ax.ArgTree, ...types.map((t) => ax.spec(t.dtype, t.shape))],
  );
  const inputs: Port[] = [
    ...params.map((p) => ({ name: p.name, kind: 'param' as const, type: p.type })),
    ...m.params.map((p, i) => ({ name: p.name.name, kind: 'input' as const, type: types[i] })),
  ];
  return { graph: traced.graph, inputs, outputs: outputPorts(traced.graph, 'output', name === 'forward' ? 'out' : name) };
}

/**
 * The backward pass of a method: inputs are the parameters, the method's arguments and a
 * cotangent per output; outputs are the cotangents of the parameters (ax.vjp of the method with
 * respect to its parameters). Undefined when an output is not f32 (nothing to differentiate).
 */
export function backwardGraph(instance: ModelInstance, params: readonly ParamInfo[], forward: EntryGraph, name = 'forward'): EntryGraph | undefined {
  if (params.length === 0 || forward.outputs.some((o) => o.type.dtype !== 'f32')) return undefined;
  const m = instance.method(name)!;
  const args = forward.inputs.filter((p) => p.kind === 'input');
  const specs = paramTree(params, params.map((p) => ax.spec('f32', p.type.shape)));
  const traced = traceFunction(
    (tree: unknown, ...rest: Tensor[]) => {
      const xs = rest.slice(0, args.length);
      const cts = rest.slice(args.length);
      const site = siteOf(instance, m.name.span);
      const apply = (p: unknown) => {
        const outs = outputsOf(instance.callMethod(name, p, xs.map((value, i) => ({ value, span: m.params[i].span })), site), instance, m.body.span, name);
        return outs.length === 1 ? outs[0] : outs;
      };
      const [, pullback] = ax.vjp(apply, tree as ax.Tree<ax.Tensor>);
      return pullback(cts.length === 1 ? cts[0] : cts)[0];
    },
    [specs as ax.ArgTree, ...args.map((a) => ax.spec(a.type.dtype, a.type.shape)), ...forward.outputs.map((o) => ax.spec(o.type.dtype, o.type.shape))],
  );
  const inputs: Port[] = [
    ...forward.inputs,
    ...forward.outputs.map((o) => ({ name: `${o.name}.cotangent`, kind: 'cotangent' as const, type: o.type })),
  ];
  const outputs: Port[] = params.map((p, i) => ({ name: `${p.name}.gradient`, kind: 'gradient', type: traced.graph.outputs[i].type }));
  return { graph: traced.graph, inputs, outputs };
}

export const describePort = (p: Port): string => `${p.name}: ${formatType(p.type)}`;
