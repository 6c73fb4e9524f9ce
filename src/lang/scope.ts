import { currentTrace } from '../builder/trace-context.ts';
import { ARRAYS } from './builtins/arrays.ts';
import { CREATE, INITIALIZERS, RANDOM } from './builtins/create.ts';
import { MATH } from './builtins/math.ts';
import { NAMESPACES, NEURONS } from './builtins/neurons.ts';
import type { EnergyDecl } from './ast.ts';
import { fail } from './diagnostics.ts';
import { Env, Lazy } from './env.ts';
import { Evaluator } from './evaluate.ts';
import { UserFunction } from './functions.ts';
import { LAYERS } from './layers.ts';
import { ModelConstructor } from './model.ts';
import type { Module, NamedDecl, Program } from './modules.ts';
import { Callable, DTypeValue, Namespace, type ArgValue, type CallSite, type LangValue } from './values.ts';

/** Names every model file sees, before its own: builtins, layer constructors, dtypes, constants. */
export function builtinNames(): ReadonlyMap<string, LangValue> {
  const names = new Map<string, LangValue>();
  for (const table of [MATH, ARRAYS, CREATE, NEURONS, INITIALIZERS]) for (const [k, v] of table) names.set(k, v);
  for (const [k, v] of LAYERS) names.set(k, v);
  for (const [k, v] of NAMESPACES) names.set(k, v);
  names.set('random', new Namespace('random', RANDOM));
  for (const d of ['f32', 'i32', 'u32', 'bool'] as const) names.set(d, new DTypeValue(d));
  names.set('pi', Math.PI);
  names.set('e', Math.E);
  names.set('inf', Infinity);
  names.set('nan', NaN);
  return names;
}

let builtins: Env | undefined;
const builtinEnv = (): Env => {
  if (!builtins) {
    builtins = new Env();
    for (const [k, v] of builtinNames()) builtins.define(k, v);
  }
  return builtins;
};

/** An energy model as a value: the grammar and checks know it, lowering waits for the hamux layers. */
class EnergyValue extends Callable {
  readonly what: string;
  constructor(readonly decl: EnergyDecl) {
    super();
    this.what = `the energy model ${decl.name.name}`;
  }
  get name(): string {
    return this.decl.name.name;
  }
  call(_args: readonly ArgValue[], site: CallSite): LangValue {
    fail('unsupported', `energy models cannot be lowered yet: ${ENERGY_WAITS}`, site.file, site.span);
  }
}

export const ENERGY_WAITS = 'they lower to the hamux layers, Lagrangians and synapses of the energy work, which has not landed yet';

/** The scopes and evaluators of one compilation's modules. */
export class Session {
  private readonly envs = new Map<Module, Env>();
  private readonly evaluators = new Map<Module, Evaluator>();

  constructor(readonly program: Program) {}

  evaluatorOf(module: Module): Evaluator {
    let e = this.evaluators.get(module);
    if (!e) this.evaluators.set(module, (e = new Evaluator(module.file, (path) => this.program.fileOf(path))));
    return e;
  }

  /** The scope of a module's top level: builtins, then its imports, then its own declarations. */
  envOf(module: Module): Env {
    const known = this.envs.get(module);
    if (known) return known;
    const env = new Env(builtinEnv());
    this.envs.set(module, env);
    for (const [name, { module: from }] of module.imported) env.define(name, new Lazy(() => this.envOf(from).lookup(name)!));
    for (const [alias, { module: from }] of module.aliases)
      env.define(alias, new Lazy(() => new Namespace(alias, new Map([...from.own.keys()].map((k) => [k, this.envOf(from).lookup(k)!])))));
    for (const [name, decl] of module.own) env.define(name, this.declValue(decl, module, env));
    return env;
  }

  private declValue(decl: NamedDecl, module: Module, env: Env): Lazy | LangValue {
    const evaluator = this.evaluatorOf(module);
    switch (decl.kind) {
      case 'fn':
        return new UserFunction(decl, env, evaluator);
      case 'model':
        return new ModelConstructor(decl, env, evaluator);
      case 'energy':
        return new EnergyValue(decl);
      case 'train':
        throw new Error('train blocks have no name in the scope');
      case 'const': {
        // A constant may build tensors: they belong to the trace that reads it, so it is evaluated once per trace.
        const outside = {};
        const cache = new WeakMap<object, LangValue>();
        return new Lazy(() => {
          const key = currentTrace() ?? outside;
          let v = cache.get(key);
          if (v === undefined) cache.set(key, (v = evaluator.eval(decl.value, env)));
          return v;
        });
      }
    }
  }

  /** The model named `name` in a module's scope (its own or imported). */
  model(module: Module, name: string): ModelConstructor | undefined {
    const v = this.envOf(module).lookup(name);
    return v instanceof ModelConstructor ? v : undefined;
  }
}
