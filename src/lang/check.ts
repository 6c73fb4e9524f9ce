import type * as A from './ast.ts';
import { Builtin } from './builtins/builtin.ts';
import { Diagnostic, didYouMean } from './diagnostics.ts';
import { ENERGY_NAMES } from './energy.ts';
import { LayerConstructor } from './layers.ts';
import type { Module, Program } from './modules.ts';
import { builtinNames } from './scope.ts';
import { TRAIN_NAMES, TRAIN_SETTINGS } from './train-names.ts';
import { Namespace, type LangValue } from './values.ts';

/**
 * The static checks of a program, before anything is lowered: every name resolves, calls of
 * known functions pass arguments their signatures take, names are not declared twice, functions
 * do not recurse, train and energy blocks name what exists. Shapes are checked later, by lowering.
 * Every problem found is reported, not only the first.
 */
export function checkProgram(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of program.modules.values()) new ModuleChecker(m, out).run();
  return out.slice(0, 50);
}

/** What a name stands for, as far as the checker needs to know. */
type Sym =
  | { readonly kind: 'value'; readonly value: LangValue }
  | { readonly kind: 'fn'; readonly decl: A.FnDecl; readonly module: Module }
  | { readonly kind: 'model'; readonly decl: A.ModelDecl; readonly module: Module }
  | { readonly kind: 'method'; readonly decl: A.MethodDecl }
  | { readonly kind: 'module'; readonly module: Module }
  | { readonly kind: 'local' };

class Scope {
  private readonly names = new Map<string, Sym>();
  constructor(readonly parent?: Scope) {}
  define(name: string, sym: Sym): this {
    this.names.set(name, sym);
    return this;
  }
  lookup(name: string): Sym | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
  *all(): Generator<string> {
    yield* this.names.keys();
    if (this.parent) yield* this.parent.all();
  }
}

const LOCAL: Sym = { kind: 'local' };
let builtinScope: Scope | undefined;

function builtins(): Scope {
  if (!builtinScope) {
    builtinScope = new Scope();
    for (const [k, v] of builtinNames()) builtinScope.define(k, { kind: 'value', value: v });
  }
  return builtinScope;
}

/** The scope of names a module declares, as another module sees them. */
function declScope(module: Module, name: string): Sym | undefined {
  const d = module.own.get(name);
  if (!d) return undefined;
  if (d.kind === 'fn') return { kind: 'fn', decl: d, module };
  if (d.kind === 'model') return { kind: 'model', decl: d, module };
  return LOCAL;
}

class ModuleChecker {
  private readonly file;
  /** The function each fn body calls by name, for the recursion check. */
  private readonly calls = new Map<A.FnDecl, { callee: A.FnDecl; span: A.Span }[]>();
  private currentFn: A.FnDecl | undefined;

  constructor(
    private readonly module: Module,
    private readonly out: Diagnostic[],
  ) {
    this.file = module.file;
  }

  private error(code: Diagnostic['code'], message: string, span: A.Span, options?: Diagnostic['options']): void {
    this.out.push(new Diagnostic(code, message, this.file, span, options));
  }

  run(): void {
    const top = new Scope(builtins());
    for (const [name, { module }] of this.module.imported) top.define(name, declScope(module, name) ?? LOCAL);
    for (const [alias, { module }] of this.module.aliases) top.define(alias, { kind: 'module', module });
    for (const [name] of this.module.own) top.define(name, declScope(this.module, name) ?? LOCAL);
    for (const d of this.module.ast.decls) {
      switch (d.kind) {
        case 'import':
          break;
        case 'const':
          this.expr(d.value, top);
          break;
        case 'fn':
          this.fn(d, top);
          break;
        case 'model':
          this.model(d, top);
          break;
        case 'energy':
          this.energy(d, top);
          break;
        case 'train':
          this.train(d, top);
          break;
      }
    }
    this.recursion();
  }

  private unique(idents: readonly A.Ident[], what: string): void {
    const seen = new Map<string, A.Ident>();
    for (const id of idents) {
      const first = seen.get(id.name);
      if (first) this.error('name', `${what} ${id.name} is declared twice`, id.span, { notes: [{ message: 'the first one is here', file: this.file, span: first.span }] });
      else seen.set(id.name, id);
    }
  }

  private params(params: readonly A.Param[], outer: Scope, what: string): Scope {
    this.unique(params.map((p) => p.name), what);
    const inner = new Scope(outer);
    for (const p of params) {
      if (p.default) this.expr(p.default, outer);
      if (p.type) this.type(p.type);
      inner.define(p.name.name, LOCAL);
    }
    return inner;
  }

  private type(t: A.TypeExpr): void {
    if (!['f32', 'i32', 'u32', 'bool'].includes(t.dtype.name))
      this.error('type', `unknown dtype '${t.dtype.name}'`, t.dtype.span, { label: didYouMean(t.dtype.name, ['f32', 'i32', 'u32', 'bool']), help: 'the dtypes are f32, i32, u32 and bool' });
  }

  private fn(d: A.FnDecl, top: Scope): void {
    this.currentFn = d;
    const inner = this.params(d.params, top, 'parameter');
    if (d.returns) this.type(d.returns);
    this.expr(d.body, inner);
    if (d.vjp) {
      this.unique(d.vjp.params, 'vjp parameter');
      const rule = new Scope(inner);
      for (const p of d.vjp.params) rule.define(p.name, LOCAL);
      if (d.vjp.params.length > 2)
        this.error('arity', 'a vjp rule takes the cotangent (g), or the result and the cotangent (y, g)', d.vjp.span);
      this.expr(d.vjp.body, rule);
    }
    this.currentFn = undefined;
  }

  private model(d: A.ModelDecl, top: Scope): void {
    const hyper = this.params(d.params, top, 'hyperparameter');
    const members = new Scope(hyper);
    this.unique(d.members.map((m) => m.name), 'member');
    for (const p of d.params) {
      const clash = d.members.find((m) => m.name.name === p.name.name);
      if (clash) this.error('name', `${p.name.name} is both a hyperparameter and a member of ${d.name.name}`, clash.name.span);
    }
    for (const m of d.members) members.define(m.name.name, m.kind === 'method' ? { kind: 'method', decl: m } : LOCAL);
    for (const m of d.members) {
      if (m.kind === 'layer') this.expr(m.value, hyper);
      else if (m.kind === 'param') {
        this.type(m.type);
        if (m.init) this.expr(m.init, hyper);
      } else {
        const inner = this.params(m.params, members, 'parameter');
        if (m.returns) this.type(m.returns);
        this.expr(m.body, inner);
      }
    }
  }

  private energy(d: A.EnergyDecl, top: Scope): void {
    const hyper = this.params(d.params, top, 'hyperparameter');
    this.unique(d.members.map((m) => m.name), 'member');
    const catalogue = new Scope(hyper);
    for (const name of ENERGY_NAMES) catalogue.define(name, LOCAL);
    const members = new Scope(catalogue);
    for (const m of d.members) members.define(m.name.name, LOCAL);
    for (const m of d.members) {
      if (m.kind === 'layer') {
        this.type(m.type);
        this.unique(m.settings.map((s) => s.name), 'setting');
        for (const s of m.settings) {
          if (!['lagrangian', 'tau', 'bias'].includes(s.name.name))
            this.error('name', `unknown setting '${s.name.name}' of an energy layer`, s.name.span, {
              label: didYouMean(s.name.name, ['lagrangian', 'tau', 'bias']),
              help: 'a layer takes lagrangian, tau and bias',
            });
          this.expr(s.value, catalogue);
        }
      } else if (m.kind === 'synapse') this.expr(m.value, members);
      else this.expr(m.body, this.params(m.params, members, 'parameter'));
    }
  }

  private train(d: A.TrainDecl, top: Scope): void {
    const target = top.lookup(d.name.name);
    if (!target || target.kind !== 'model') {
      this.error('name', target ? `${d.name.name} is not a model` : `train names an unknown model '${d.name.name}'`, d.name.span, {
        label: target ? undefined : didYouMean(d.name.name, [...this.module.own.values()].filter((x) => x.kind === 'model').map((x) => x.name.name)),
      });
      return;
    }
    const model = new Scope(top);
    for (const m of target.decl.members) model.define(m.name.name, m.kind === 'method' ? { kind: 'method', decl: m } : LOCAL);
    const data = new Scope(model);
    const settings = new Scope(top);
    for (const name of TRAIN_NAMES.keys()) settings.define(name, { kind: 'value', value: TRAIN_NAMES.get(name)! });
    const seen = new Map<string, A.Ident>();
    for (const item of d.items) {
      const first = seen.get(item.name.name);
      if (first)
        this.error('name', `${item.kind === 'data' ? 'data' : 'setting'} ${item.name.name} is given twice`, item.name.span, {
          notes: [{ message: 'the first one is here', file: this.file, span: first.span }],
        });
      seen.set(item.name.name, item.name);
      if (item.kind === 'data') {
        if (item.type) this.type(item.type);
        if (item.value) this.expr(item.value, data);
        data.define(item.name.name, LOCAL);
        continue;
      }
      const name = item.name.name;
      if (!TRAIN_SETTINGS.includes(name)) {
        this.error('name', `unknown train setting '${name}'`, item.name.span, { label: didYouMean(name, TRAIN_SETTINGS), help: `the settings are ${TRAIN_SETTINGS.join(', ')}` });
        continue;
      }
      this.expr(item.value, name === 'loss' ? data : name === 'optimizer' || name === 'rule' ? settings : top);
    }
    if (!seen.has('loss')) this.error('name', `the train block of ${d.name.name} has no loss`, d.name.span, { help: 'add one, e.g. loss mse(y, forward(x))' });
    const steps = d.items.find((i) => i.name.name === 'steps');
    const epochs = d.items.find((i) => i.name.name === 'epochs');
    if (steps && epochs) this.error('name', 'give steps or epochs, not both', epochs.name.span);
  }

  private recursion(): void {
    const state = new Map<A.FnDecl, 'open' | 'done'>();
    const visit = (fn: A.FnDecl, chain: string[]): void => {
      state.set(fn, 'open');
      for (const { callee, span } of this.calls.get(fn) ?? []) {
        if (state.get(callee) === 'open') {
          const cycle = [...chain, fn.name.name, callee.name.name];
          const from = cycle.indexOf(callee.name.name);
          this.error('value', `${cycle.slice(from).join(' → ')}: functions cannot recurse`, span, {
            help: 'functions are inlined into the graph where they are called; repeat a computation with loop(trips, body, init)',
          });
        } else if (!state.has(callee)) visit(callee, [...chain, fn.name.name]);
      }
      state.set(fn, 'done');
    };
    for (const fn of this.calls.keys()) if (!state.has(fn)) visit(fn, []);
  }

  private expr(e: A.Expr, scope: Scope): void {
    switch (e.kind) {
      case 'number':
      case 'string':
      case 'bool':
      case 'hole':
        return;
      case 'name':
        if (!scope.lookup(e.name)) this.error('name', `unknown name '${e.name}'`, e.span, { label: didYouMean(e.name, scope.all()) });
        return;
      case 'list':
      case 'tuple':
        for (const i of e.items) this.expr(i, scope);
        return;
      case 'lambda': {
        this.unique(e.params, 'lambda parameter');
        const inner = new Scope(scope);
        for (const p of e.params) inner.define(p.name, LOCAL);
        this.expr(e.body, inner);
        return;
      }
      case 'unary':
        this.expr(e.operand, scope);
        return;
      case 'binary':
        this.expr(e.left, scope);
        this.expr(e.right, scope);
        return;
      case 'member': {
        const target = this.memberTarget(e, scope);
        if (target === 'unknown') this.expr(e.object, scope);
        return;
      }
      case 'index':
        this.expr(e.object, scope);
        for (const item of e.items) {
          if (item.kind === 'at') this.expr(item.value, scope);
          else for (const x of [item.start, item.stop]) if (x) this.expr(x, scope);
        }
        return;
      case 'block': {
        let inner = new Scope(scope);
        for (const s of e.stmts) {
          this.expr(s.value, inner);
          this.unique(s.names, 'name');
          inner = new Scope(inner);
          for (const n of s.names) inner.define(n.name, LOCAL);
        }
        this.expr(e.result, inner);
        return;
      }
      case 'call':
        this.call(e, scope);
        return;
    }
  }

  /** A member of a namespace or module (checked here), or 'unknown' for members of values. */
  private memberTarget(e: A.Expr & { kind: 'member' }, scope: Scope): Sym | 'unknown' | undefined {
    if (e.object.kind !== 'name') return 'unknown';
    const base = scope.lookup(e.object.name);
    if (!base) return 'unknown';
    const name = e.name.name;
    if (base.kind === 'module') {
      const sym = declScope(base.module, name);
      if (!sym) this.error('name', `"${base.module.file.path}" declares no '${name}'`, e.name.span, { label: didYouMean(name, base.module.own.keys()) });
      return sym;
    }
    if (base.kind === 'value' && base.value instanceof Namespace) {
      const v = base.value.members.get(name);
      if (v === undefined) this.error('name', `${base.value.name} has no member '${name}'`, e.name.span, { label: didYouMean(name, base.value.members.keys()) });
      return v === undefined ? undefined : { kind: 'value', value: v };
    }
    return 'unknown';
  }

  private call(e: A.Expr & { kind: 'call' }, scope: Scope): void {
    let callee: Sym | undefined;
    if (e.callee.kind === 'name') {
      this.expr(e.callee, scope);
      callee = scope.lookup(e.callee.name);
    } else if (e.callee.kind === 'member') {
      const t = this.memberTarget(e.callee, scope);
      if (t === 'unknown') this.expr(e.callee, scope);
      else callee = t;
    } else this.expr(e.callee, scope);
    for (const a of e.args) this.expr(a.value, scope);
    if (!callee) return;
    if (callee.kind === 'fn') {
      if (this.currentFn && callee.module === this.module) {
        const list = this.calls.get(this.currentFn) ?? [];
        list.push({ callee: callee.decl, span: e.callee.span });
        this.calls.set(this.currentFn, list);
      }
      this.arity(e, callee.decl.name.name, callee.decl.params.map((p) => ({ name: p.name.name, optional: !!p.default, rest: false })));
    } else if (callee.kind === 'method') this.arity(e, callee.decl.name.name, callee.decl.params.map((p) => ({ name: p.name.name, optional: !!p.default, rest: false })));
    else if (callee.kind === 'model') this.arity(e, callee.decl.name.name, callee.decl.params.map((p) => ({ name: p.name.name, optional: !!p.default, rest: false })));
    else if (callee.kind === 'value' && callee.value instanceof Builtin) this.arity(e, callee.value.name, callee.value.signature.params);
    else if (callee.kind === 'value' && callee.value instanceof LayerConstructor)
      this.arity(e, callee.value.name, callee.value.params.map((p) => ({ name: p.replace(/\?$/, ''), optional: p.endsWith('?'), rest: false })));
  }

  private arity(e: A.Expr & { kind: 'call' }, name: string, params: readonly { name: string; optional: boolean; rest: boolean }[]): void {
    const positional = params.filter((p) => !p.rest);
    const rest = params.some((p) => p.rest);
    const given = e.args.filter((a) => !a.name);
    const shown = `${name}(${params.map((p) => (p.rest ? `*${p.name}` : p.optional ? `${p.name}?` : p.name)).join(', ')})`;
    if (!rest && given.length > positional.length) {
      this.error('arity', `${name} takes ${positional.length} argument${positional.length === 1 ? '' : 's'}, got ${given.length}`, given[positional.length].span, {
        help: `its signature is ${shown}`,
      });
      return;
    }
    const named = new Set(given.slice(0, positional.length).map((_, i) => positional[i].name));
    for (const a of e.args) {
      if (!a.name) continue;
      if (!positional.some((p) => p.name === a.name!.name))
        this.error('arity', `${name} has no parameter '${a.name.name}'`, a.name.span, { label: didYouMean(a.name.name, positional.map((p) => p.name)), help: `its signature is ${shown}` });
      else if (named.has(a.name.name)) this.error('arity', `argument '${a.name.name}' of ${name} is given twice`, a.name.span);
      named.add(a.name.name);
    }
    const missing = positional.filter((p) => !p.optional && !named.has(p.name));
    if (missing.length)
      this.error('arity', `${name} needs argument${missing.length > 1 ? 's' : ''} ${missing.map((p) => p.name).join(', ')}`, e.span, { help: `its signature is ${shown}` });
  }
}

