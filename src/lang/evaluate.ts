import * as ax from '../builder/index.ts';
import { isHostTensor } from '../builder/concrete.ts';
import { atSourceLocation } from '../builder/location.ts';
import type { Operand } from '../builder/operand.ts';
import { AxonicError, isSymbol, ShapeError } from '../ir/index.ts';
import { ParameterShapeError } from '../nn/zephyr/errors.ts';
import { focusOf, type BinaryOperator, type Expr, type IndexItem, type Span, type Stmt } from './ast.ts';
import { Diagnostic, didYouMean, fail, LangError, type Note } from './diagnostics.ts';
import { Env } from './env.ts';
import { listToHost } from './signature.ts';
import type { SourceFile } from './source.ts';
import { Callable, describe, Hole, Namespace, Tuple, type ArgValue, type CallSite, type LangValue } from './values.ts';

/** Finds the file a location names, to show the line of a note in another file. */
export type SourceLookup = (displayedPath: string) => SourceFile | undefined;

/** Functions are inlined where they are called; this deep, the model recurses without end. */
const MAX_DEPTH = 200;

type StaticValue = number | boolean;
const isStatic = (v: LangValue): v is StaticValue => typeof v === 'number' || typeof v === 'boolean';

const floorMod = (a: number, b: number) => a - Math.floor(a / b) * b;

const BINARY: Record<BinaryOperator, { readonly fold?: (a: number, b: number) => LangValue; readonly op: (a: Operand, b: Operand) => ax.Tensor }> = {
  '+': { fold: (a, b) => a + b, op: ax.add },
  '-': { fold: (a, b) => a - b, op: ax.subtract },
  '*': { fold: (a, b) => a * b, op: ax.multiply },
  '/': { fold: (a, b) => a / b, op: ax.divide },
  '%': { fold: floorMod, op: ax.mod },
  '**': { fold: (a, b) => a ** b, op: ax.power },
  '@': { op: ax.matmul },
  '==': { fold: (a, b) => a === b, op: ax.equal },
  '!=': { fold: (a, b) => a !== b, op: ax.notEqual },
  '<': { fold: (a, b) => a < b, op: ax.less },
  '<=': { fold: (a, b) => a <= b, op: ax.lessEqual },
  '>': { fold: (a, b) => a > b, op: ax.greater },
  '>=': { fold: (a, b) => a >= b, op: ax.greaterEqual },
  and: { fold: (a, b) => Boolean(a) && Boolean(b), op: ax.logicalAnd },
  or: { fold: (a, b) => Boolean(a) || Boolean(b), op: ax.logicalOr },
};

/**
 * Evaluates the expressions of one file by calling the builder API: tensors are traced values of
 * the trace in progress, everything else is folded. Every op an expression builds carries the
 * expression's location, and every error of the builder becomes a diagnostic there.
 */
export class Evaluator {
  private depth = 0;
  constructor(
    readonly file: SourceFile,
    readonly sources: SourceLookup,
  ) {}

  eval(e: Expr, env: Env): LangValue {
    switch (e.kind) {
      case 'number':
      case 'string':
      case 'bool':
        return e.value;
      case 'hole':
        return new Hole();
      case 'name': {
        const v = env.lookup(e.name);
        if (v === undefined) fail('name', `unknown name '${e.name}'`, this.file, e.span, { label: didYouMean(e.name, env.names()) });
        return v;
      }
      case 'list':
        return e.items.map((i) => this.eval(i, env));
      case 'tuple':
        return new Tuple(e.items.map((i) => this.eval(i, env)));
      case 'lambda':
        return new Lambda(e.params.map((p) => p.name), e.body, env, this);
      case 'unary':
        return this.unary(e.op, this.eval(e.operand, env), e.operand.span, e.opSpan);
      case 'binary':
        return this.binary(e.op, this.eval(e.left, env), this.eval(e.right, env), e);
      case 'call':
        return this.call(e, env);
      case 'member':
        return this.member(this.eval(e.object, env), e.name.name, e.name.span, e.object.span);
      case 'index':
        return this.index(this.eval(e.object, env), e.items, env, e.span);
      case 'block': {
        const inner = new Env(env);
        for (const s of e.stmts) this.bind(s, this.eval(s.value, inner), inner);
        return this.eval(e.result, inner);
      }
    }
  }

  /** Runs `body` with `span` as the location of the ops it builds; builder errors become diagnostics there. */
  located<T>(span: Span, body: () => T): T {
    try {
      return atSourceLocation(this.file.loc(span), body);
    } catch (e) {
      throw this.diagnose(e, span);
    }
  }

  /** An error raised while lowering the expression at `span`, as a LangError located there. */
  diagnose(e: unknown, span: Span): unknown {
    if (e instanceof LangError) return e;
    if (e instanceof ParameterShapeError) return this.parameterConflict(e, span);
    if (e instanceof ShapeError) {
      const operands = e.operands.length ? ` (operands: ${e.operands.join(', ')})` : '';
      return new LangError([new Diagnostic('shape', `${e.op}: ${e.detail}${operands}`, this.file, span)]);
    }
    if (e instanceof AxonicError) return new LangError([new Diagnostic('type', e.message, this.file, span)]);
    if (e instanceof RangeError && /call stack/.test(e.message))
      return new LangError([new Diagnostic('value', 'the functions called here recurse without end', this.file, span)]);
    const message = e instanceof Error ? e.message : String(e);
    return new LangError([new Diagnostic('value', `internal error of axonic while lowering this expression (please report it): ${message}`, this.file, span)]);
  }

  private parameterConflict(e: ParameterShapeError, span: Span): LangError {
    const name = e.path.replace(/^params\.?/, '').replace(/\[(\d+)\]/g, '.$1');
    const notes: Note[] = [];
    const first = e.first.site;
    const firstFile = first && this.sources(first.file);
    if (first && firstFile) {
      const at = firstFile.offsetOf(first.line, first.col);
      notes.push({ message: `its first use makes it [${e.first.shape.join(', ')}]`, file: firstFile, span: { start: at, end: at + 1 } });
    }
    return new LangError([
      new Diagnostic('shape', `parameter ${name} is [${e.second.shape.join(', ')}] for this use, but [${e.first.shape.join(', ')}] for an earlier one`, this.file, span, {
        notes,
        help: 'a layer has one set of parameters: apply it to inputs of one size, or declare a second layer',
      }),
    ]);
  }

  private call(e: Expr & { kind: 'call' }, env: Env): LangValue {
    const callee = this.eval(e.callee, env);
    const args: ArgValue[] = e.args.map((a) => ({ name: a.name?.name, value: this.eval(a.value, env), span: a.span }));
    const span = focusOf(e);
    if (!(callee instanceof Callable)) fail('type', `${describe(callee)} is not a function and cannot be called`, this.file, span);
    const site: CallSite = { file: this.file, span, call: e.span };
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      fail('value', `calls nest deeper than ${MAX_DEPTH} here: ${callee.name} recurses without end`, this.file, span, {
        help: 'functions are inlined into the graph, so they cannot recurse; use loop(...) to repeat a computation',
      });
    }
    try {
      return this.located(span, () => callee.call(args, site));
    } finally {
      this.depth = Math.max(0, this.depth - 1);
    }
  }

  private bind(s: Stmt, value: LangValue, env: Env): void {
    if (!s.tuple) {
      env.define(s.names[0].name, value);
      return;
    }
    const items = value instanceof Tuple ? value.items : Array.isArray(value) ? value : undefined;
    if (!items) fail('type', `a tuple pattern needs a tuple, got ${describe(value)}`, this.file, s.value.span);
    if (items.length !== s.names.length)
      fail('arity', `the pattern names ${s.names.length} values, but the tuple has ${items.length}`, this.file, s.span);
    s.names.forEach((n, i) => env.define(n.name, items[i]));
  }

  /** An operand of an arithmetic operator or op: tensors, arrays, numbers, booleans and list literals. */
  operand(v: LangValue, span: Span, what: string): Operand {
    if (v instanceof ax.Tensor || isStatic(v) || isHostTensor(v)) return v;
    if (Array.isArray(v)) return listToHost(v, this.file, span);
    fail('type', `${what} must be an array or a number, got ${describe(v)}`, this.file, span);
  }

  private unary(op: 'neg' | 'not', v: LangValue, span: Span, opSpan: Span): LangValue {
    if (op === 'neg' && typeof v === 'number') return -v;
    if (op === 'not' && typeof v === 'boolean') return !v;
    const x = this.operand(v, span, `the operand of ${op === 'neg' ? "'-'" : "'not'"}`);
    return this.located(opSpan, () => (op === 'neg' ? ax.negative(x) : ax.logicalNot(x)));
  }

  private binary(op: BinaryOperator, l: LangValue, r: LangValue, e: Expr & { kind: 'binary' }): LangValue {
    const rule = BINARY[op];
    if (rule.fold && isStatic(l) && isStatic(r)) return rule.fold(Number(l), Number(r));
    const a = this.operand(l, e.left.span, `the left operand of '${op}'`);
    const b = this.operand(r, e.right.span, `the right operand of '${op}'`);
    return this.located(e.opSpan, () => rule.op(a, b));
  }

  private member(v: LangValue, name: string, span: Span, objectSpan: Span): LangValue {
    if (v instanceof Namespace) {
      const m = v.members.get(name);
      if (m === undefined) fail('name', `${v.name} has no member '${name}'`, this.file, span, { label: didYouMean(name, v.members.keys()) });
      return m;
    }
    if (v instanceof ax.Tensor || isHostTensor(v)) {
      switch (name) {
        case 'shape':
          return [...v.shape];
        case 'ndim':
          return v.shape.length;
        case 'dtype':
          return v.dtype;
        case 'T':
          return this.located(span, () => ax.transpose(v));
      }
      fail('name', `a tensor has no member '${name}' (it has shape, ndim, dtype and T)`, this.file, span, { label: didYouMean(name, ['shape', 'ndim', 'dtype', 'T']) });
    }
    fail('type', `${describe(v)} has no members`, this.file, objectSpan);
  }

  private index(v: LangValue, items: readonly IndexItem[], env: Env, span: Span): LangValue {
    const staticInt = (x: Expr | undefined, fallback: number): number => {
      if (!x) return fallback;
      const n = this.eval(x, env);
      if (typeof n !== 'number' || !Number.isInteger(n)) fail('type', `an index must be an integer, got ${describe(n)}`, this.file, x.span);
      return n;
    };
    const items0 = items[0];
    if (Array.isArray(v) || v instanceof Tuple) {
      const list = Array.isArray(v) ? v : v.items;
      if (items.length !== 1 || items0.kind !== 'at') fail('type', 'a list or tuple takes one integer index', this.file, span);
      const i = staticInt(items0.value, 0);
      const at = i < 0 ? list.length + i : i;
      if (at < 0 || at >= list.length) fail('value', `index ${i} is out of range for ${describe(v)}`, this.file, items0.span);
      return list[at];
    }
    if (!(v instanceof ax.Tensor) && !isHostTensor(v)) fail('type', `${describe(v)} cannot be indexed`, this.file, span);
    let x: ax.Tensor | Operand = v;
    let axis = 0;
    for (const item of items) {
      const t = x as ax.Tensor;
      const shape = (t as { shape: readonly (number | string)[] }).shape;
      if (axis >= shape.length) fail('shape', `too many indices for ${describe(v)}`, this.file, item.span);
      const dim = shape[axis];
      if (item.kind === 'at') {
        const i = staticInt(item.value, 0);
        if (axis === 0) x = this.located(item.span, () => ax.index(t, i));
        else {
          if (isSymbol(dim)) fail('shape', `cannot index axis ${axis} of size ${dim} with a number`, this.file, item.span);
          const at = i < 0 ? (dim as number) + i : i;
          const starts = shape.map((_, k) => (k === axis ? at : 0));
          const limits = shape.map((d, k) => (k === axis ? at + 1 : d));
          x = this.located(item.span, () => ax.squeeze(ax.slice(t, starts, limits), axis));
        }
        continue;
      }
      const size = dim;
      const start = staticInt(item.start, 0);
      if (isSymbol(size) && (item.stop || start !== 0))
        fail('shape', `axis ${axis} has the symbolic size ${size}: it can only be taken whole (':')`, this.file, item.span);
      const stop = isSymbol(size) ? size : staticInt(item.stop, size as number);
      const norm = (n: number) => (isSymbol(size) ? n : n < 0 ? (size as number) + n : n);
      const starts = shape.map((_, k) => (k === axis ? norm(start) : 0));
      const limits = shape.map((d, k) => (k === axis ? (typeof stop === 'number' ? norm(stop) : stop) : d));
      x = this.located(item.span, () => ax.slice(t, starts, limits));
      axis++;
    }
    return x as LangValue;
  }
}

/** `(x, y) => body`: a function value that closes over the scope it is written in. */
export class Lambda extends Callable {
  readonly name = 'a lambda';
  readonly what = 'a lambda';
  override readonly arity: number;
  constructor(
    readonly params: readonly string[],
    private readonly body: Expr,
    private readonly env: Env,
    private readonly evaluator: Evaluator,
  ) {
    super();
    this.arity = params.length;
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    if (args.length !== this.params.length || args.some((a) => a.name !== undefined))
      fail('arity', `this lambda takes ${this.params.length} argument${this.params.length === 1 ? '' : 's'}, got ${args.length}`, site.file, site.call);
    const inner = new Env(this.env);
    this.params.forEach((p, i) => inner.define(p, args[i].value));
    return this.evaluator.eval(this.body, inner);
  }
}

