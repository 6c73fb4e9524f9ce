import * as ax from '../builder/index.ts';
import { isHostTensor } from '../builder/concrete.ts';
import { withNewTrace } from '../builder/trace-context.ts';
import { initializerBase, validate, type Initializer as ZephyrInitializer } from '../nn/zephyr/index.ts';
import type { Template } from '../nn/zephyr/skeleton.ts';
import { formatShape, formatType, type TensorType } from '../ir/index.ts';
import type { Member, MethodDecl, ModelDecl } from './ast.ts';
import { fail } from './diagnostics.ts';
import { Env, Lazy } from './env.ts';
import type { Evaluator } from './evaluate.ts';
import { bindParams, checkParamTypes, checkResult } from './functions.ts';
import { listToHost } from './signature.ts';
import { resolveType } from './types.ts';
import { Callable, describe, Initializer, LayerSpec, type ArgValue, type CallSite, type LangValue } from './values.ts';

/** A raw parameter member: `param w: f32[2, 2] = 0.5`. */
interface ParamMember {
  readonly type: TensorType;
  readonly init: ZephyrInitializer;
}

/**
 * A model with its hyperparameters bound: its members (layers, constants, parameters) and
 * methods, evaluated against a parameter tree. The tree is a zephyr skeleton while parameters are
 * declared by use (each layer's first call fixes its parameters' shapes from its input), and the
 * traced parameter tensors afterwards.
 */
export class ModelInstance {
  private statics: Env | undefined;
  private readonly layers = new Map<string, LayerSpec>();
  private readonly params = new Map<string, ParamMember>();

  constructor(
    readonly decl: ModelDecl,
    private readonly scope: Env,
    readonly evaluator: Evaluator,
    private readonly hyper: ReadonlyMap<string, LangValue>,
  ) {}

  get name(): string {
    return this.decl.name.name;
  }

  /** Members that may hold parameters, in declaration order (their order in the parameter tree). */
  get paramMembers(): readonly Member[] {
    return this.decl.members.filter((m) => m.kind !== 'method');
  }

  method(name: string): MethodDecl | undefined {
    return this.decl.members.find((m): m is MethodDecl => m.kind === 'method' && m.name.name === name);
  }

  /** Hyperparameters and the values of `name = expr` members, evaluated once (they are static). */
  private staticEnv(): Env {
    if (this.statics) return this.statics;
    const env = new Env(this.scope);
    for (const [k, v] of this.hyper) env.define(k, v);
    this.statics = env;
    withNewTrace(() => {
      for (const m of this.decl.members) {
        if (m.kind === 'layer') {
          const v = this.evaluator.eval(m.value, env);
          if (v instanceof ax.Tensor)
            fail('type', `member ${m.name.name} is a tensor: a member declared with '=' is a layer or a constant`, this.evaluator.file, m.value.span, {
              help: `compute tensors in a method, or declare a parameter: param ${m.name.name}: ${formatType(v)}`,
            });
          if (v instanceof LayerSpec) this.layers.set(m.name.name, v);
          env.define(m.name.name, v);
        } else if (m.kind === 'param') this.params.set(m.name.name, this.paramMember(m, env));
      }
    });
    return env;
  }

  private paramMember(m: Member & { kind: 'param' }, env: Env): ParamMember {
    const file = this.evaluator.file;
    const type = resolveType(m.type, env, file);
    if (type.dtype !== 'f32') fail('type', `parameters are f32, not ${type.dtype}`, file, m.type.dtype.span);
    const shape = type.shape;
    if (shape.some((d) => typeof d === 'string'))
      fail('shape', `parameter ${m.name.name} needs known sizes, got ${formatShape(shape)}`, file, m.type.span, {
        help: 'a parameter is stored with its values: give every dim a size (a number, a constant or a hyperparameter)',
      });
    if (!m.init) return { type, init: initializerBase };
    const v = this.evaluator.eval(m.init, env);
    if (v instanceof Initializer) return { type, init: v.make };
    if (typeof v === 'number') return { type, init: (_k, s) => ax.full(s, v, 'f32') };
    if (Array.isArray(v) || isHostTensor(v)) {
      const host = Array.isArray(v) ? listToHost(v, file, m.init.span, 'f32') : v;
      if (formatShape(host.shape) !== formatShape(shape))
        fail('shape', `the initial value of ${m.name.name} is ${formatShape(host.shape)}, but the parameter is ${formatShape(shape)}`, file, m.init.span);
      return { type, init: (_k, s) => ax.broadcastTo(ax.astype(host, 'f32'), s) };
    }
    fail('type', `the initial value of ${m.name.name} must be a number, an array or an initialiser like normal(std = 0.1), got ${describe(v)}`, file, m.init.span);
  }

  /** The scope of a method: hyperparameters, constants, layers and parameters bound to `params`, methods. */
  envFor(params: any): Env {
    const env = new Env(this.staticEnv());
    for (const [name, spec] of this.layers) env.define(name, new BoundLayer(name, spec, () => params[name]));
    for (const [name, p] of this.params) env.define(name, new Lazy(() => validate(params[name], p.type.shape, p.init)));
    for (const m of this.decl.members) if (m.kind === 'method') env.define(m.name.name, new BoundMethod(this, m, params));
    return env;
  }

  /** Calls a method with a parameter tree (or skeleton). */
  callMethod(name: string, params: any, args: readonly ArgValue[], site: CallSite): LangValue {
    const m = this.method(name);
    if (!m) fail('name', `model ${this.name} has no method ${name}`, site.file, site.span);
    return new BoundMethod(this, m, params).call(args, site);
  }

  /** The declared argument types of a method, which an entry point needs. */
  entryTypes(name: string): TensorType[] {
    const m = this.method(name)!;
    const env = this.staticEnv();
    return m.params.map((p) => {
      if (!p.type)
        fail('type', `parameter ${p.name.name} of ${this.name}.${name} needs a type to be compiled, like ${p.name.name}: f32[N, 4]`, this.evaluator.file, p.span);
      return resolveType(p.type, env, this.evaluator.file);
    });
  }

  /**
   * The initial values of the parameters in `templates` (paths relative to this model), in their
   * order: each member draws from its own subkey of `key` (split by member position, so adding a
   * member leaves the others' draws as they were), layers as they initialise themselves.
   */
  initTensors(key: ax.Operand, templates: readonly Template[]): ax.Tensor[] {
    this.staticEnv();
    const members = this.paramMembers;
    const out: ax.Tensor[] = new Array(templates.length);
    const keys = members.length ? ax.random.split(key, members.length) : undefined;
    members.forEach((m, i) => {
      const mine = templates.flatMap((t, j) => (t.path[0] === m.name.name ? [{ t: { ...t, path: t.path.slice(1) }, j }] : []));
      if (mine.length === 0) return;
      const k = ax.index(keys!, i);
      const rel = mine.map((x) => x.t);
      const spec = this.layers.get(m.name.name);
      const values = m.kind === 'param' ? [rel[0].initializer(k, rel[0].shape)] : spec?.init ? spec.init(k, rel) : defaultInit(k, rel);
      mine.forEach((x, n) => (out[x.j] = values[n]));
    });
    return out;
  }
}

/** zephyr.trace's initialisation: each template's initialiser with its own subkey. */
function defaultInit(key: ax.Operand, templates: readonly Template[]): ax.Tensor[] {
  const keys = ax.random.split(key, templates.length);
  return templates.map((t, j) => t.initializer(ax.index(keys, j), t.shape));
}

/** A layer member bound to its node of the parameter tree: `hidden(x)`. */
class BoundLayer extends Callable {
  readonly what: string;
  constructor(
    readonly name: string,
    private readonly spec: LayerSpec,
    private readonly node: () => any,
  ) {
    super();
    this.what = `the layer ${name}`;
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    return this.spec.apply(this.node(), args, site);
  }
}

/** A method bound to a parameter tree: `forward(x)` inside another method or a train block. */
class BoundMethod extends Callable {
  readonly name: string;
  readonly what: string;
  constructor(
    private readonly model: ModelInstance,
    private readonly decl: MethodDecl,
    private readonly params: any,
  ) {
    super();
    this.name = decl.name.name;
    this.what = `the method ${model.name}.${this.name}`;
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    const env = this.model.envFor(this.params);
    const evaluator = this.model.evaluator;
    const name = `${this.model.name}.${this.name}`;
    const values = bindParams(name, this.decl.params, args, site, { env, evaluator });
    const bindings = checkParamTypes(name, this.decl.params, values, args, site, env, evaluator);
    const inner = new Env(env);
    this.decl.params.forEach((p, i) => inner.define(p.name.name, values[i]));
    const result = evaluator.eval(this.decl.body, inner);
    checkResult(name, this.decl.returns, result, bindings, env, evaluator);
    return result;
  }
}

/** A model used as a layer of another (`enc = Encoder(width = 64)`): its parameters nest under the member's name. */
export class ModelLayer extends LayerSpec {
  constructor(readonly instance: ModelInstance) {
    super();
  }
  get kind(): string {
    return this.instance.name;
  }
  apply(params: any, inputs: readonly ArgValue[], site: CallSite): LangValue {
    return this.instance.callMethod('forward', params, inputs, site);
  }
  override init(key: ax.Operand, templates: readonly Template[]): ax.Tensor[] {
    return this.instance.initTensors(key, templates);
  }
}

/** A model declaration as a value: called with its hyperparameters, it makes a layer. */
export class ModelConstructor extends Callable {
  readonly name: string;
  readonly what: string;
  constructor(
    readonly decl: ModelDecl,
    private readonly scope: Env,
    private readonly evaluator: Evaluator,
  ) {
    super();
    this.name = decl.name.name;
    this.what = `the model ${this.name}`;
  }
  instantiate(args: readonly ArgValue[], site: CallSite): ModelInstance {
    const values = bindParams(this.name, this.decl.params, args, site, { env: this.scope, evaluator: this.evaluator });
    const hyper = new Map(this.decl.params.map((p, i) => [p.name.name, values[i]] as const));
    for (const [k, v] of hyper)
      if (v instanceof ax.Tensor) fail('type', `hyperparameter ${k} of ${this.name} must be static (a number, a list, a function), got ${describe(v)}`, site.file, site.call);
    return new ModelInstance(this.decl, this.scope, this.evaluator, hyper);
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    return new ModelLayer(this.instantiate(args, site));
  }
}
