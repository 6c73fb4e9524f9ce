import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
import type * as A from './ast.ts';
import { Diagnostic, LangError } from './diagnostics.ts';
import { syntaxError } from './syntax-errors.ts';
import type { SourceFile } from './source.ts';

/** The grammar, read once from grammar/axonic.ohm. */
let grammar: ohm.Grammar | undefined;
let semantics: ohm.Semantics | undefined;

export function axonicGrammar(): ohm.Grammar {
  grammar ??= ohm.grammar(readFileSync(new URL('../../grammar/axonic.ohm', import.meta.url), 'utf8'));
  return grammar;
}

/** Parses a model file; a syntax error throws a LangError with the place, the line, a caret and what was expected. */
export function parseModule(file: SourceFile): A.ModuleAst {
  const match = axonicGrammar().match(file.text);
  if (match.failed()) throw syntaxError(file, match);
  parsing = file;
  try {
    return astSemantics()(match).ast() as A.ModuleAst;
  } finally {
    parsing = undefined;
  }
}

/** The file being turned into an AST, for the one check the grammar cannot make. */
let parsing: SourceFile | undefined;

/**
 * A '(' or '[' that starts a line continues the expression above as a call or an index, which is
 * rarely what was meant (a block's value `(a, b)` after a statement): say so, and how to write either.
 */
function sameLine(callee: N, open: N, what: 'call' | 'index'): void {
  const between = open.source.sourceString.slice(callee.source.endIdx, open.source.startIdx);
  if (!between.includes('\n') || !parsing) return;
  const at = open.source.startIdx;
  throw new LangError([
    new Diagnostic('syntax', `this '${what === 'call' ? '(' : '['}' starts a line, so it ${what === 'call' ? 'calls' : 'indexes'} the expression on the line above`, parsing, { start: at, end: at + 1 }, {
      help: `to start a new expression here, end the line above with ';'; to ${what === 'call' ? 'call' : 'index'} it, move the '${what === 'call' ? '(' : '['}' up to that line`,
    }),
  ]);
}

type N = ohm.Node;
const span = (n: N): A.Span => ({ start: n.source.startIdx, end: n.source.endIdx });
const ident = (n: N): A.Ident => ({ name: n.sourceString, span: span(n) });
const list = <T>(n: N): T[] => n.asIteration().children.map((c: N) => c.ast() as T);
const optional = <T>(n: N): T | undefined => (n.numChildren ? (n.children[0].ast() as T) : undefined);

function binary(op: string, left: N, opNode: N, right: N, whole: N): A.Expr {
  return { kind: 'binary', op: op as A.BinaryOperator, left: left.ast(), right: right.ast(), opSpan: span(opNode), span: span(whole) };
}

function astSemantics(): ohm.Semantics {
  if (semantics) return semantics;
  semantics = axonicGrammar().createSemantics();
  semantics.addOperation('ast', {
    Module(decls) {
      return { decls: decls.children.map((d) => d.ast()) } satisfies A.ModuleAst;
    },
    Import(_kw, path, alias) {
      return { kind: 'import', path: path.ast().value, pathSpan: span(path), alias: optional(alias), span: span(this) };
    },
    ImportAlias(_as, name) {
      return ident(name);
    },
    ConstDecl(_let, name, _eq, value) {
      return { kind: 'const', name: ident(name), value: value.ast(), span: span(this) };
    },
    FnDecl(_fn, name, _lp, params, _rp, returns, body, vjp) {
      return {
        kind: 'fn', name: ident(name), params: list(params), returns: optional(returns), body: body.ast(), vjp: optional(vjp), span: span(this),
      };
    },
    Vjp(_kw, _lp, params, _rp, _arrow, body) {
      return { params: params.asIteration().children.map(ident), body: body.ast(), span: span(this) };
    },
    Param(name, type, dflt) {
      return { name: ident(name), type: optional(type), default: optional(dflt), span: span(this) };
    },
    TypeAnnot(_colon, type) {
      return type.ast();
    },
    Default(_eq, value) {
      return value.ast();
    },
    Returns(_arrow, type) {
      return type.ast();
    },
    Body_expr(_eq, e) {
      return e.ast();
    },
    Block(_lb, stmts, result, _rb) {
      return { kind: 'block', stmts: stmts.children.map((s) => s.ast()), result: result.ast(), span: span(this) };
    },
    Stmt(_let, pattern, _eq, value, _semicolon) {
      const p = pattern.ast() as { names: A.Ident[]; tuple: boolean };
      return { ...p, value: value.ast(), span: span(this) };
    },
    Pattern_name(name) {
      return { names: [ident(name)], tuple: false };
    },
    Pattern_tuple(_lp, names, _rp) {
      return { names: names.asIteration().children.map(ident), tuple: true };
    },
    Type(dtype, _lb, dims, _rb) {
      return { dtype: ident(dtype), dims: list(dims), span: span(this) };
    },
    Dim_size(n) {
      return { kind: 'size', value: Number(n.sourceString), span: span(this) };
    },
    Dim_name(n) {
      return { kind: 'name', name: n.sourceString, span: span(this) };
    },
    ModelDecl(_kw, name, params, _lb, members, _rb) {
      return { kind: 'model', name: ident(name), params: optional(params) ?? [], members: members.children.map((m) => m.ast()), span: span(this) };
    },
    ModelParams(_lp, params, _rp) {
      return list(params);
    },
    ParamDecl(_kw, name, _colon, type, init) {
      return { kind: 'param', name: ident(name), type: type.ast(), init: optional(init), span: span(this) };
    },
    Method(name, _lp, params, _rp, returns, body) {
      return { kind: 'method', name: ident(name), params: list(params), returns: optional(returns), body: body.ast(), span: span(this) };
    },
    LayerDecl(name, _eq, value) {
      return { kind: 'layer', name: ident(name), value: value.ast(), span: span(this) };
    },
    EnergyDecl(_kw, name, params, _lb, members, _rb) {
      return { kind: 'energy', name: ident(name), params: optional(params) ?? [], members: members.children.map((m) => m.ast()), span: span(this) };
    },
    EnergyMember_layer(_kw, name, _colon, type, settings) {
      return { kind: 'layer', name: ident(name), type: type.ast(), settings: settings.children.map((s) => s.ast()), span: span(this) };
    },
    EnergyMember_synapse(_kw, name, _colon, value) {
      return { kind: 'synapse', name: ident(name), value: value.ast(), span: span(this) };
    },
    Setting(name, value) {
      return { name: ident(name), value: value.ast(), span: span(this) };
    },
    TrainDecl(_kw, name, _lb, items, _rb) {
      return { kind: 'train', name: ident(name), items: items.children.map((i) => i.ast()), span: span(this) };
    },
    TrainItem_data(_kw, name, type, value) {
      return { kind: 'data', name: ident(name), type: optional(type), value: optional(value), span: span(this) };
    },
    TrainItem_setting(name, value) {
      return { kind: 'setting', name: ident(name), value: value.ast(), span: span(this) };
    },
    Lambda_params(_lp, params, _rp, _arrow, body) {
      return { kind: 'lambda', params: params.asIteration().children.map(ident), body: body.ast(), span: span(this) };
    },
    Lambda_single(param, _arrow, body) {
      return { kind: 'lambda', params: [ident(param)], body: body.ast(), span: span(this) };
    },
    OrExpr_or(l, op, r) {
      return binary('or', l, op, r, this);
    },
    AndExpr_and(l, op, r) {
      return binary('and', l, op, r, this);
    },
    NotExpr_not(op, e) {
      return { kind: 'unary', op: 'not', operand: e.ast(), opSpan: span(op), span: span(this) };
    },
    CmpExpr_cmp(l, op, r) {
      return binary(op.sourceString, l, op, r, this);
    },
    AddExpr_binary(l, op, r) {
      return binary(op.sourceString, l, op, r, this);
    },
    MulExpr_binary(l, op, r) {
      return binary(op.sourceString, l, op, r, this);
    },
    UnaryExpr_neg(op, e) {
      return { kind: 'unary', op: 'neg', operand: e.ast(), opSpan: span(op), span: span(this) };
    },
    PowExpr_pow(l, op, r) {
      return binary('**', l, op, r, this);
    },
    PostfixExpr_call(callee, lp, args, _rp) {
      sameLine(callee, lp, 'call');
      return { kind: 'call', callee: callee.ast(), args: list(args), span: span(this) };
    },
    PostfixExpr_member(object, _dot, name) {
      return { kind: 'member', object: object.ast(), name: ident(name), span: span(this) };
    },
    PostfixExpr_index(object, lb, items, _rb) {
      sameLine(object, lb, 'index');
      return { kind: 'index', object: object.ast(), items: list(items), span: span(this) };
    },
    Arg_keyword(name, _eq, value) {
      return { name: ident(name), value: value.ast(), span: span(this) };
    },
    Arg_positional(value) {
      return { value: value.ast(), span: span(this) };
    },
    IndexItem_slice(start, _colon, stop) {
      return { kind: 'slice', start: optional(start), stop: optional(stop), span: span(this) };
    },
    IndexItem_at(value) {
      return { kind: 'at', value: value.ast(), span: span(this) };
    },
    Primary_tuple(_lp, first, _comma, rest, _rp) {
      return { kind: 'tuple', items: [first.ast(), ...list<A.Expr>(rest)], span: span(this) };
    },
    Primary_paren(_lp, e, _rp) {
      return e.ast();
    },
    Primary_list(_lb, items, _rb) {
      return { kind: 'list', items: list(items), span: span(this) };
    },
    Primary_number(n) {
      return { kind: 'number', value: Number(n.sourceString), span: span(this) };
    },
    Primary_string(s) {
      return s.ast();
    },
    Primary_true(_t) {
      return { kind: 'bool', value: true, span: span(this) };
    },
    Primary_false(_f) {
      return { kind: 'bool', value: false, span: span(this) };
    },
    Primary_hole(_u) {
      return { kind: 'hole', span: span(this) };
    },
    Primary_name(n) {
      return { kind: 'name', name: n.sourceString, span: span(this) };
    },
    string(_open, chars, _close) {
      return { kind: 'string', value: chars.sourceString, span: span(this) };
    },
    NonemptyListOf(first, _seps, rest) {
      return [first.ast(), ...rest.children.map((c) => c.ast())];
    },
    EmptyListOf() {
      return [];
    },
    _iter(...children) {
      return children.map((c) => c.ast());
    },
  });
  return semantics;
}
