import * as ax from '../builder/index.ts';
import { isHostTensor } from '../builder/concrete.ts';
import { lift } from '../builder/operand.ts';
import { Tensor } from '../builder/tensor.ts';
import { traceFunction } from '../builder/trace.ts';
import { runOnHost } from '../nn/on-host.ts';
import * as pn from '../nn/pyneurons/index.ts';
import { formatShape, formatType, isSymbol, type HostTensor, type TensorType } from '../ir/index.ts';
import type { Expr, TrainDecl, TrainItem } from './ast.ts';
import { fail } from './diagnostics.ts';
import type { Evaluator } from './evaluate.ts';
import { Env, Lazy } from './env.ts';
import { paramTree, type EntryGraph, type ParamInfo, type Port } from './lower.ts';
import type { ModelInstance } from './model.ts';
import type { Module } from './modules.ts';
import type { Session } from './scope.ts';
import { listToHost } from './signature.ts';
import { AVAILABLE, TRAIN_NAMES } from './train-names.ts';
import { checkType, resolveType } from './types.ts';
import { describe, TrainSetting } from './values.ts';

/** One `data` item of a train block: its type, and its values when the file gives them. */
export interface DataItem {
  readonly name: string;
  /** The declared type, else the type of the values. */
  readonly type: TensorType;
  /** Undefined when the values come from outside (the CLI's --data, the API). */
  readonly value?: HostTensor;
}

/** A train block lowered: data, schedule and the graph of one optimizer step. */
export interface TrainPlan {
  readonly model: string;
  readonly data: readonly DataItem[];
  /** Optimizer steps in all. */
  readonly steps: number;
  /** Rows per step (undefined: all the data in every step). */
  readonly batch?: number;
  /** The seed of the parameters' initial values. */
  readonly seed: number;
  readonly optimizer: { readonly kind: string; readonly lr: number };
  readonly rule: string;
  /** inputs: the parameters then the data; outputs: the loss (before the update), then the updated parameters. */
  readonly step: EntryGraph;
  /** The same with epochs: with `epochs E`, steps = E × ceil(rows / batch) once rows are known. */
  readonly epochs?: number;
}

const WAITS =
  'optimizers other than gd/sgd and learning rules other than bp lower to the learning-rule work (optax-style optimizers; EP, PC and BiPC), which has not landed yet';

/** Lowers a train block: evaluates its data on the host, reads its settings, traces one training step. */
export function lowerTrain(session: Session, module: Module, decl: TrainDecl, instance: ModelInstance, params: readonly ParamInfo[]): TrainPlan {
  const evaluator = session.evaluatorOf(module);
  const file = module.file;
  const top = session.envOf(module);
  const setting = (name: string): (TrainItem & { kind: 'setting' }) | undefined =>
    decl.items.find((i): i is TrainItem & { kind: 'setting' } => i.kind === 'setting' && i.name.name === name);
  const staticNumber = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const item = setting(name);
    if (!item) return fallback;
    const v = evaluator.eval(item.value, top);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      fail('value', `${name} must be an integer of at least ${min}, got ${describe(v)}`, file, item.value.span);
    return v;
  };

  // Data, in order: each may use the ones before it.
  const dataEnv = new Env(top);
  const data: DataItem[] = [];
  for (const item of decl.items) {
    if (item.kind !== 'data') continue;
    const declared = item.type ? resolveType(item.type, top, file) : undefined;
    const value = item.value ? hostData(item.value, item.name.name, declared, dataEnv, evaluator) : undefined;
    if (!declared && !value) fail('type', `data ${item.name.name} needs a type or a value`, file, item.name.span, { help: `data ${item.name.name}: f32[N, 2] (given to axonic train with --data ${item.name.name}=file.npy)` });
    if (value) dataEnv.define(item.name.name, value);
    data.push({ name: item.name.name, type: declared ?? { dtype: value!.dtype, shape: [...value!.shape] }, value });
  }
  if (data.length === 0) fail('name', `the train block of ${decl.name.name} declares no data`, file, decl.name.span, { help: 'add data items: data x: f32[N, 2] = [[0, 1], [1, 0]]' });

  const batch = staticNumber('batch', undefined, 1);
  if (batch !== undefined)
    for (const [i, d] of data.entries())
      if (!isSymbol(d.type.shape[0] ?? 0)) {
        const item = decl.items.filter((x) => x.kind === 'data')[i];
        fail('shape', `with batch, data ${d.name} needs a symbolic first dim (rows are taken batch by batch), got ${formatType(d.type)}`, file, item.name.span, {
          help: `declare it like data ${d.name}: ${d.type.dtype}[N${d.type.shape.slice(1).map((s) => `, ${s}`).join('')}]`,
        });
      }
  const epochs = staticNumber('epochs', undefined, 0);
  let steps = staticNumber('steps', undefined, 0);
  if (steps === undefined && epochs === undefined)
    fail('value', `the train block of ${decl.name.name} needs steps or epochs`, file, decl.name.span, { help: 'add: steps 100' });
  if (steps === undefined) {
    const rows = data.find((d) => d.value)?.value?.shape[0];
    steps = batch === undefined ? epochs! : rows === undefined ? -1 : epochs! * Math.ceil(rows / batch);
  }
  const seed = staticNumber('seed', 0, 0)!;

  const optimizer = trainSetting(setting('optimizer'), 'optimizer', evaluator, file) ?? fail('value', `the train block of ${decl.name.name} needs an optimizer`, file, decl.name.span, { help: 'add: optimizer gd(lr = 0.1)' });
  const lr = optimizer.options.get('lr');
  if (typeof lr !== 'number') fail('type', `the learning rate must be a number, got ${describe(lr)}`, file, setting('optimizer')!.value.span);
  const rule = trainSetting(setting('rule'), 'rule', evaluator, file)?.kind ?? 'bp';

  const lossItem = setting('loss')!;
  const step = stepGraph(instance, params, data, lossItem.value, lr, session, module);
  return { model: decl.name.name, data, steps, batch, seed, optimizer: { kind: optimizer.kind, lr }, rule, step, epochs };
}

function trainSetting(item: (TrainItem & { kind: 'setting' }) | undefined, role: 'optimizer' | 'rule', evaluator: Evaluator, file: Module['file']): TrainSetting | undefined {
  if (!item) return undefined;
  const env = new Env();
  for (const [k, v] of TRAIN_NAMES) env.define(k, v);
  const v = evaluator.eval(item.value, env);
  if (!(v instanceof TrainSetting) || v.role !== role)
    fail('type', `${role} must be ${role === 'optimizer' ? 'an optimizer like gd(lr = 0.1)' : 'a learning rule: bp, ep(...), pc(...) or bipc(...)'}, got ${describe(v)}`, file, item.value.span);
  if (!AVAILABLE.has(v.kind)) fail('unsupported', `${role} ${v.kind} is not available in this build of axonic: ${WAITS}`, file, item.value.span);
  return v;
}

/** A data item's values, computed on the host (random draws, arithmetic on earlier data), as the declared type. */
function hostData(expr: Expr, name: string, declared: TensorType | undefined, env: Env, evaluator: Evaluator): HostTensor {
  const file = evaluator.file;
  const host = runOnHost(`data ${name}`, () => {
    const v = evaluator.eval(expr, env);
    if (Array.isArray(v)) return listToHost(v, file, expr.span, declared?.dtype);
    if (!(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean' && !isHostTensor(v))
      fail('type', `data ${name} must be an array, got ${describe(v)}`, file, expr.span);
    const t = evaluator.located(expr.span, () => (typeof v === 'number' ? ax.full([], v, 'f32') : lift('data', v)));
    return declared && t.dtype !== declared.dtype ? evaluator.located(expr.span, () => ax.astype(t, declared.dtype)) : t;
  }, []) as unknown as HostTensor;
  if (declared) {
    const dims = declared.shape;
    const bad = host.shape.length !== dims.length || dims.some((d, i) => !isSymbol(d) && d !== host.shape[i]);
    if (bad) fail('shape', `data ${name} is declared ${formatType(declared)}, but its values are ${host.dtype}${formatShape(host.shape)}`, file, expr.span);
  }
  return host;
}

/**
 * One step of gradient descent by backprop, as the builder writes it: the loss and its gradient
 * with respect to the parameters (ax.valueAndGrad), then pyneurons' gd(lr, w, g) = w − lr·g
 * on every parameter.
 */
function stepGraph(instance: ModelInstance, params: readonly ParamInfo[], data: readonly DataItem[], loss: Expr, lr: number, session: Session, module: Module): EntryGraph {
  const evaluator = session.evaluatorOf(module);
  const lossOf = (tree: unknown, ...xs: Tensor[]) => {
    const members = instance.envFor(tree);
    const env = new Env(session.envOf(module));
    for (const m of instance.decl.members) env.define(m.name.name, new Lazy(() => members.lookup(m.name.name)!));
    data.forEach((d, i) => env.define(d.name, xs[i]));
    const v = evaluator.eval(loss, env);
    if (v instanceof Tensor && (v.shape.length !== 0 || v.dtype !== 'f32'))
      fail('shape', `the loss must be a scalar f32[], got ${formatType(v)}`, evaluator.file, loss.span, { help: 'reduce it to one number, e.g. mean(...) or sum(...)' });
    checkType(v, { dtype: 'f32', shape: [] }, new Map(), 'the loss', evaluator.file, loss.span);
    return v as Tensor;
  };
  const specs = paramTree(params, params.map((p) => ax.spec('f32', p.type.shape)));
  const traced = traceFunction(
    (tree: ax.Tree<ax.Tensor>, ...xs: Tensor[]) => {
      const [value, grads] = ax.valueAndGrad(lossOf)(tree, ...xs);
      const next = ax.treeMap((w: ax.Tensor, g: ax.Tensor) => pn.gd(lr, w, g), tree, grads);
      return [value, next];
    },
    [specs as ax.ArgTree, ...data.map((d) => ax.spec(d.type.dtype, d.type.shape))],
  );
  const inputs: Port[] = [
    ...params.map((p) => ({ name: p.name, kind: 'param' as const, type: p.type })),
    ...data.map((d) => ({ name: d.name, kind: 'input' as const, type: d.type })),
  ];
  const outputs: Port[] = [
    { name: 'loss', kind: 'loss', type: traced.graph.outputs[0].type },
    ...params.map((p) => ({ name: p.name, kind: 'param' as const, type: p.type })),
  ];
  return { graph: traced.graph, inputs, outputs };
}
