/**
 * The syntax tree of a model file (grammar/axonic.ohm). Every node keeps its source span (UTF-16
 * offsets into the file's text) so diagnostics and the IR's `loc` attributes point into the file.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '@' | '**' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'hole'; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'tuple'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'lambda'; readonly params: readonly Ident[]; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: 'neg' | 'not'; readonly operand: Expr; readonly opSpan: Span; readonly span: Span }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly opSpan: Span;
      readonly span: Span;
    }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Arg[]; readonly span: Span }
  | { readonly kind: 'member'; readonly object: Expr; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'index'; readonly object: Expr; readonly items: readonly IndexItem[]; readonly span: Span }
  | { readonly kind: 'block'; readonly stmts: readonly Stmt[]; readonly result: Expr; readonly span: Span };

export interface Arg {
  readonly name?: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export type IndexItem =
  | { readonly kind: 'at'; readonly value: Expr; readonly span: Span }
  | { readonly kind: 'slice'; readonly start?: Expr; readonly stop?: Expr; readonly span: Span };

export interface Stmt {
  /** One name, or several for a tuple pattern `let (a, b) = ...`. */
  readonly names: readonly Ident[];
  readonly tuple: boolean;
  readonly value: Expr;
  readonly span: Span;
}

export type DimExpr = { readonly kind: 'size'; readonly value: number; readonly span: Span } | { readonly kind: 'name'; readonly name: string; readonly span: Span };

export interface TypeExpr {
  readonly dtype: Ident;
  readonly dims: readonly DimExpr[];
  readonly span: Span;
}

export interface Param {
  readonly name: Ident;
  readonly type?: TypeExpr;
  readonly default?: Expr;
  readonly span: Span;
}

export interface VjpClause {
  readonly params: readonly Ident[];
  readonly body: Expr;
  readonly span: Span;
}

export interface FnDecl {
  readonly kind: 'fn';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly returns?: TypeExpr;
  readonly body: Expr;
  readonly vjp?: VjpClause;
  readonly span: Span;
}

export interface MethodDecl {
  readonly kind: 'method';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly returns?: TypeExpr;
  readonly body: Expr;
  readonly span: Span;
}

export type Member =
  | { readonly kind: 'param'; readonly name: Ident; readonly type: TypeExpr; readonly init?: Expr; readonly span: Span }
  | { readonly kind: 'layer'; readonly name: Ident; readonly value: Expr; readonly span: Span }
  | MethodDecl;

export interface ModelDecl {
  readonly kind: 'model';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly members: readonly Member[];
  readonly span: Span;
}

export interface Setting {
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export type EnergyMember =
  | { readonly kind: 'layer'; readonly name: Ident; readonly type: TypeExpr; readonly settings: readonly Setting[]; readonly span: Span }
  | { readonly kind: 'synapse'; readonly name: Ident; readonly value: Expr; readonly span: Span }
  | MethodDecl;

export interface EnergyDecl {
  readonly kind: 'energy';
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly members: readonly EnergyMember[];
  readonly span: Span;
}

export type TrainItem =
  | { readonly kind: 'data'; readonly name: Ident; readonly type?: TypeExpr; readonly value?: Expr; readonly span: Span }
  | { readonly kind: 'setting'; readonly name: Ident; readonly value: Expr; readonly span: Span };

export interface TrainDecl {
  readonly kind: 'train';
  readonly name: Ident;
  readonly items: readonly TrainItem[];
  readonly span: Span;
}

export interface ImportDecl {
  readonly kind: 'import';
  readonly path: string;
  readonly pathSpan: Span;
  readonly alias?: Ident;
  readonly span: Span;
}

export interface ConstDecl {
  readonly kind: 'const';
  readonly name: Ident;
  readonly value: Expr;
  readonly span: Span;
}

export type Decl = ImportDecl | ConstDecl | FnDecl | ModelDecl | EnergyDecl | TrainDecl;

export interface ModuleAst {
  readonly decls: readonly Decl[];
}

/** The span an error about an expression points at: the operator of a binary expression, the callee of a call. */
export function focusOf(e: Expr): Span {
  switch (e.kind) {
    case 'binary':
    case 'unary':
      return e.opSpan;
    case 'call':
      return focusOf(e.callee);
    case 'member':
      return e.name.span;
    default:
      return e.span;
  }
}
