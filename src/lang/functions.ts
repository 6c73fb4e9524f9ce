import * as ax from '../builder/index.ts';
import { isHostTensor } from '../builder/concrete.ts';
import type { Tree } from '../builder/tree.ts';
import type { Dim } from '../ir/index.ts';
import type { Expr, FnDecl, Param, Span, TypeExpr } from './ast.ts';
import { didYouMean, fail } from './diagnostics.ts';
import { Env } from './env.ts';
import type { Evaluator } from './evaluate.ts';
import { checkType, resolveType } from './types.ts';
import { Callable, describe, Hole, Tuple, type ArgValue, type CallSite, type LangValue } from './values.ts';

/** The signature of a declared function or method as users read it: `f(x, y = 1)`. */
export const formatParams = (name: string, params: readonly Param[]): string =>
  `${name}(${params.map((p) => p.name.name + (p.default ? ' = …' : '')).join(', ')})`;

/**
 * Binds a call's arguments to declared parameters (positional, then keywords, then defaults
 * evaluated in `defaults`); reports too many, unknown, repeated and missing arguments.
 */
export function bindParams(
  name: string,
  params: readonly Param[],
  args: readonly ArgValue[],
  site: CallSite,
  defaults: { readonly env: Env; readonly evaluator: Evaluator },
): LangValue[] {
  const values: (LangValue | undefined)[] = params.map(() => undefined);
  const shown = formatParams(name, params);
  let next = 0;
  for (const a of args) {
    if (a.name === undefined) {
      if (values.some((v, i) => v !== undefined && i >= next))
        fail('arity', `a positional argument follows a keyword argument in the call of ${name}`, site.file, a.span);
      if (next >= params.length)
        fail('arity', `${name} takes ${params.length} argument${params.length === 1 ? '' : 's'}, got ${args.filter((x) => !x.name).length}`, site.file, a.span, {
          help: `its signature is ${shown}`,
        });
      values[next++] = a.value;
      continue;
    }
    const i = params.findIndex((p) => p.name.name === a.name);
    if (i < 0)
      fail('arity', `${name} has no parameter '${a.name}'`, site.file, a.span, {
        label: didYouMean(a.name, params.map((p) => p.name.name)),
        help: `its signature is ${shown}`,
      });
    if (values[i] !== undefined) fail('arity', `argument '${a.name}' of ${name} is given twice`, site.file, a.span);
    values[i] = a.value;
  }
  return params.map((p, i) => {
    if (values[i] !== undefined) return values[i]!;
    if (p.default) return defaults.evaluator.eval(p.default, defaults.env);
    fail('arity', `${name} needs argument ${p.name.name}`, site.file, site.call, { help: `its signature is ${shown}` });
  });
}

/** Checks the typed parameters of a call; returns the dim bindings its result is checked with. */
export function checkParamTypes(
  name: string,
  params: readonly Param[],
  values: readonly LangValue[],
  args: readonly ArgValue[],
  site: CallSite,
  env: Env,
  declaredIn: Evaluator,
): Map<string, Dim> {
  const bindings = new Map<string, Dim>();
  params.forEach((p, i) => {
    if (!p.type) return;
    const type = resolveType(p.type, env, declaredIn.file);
    const arg = args.find((a) => a.name === p.name.name) ?? args.filter((a) => a.name === undefined)[i];
    checkType(values[i], type, bindings, `argument ${p.name.name} of ${name}`, site.file, arg?.span ?? site.call);
  });
  return bindings;
}

/** Checks a result against a declared `-> type`. */
export function checkResult(name: string, returns: TypeExpr | undefined, result: LangValue, bindings: Map<string, Dim>, env: Env, evaluator: Evaluator): void {
  if (!returns) return;
  const type = resolveType(returns, env, evaluator.file);
  checkType(result, type, bindings, `the result of ${name}`, evaluator.file, returns.span);
}

/** Values a custom VJP differentiates: tensors and arrays. Numbers, functions and lists stay constants of the rule. */
const isOperand = (v: LangValue): v is ax.Tensor => v instanceof ax.Tensor || isHostTensor(v);

const toTree = (v: LangValue, file: Evaluator['file'], span: Span): Tree<ax.Operand> => {
  if (v instanceof Tuple) return v.items.map((x) => toTree(x, file, span));
  if (v instanceof ax.Tensor || typeof v === 'number' || typeof v === 'boolean' || isHostTensor(v)) return v;
  fail('type', `a function with a vjp rule must return tensors, got ${describe(v)}`, file, span);
};
const fromTree = (t: unknown): LangValue => (Array.isArray(t) ? new Tuple(t.map(fromTree)) : (t as LangValue));

/** `fn name(params) = body [vjp (g) => rule]`: inlined where it is called; with a rule, one custom_vjp node. */
export class UserFunction extends Callable {
  readonly name: string;
  readonly what: string;
  override readonly arity: number;

  constructor(
    readonly decl: FnDecl,
    private readonly env: Env,
    private readonly evaluator: Evaluator,
  ) {
    super();
    this.name = decl.name.name;
    this.what = `the function ${this.name}`;
    this.arity = decl.params.length;
  }

  call(args: readonly ArgValue[], site: CallSite): LangValue {
    const { decl, env, evaluator } = this;
    const values = bindParams(this.name, decl.params, args, site, { env, evaluator });
    const bindings = checkParamTypes(this.name, decl.params, values, args, site, env, evaluator);
    const result = decl.vjp ? this.withRule(values, site) : this.evalBody(decl.body, values);
    checkResult(this.name, decl.returns, result, bindings, env, evaluator);
    return result;
  }

  private scope(values: readonly LangValue[]): Env {
    const inner = new Env(this.env);
    this.decl.params.forEach((p, i) => inner.define(p.name.name, values[i]));
    return inner;
  }

  private evalBody(body: Expr, values: readonly LangValue[], extra?: (env: Env) => void): LangValue {
    const inner = this.scope(values);
    extra?.(inner);
    return this.evaluator.eval(body, inner);
  }

  /**
   * The body as `ax.customVjp`: the tensor arguments are its operands, everything else is a
   * constant of both the body and the rule. The rule sees the parameters by name and returns one
   * cotangent per parameter (a tuple when there are several); `_` is none, and positions of
   * constant arguments are ignored.
   */
  private withRule(values: readonly LangValue[], site: CallSite): LangValue {
    const vjp = this.decl.vjp!;
    const file = this.evaluator.file;
    const operandAt = values.flatMap((v, i) => (isOperand(v) ? [i] : []));
    if (operandAt.length === 0)
      fail('type', `${this.name} has a vjp rule but no tensor argument in this call`, site.file, site.call);
    if (vjp.params.length < 1 || vjp.params.length > 2)
      fail('arity', 'a vjp rule takes the cotangent (g), or the result and the cotangent (y, g)', file, vjp.span);
    const withTensors = (xs: readonly ax.Tensor[]) => {
      const full = [...values];
      operandAt.forEach((i, k) => (full[i] = xs[k]));
      return full;
    };
    const forward = (...xs: ax.Tensor[]) => toTree(this.evalBody(this.decl.body, withTensors(xs)), file, this.decl.body.span) as Tree<ax.Tensor>;
    const backward = (inputs: ax.Tensor[], output: Tree<ax.Tensor>, cotangent: Tree<ax.Tensor>) => {
      const rule = this.evalBody(vjp.body, withTensors(inputs), (env) => {
        const [first, second] = vjp.params;
        if (second) env.define(first.name, fromTree(output)).define(second.name, fromTree(cotangent));
        else env.define(first.name, fromTree(cotangent));
      });
      const n = this.decl.params.length;
      const items = n === 1 && !(rule instanceof Tuple) ? [rule] : rule instanceof Tuple ? rule.items : undefined;
      if (!items || items.length !== n)
        fail('arity', `the vjp rule of ${this.name} must give ${n} cotangent${n === 1 ? '' : 's'} (one per parameter, '_' for none), got ${describe(rule)}`, file, vjp.body.span);
      return operandAt.map((i) => {
        const g = items[i];
        if (g instanceof Hole) return null;
        return this.evaluator.operand(g, vjp.body.span, `the cotangent of ${this.decl.params[i].name.name}`) as ax.Tensor;
      });
    };
    const wrapped = ax.customVjp(forward, backward);
    return fromTree(wrapped(...operandAt.map((i) => values[i] as ax.Tensor)));
  }
}
