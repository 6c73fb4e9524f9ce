import { isDType, type DType } from './dtype.ts';
import { AxonicError, ParseError, type SourceLoc } from './errors.ts';
import { Value, type Graph, type Node } from './graph.ts';
import { tokenize, type Token, type TokenKind } from './lexer.ts';
import type { AttrKind, AttrValue, OpName } from './op-attrs.ts';
import { isOpName, opDef } from './registry.ts';
import { formatType, sameType, type Dim, type TensorType } from './shape.ts';

/** Parses the text form printed by `printGraph`. Errors carry line:col and a caret. */
export function parseGraph(text: string, file = '<ir>'): Graph {
  return new Parser(text, file).parseFunc();
}

type Scope = Map<string, Value>;

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  private readonly lines: string[];

  constructor(
    text: string,
    private readonly file: string,
  ) {
    ({ tokens: this.tokens, lines: this.lines } = tokenize(text, file));
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private fail(msg: string, tok: Token = this.peek()): never {
    throw new ParseError(msg, tok.line, tok.col, this.lines[tok.line - 1] ?? '', this.file);
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of input' : `'${t.text}'`;
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private is(kind: TokenKind, text?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === kind && (text === undefined || t.text === text);
  }
  private expect(kind: TokenKind, text?: string, what?: string): Token {
    if (!this.is(kind, text)) this.fail(`expected ${what ?? (text ? `'${text}'` : kind)}, found ${this.describe(this.peek())}`);
    return this.next();
  }
  private accept(text: string): boolean {
    if (this.is('punct', text)) {
      this.pos++;
      return true;
    }
    return false;
  }
  /** Parses `item (',' item)*` up to (not including) the closing token. */
  private list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    if (this.is('punct', close)) return out;
    do out.push(item());
    while (this.accept(','));
    return out;
  }

  parseFunc(): Graph {
    this.expect('ident', 'func', `'func'`);
    const name = this.expect('at', undefined, 'a function name like @main').text;
    const scope: Scope = new Map();
    this.expect('punct', '(');
    const inputs = this.list(')', () => this.param(scope));
    this.expect('punct', ')');
    this.expect('punct', '->');
    this.expect('punct', '(');
    const outTypes = this.list(')', () => this.type());
    this.expect('punct', ')');
    this.expect('punct', '{');
    const { nodes, outputs, termTok } = this.body(scope, 'return');
    this.expect('punct', '}');
    if (!this.is('eof')) this.fail(`expected end of input after the function, found ${this.describe(this.peek())}`);
    if (outTypes.length !== outputs.length ||
        outTypes.some((t, i) => !sameType(t, outputs[i].type)))
      this.fail(`return types (${outputs.map((v) => formatType(v.type)).join(', ')}) differ from the signature (${outTypes.map(formatType).join(', ')})`, termTok);
    return { name, inputs, nodes, outputs };
  }

  private param(scope: Scope): Value {
    const tok = this.expect('value', undefined, 'a value like %0');
    this.expect('punct', ':');
    const v = new Value(this.type());
    if (scope.has(tok.text)) this.fail(`value ${tok.text} is defined twice`, tok);
    scope.set(tok.text, v);
    return v;
  }

  private type(): TensorType {
    const tok = this.expect('ident', undefined, 'a type like f32[N,4]');
    if (!isDType(tok.text)) this.fail(`unknown dtype '${tok.text}' (expected f32, i32, u32 or bool)`, tok);
    this.expect('punct', '[');
    const shape = this.list(']', () => this.dim());
    this.expect('punct', ']');
    return { dtype: tok.text as DType, shape };
  }

  private dim(): Dim {
    const t = this.next();
    if (t.kind === 'ident') return t.text;
    if (t.kind === 'number' && /^\d+$/.test(t.text)) return Number(t.text);
    this.fail(`expected a dimension (a size or a name), found ${this.describe(t)}`, t);
  }

  private use(scope: Scope): Value {
    const tok = this.expect('value', undefined, 'a value like %0');
    const v = scope.get(tok.text);
    if (!v) this.fail(`undefined value ${tok.text}`, tok);
    return v;
  }

  private body(scope: Scope, terminator: 'return' | 'yield'): { nodes: Node[]; outputs: Value[]; termTok: Token } {
    const nodes: Node[] = [];
    while (this.is('value')) nodes.push(this.node(scope));
    const termTok = this.expect('ident', terminator, `a node or '${terminator}'`);
    const outputs: Value[] = [];
    if (this.is('value')) outputs.push(...this.list('}', () => this.use(scope)));
    return { nodes, outputs, termTok };
  }

  private node(scope: Scope): Node {
    const first = this.peek();
    const results: { tok: Token; type: TensorType }[] = [];
    do {
      const tok = this.expect('value', undefined, 'a result like %3');
      this.expect('punct', ':');
      results.push({ tok, type: this.type() });
    } while (this.accept(','));
    this.expect('punct', '=');
    const opTok = this.expect('ident', undefined, 'an op name');
    if (!isOpName(opTok.text)) this.fail(`unknown op '${opTok.text}'`, opTok);
    const op: OpName = opTok.text;
    const def = opDef(op);
    const attrs = this.attrs(opTok, def.attrs as Record<string, AttrKind>);
    const inputs: Value[] = [];
    // Operands sit on the op's line: a value on the next line starts the next node.
    if (this.is('value') && this.peek().line === opTok.line) inputs.push(...this.list('', () => this.use(scope)));
    const regions: Graph[] = [];
    const regionNames = def.regions ?? [];
    while (this.is('ident') && this.is('punct', '(', 1)) {
      const nameTok = this.next();
      const expected = regionNames[regions.length];
      if (nameTok.text !== expected)
        this.fail(expected ? `expected region '${expected}' of ${op}, found '${nameTok.text}'` : `${op} takes no more regions`, nameTok);
      const inner: Scope = new Map();
      this.expect('punct', '(');
      const rin = this.list(')', () => this.param(inner));
      this.expect('punct', ')');
      this.expect('punct', '{');
      const { nodes, outputs } = this.body(inner, 'yield');
      this.expect('punct', '}');
      regions.push({ name: nameTok.text, inputs: rin, nodes, outputs });
    }
    if (regions.length !== regionNames.length) this.fail(`${op} needs regions ${regionNames.join(', ')}`, opTok);
    let loc: SourceLoc | undefined;
    if (this.is('at')) loc = this.location(this.next());
    if (def.arity !== 'variadic' && inputs.length !== def.arity)
      this.fail(`${op} takes ${def.arity} operand(s), got ${inputs.length}`, opTok);
    let inferred: TensorType[];
    try {
      inferred = def.infer(inputs.map((v) => v.type), attrs as never, regions);
    } catch (e) {
      if (e instanceof AxonicError) this.fail(e.message, opTok);
      throw e;
    }
    if (inferred.length !== results.length) this.fail(`${op} has ${inferred.length} result(s), ${results.length} written`, first);
    const outputs = results.map(({ tok, type }, i) => {
      if (!sameType(type, inferred[i]))
        this.fail(`result ${tok.text} is written ${formatType(type)} but ${op} gives ${formatType(inferred[i])}`, tok);
      if (scope.has(tok.text)) this.fail(`value ${tok.text} is defined twice`, tok);
      const v = new Value(type);
      scope.set(tok.text, v);
      return v;
    });
    return { op, inputs, outputs, attrs: attrs as never, regions, loc };
  }

  private location(tok: Token): SourceLoc {
    const m = /^(.*):(\d+):(\d+)$/.exec(tok.text);
    if (!m) this.fail(`expected a location like @file.ts:12:5, found '@${tok.text}'`, tok);
    return { file: m[1], line: Number(m[2]), col: Number(m[3]) };
  }

  private attrs(opTok: Token, schema: Record<string, AttrKind>): Record<string, AttrValue> {
    const op = opTok.text;
    const out: Record<string, AttrValue> = {};
    if (this.accept('[')) {
      this.list(']', () => {
        const key = this.expect('ident', undefined, 'an attribute name');
        const kind = schema[key.text];
        if (!kind) this.fail(`${op} has no attribute '${key.text}' (it has: ${Object.keys(schema).join(', ') || 'none'})`, key);
        if (key.text in out) this.fail(`attribute '${key.text}' given twice`, key);
        this.expect('punct', '=');
        out[key.text] = this.attrValue(kind);
      });
      this.expect('punct', ']');
    }
    const missing = Object.keys(schema).filter((k) => !(k in out));
    if (missing.length) this.fail(`${op} needs attribute(s) ${missing.join(', ')}`, opTok);
    return out;
  }

  private attrValue(kind: AttrKind): AttrValue {
    const tok = this.peek();
    switch (kind) {
      case 'int':
        return this.integer();
      case 'number':
        return this.number();
      case 'bool': {
        const t = this.expect('ident', undefined, 'true or false');
        if (t.text !== 'true' && t.text !== 'false') this.fail(`expected true or false, found '${t.text}'`, t);
        return t.text === 'true';
      }
      case 'dtype': {
        const t = this.expect('ident', undefined, 'a dtype');
        if (!isDType(t.text)) this.fail(`unknown dtype '${t.text}'`, t);
        return t.text;
      }
      case 'ints':
      case 'numbers':
      case 'shape': {
        this.expect('punct', '[', `a list '[...]'`);
        const items = this.list(']', () => (kind === 'ints' ? this.integer() : kind === 'numbers' ? this.number() : this.dim()));
        this.expect('punct', ']');
        return items;
      }
    }
    this.fail(`bad attribute`, tok);
  }

  private number(): number {
    const t = this.expect('number', undefined, 'a number');
    const s = t.text.replace(/^(-?)inf$/, '$1Infinity').replace(/^-?nan$/, 'NaN');
    return Number(s);
  }
  private integer(): number {
    const t = this.peek();
    const v = this.number();
    if (!Number.isInteger(v)) this.fail(`expected an integer, found '${t.text}'`, t);
    return v;
  }
}
