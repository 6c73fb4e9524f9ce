import type { FailedMatchResult } from 'ohm-js';
import { Diagnostic, LangError } from './diagnostics.ts';
import type { SourceFile } from './source.ts';

/**
 * ohm's failure information rewritten for people: where the parse stopped, what was found there,
 * and what could have come instead, with the token families folded into words ("an expression")
 * and the always-possible continuations (operators after an expression) left out when something
 * more telling was expected. Unbalanced brackets are reported at the bracket itself.
 */
export function syntaxError(file: SourceFile, match: FailedMatchResult): LangError {
  const at = match.getRightmostFailurePosition();
  const bracket = bracketProblem(file, at);
  if (bracket) return new LangError([bracket]);
  const failures = (match as unknown as { getRightmostFailures(): Failure[] }).getRightmostFailures();
  const expected = describeExpected(failures.filter((f) => !f.isFluffy()));
  const found = foundAt(file.text, at);
  const message = expected ? `expected ${expected}, found ${found.text}` : `unexpected ${found.text}`;
  const opener = CLOSERS.some((c) => c !== ',' && expected.includes(`'${c}'`)) ? innermostOpen(file.text, found.span.start) : undefined;
  const notes = opener === undefined ? [] : [{ message: `the '${file.text[opener]}' it would close`, file, span: { start: opener, end: opener + 1 } }];
  return new LangError([new Diagnostic('syntax', message, file, found.span, { notes, help: hintFor(file.text, found.span.start, found.text, expected) })]);
}

interface Failure {
  getText(): string;
  getType(): string;
  isFluffy(): boolean;
}

const EXPRESSION_STARTS = new Set(['a name', 'a number', 'a string', '_', 'true', 'false', '[', '(', '-', 'not']);
const CONTINUATIONS = new Set([
  '**', '@', '%', '/', '*', '+', '-', '>', '<', '>=', '<=', '!=', '==', 'or', 'and', '.', '[', '(', '=>', '=', '->',
]);
const CLOSERS = [')', ']', '}', ','];

const quote = (t: string) => (/^[a-z]+ /.test(t) ? t : `'${t}'`);

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const DECLARATION_STARTS = ['fn', 'model', 'energy', 'train', 'import', 'let'];

/** The expected alternatives in words, most telling first, or '' when ohm recorded only lookaheads. */
function describeExpected(failures: readonly Failure[]): string {
  const texts = [...new Set(failures.filter((f) => !f.getText().startsWith('not ')).map((f) => f.getText()))];
  if (texts.length === 0) return '';
  const closers = CLOSERS.filter((c) => texts.includes(c));
  if (closers.length && texts.every((t) => closers.includes(t) || CONTINUATIONS.has(t) || EXPRESSION_STARTS.has(t)))
    return joinOr(closers.map(quote));
  const words: string[] = [];
  let rest = texts;
  if (texts.includes('a name') && texts.includes('a number')) {
    words.push('an expression');
    rest = rest.filter((t) => !EXPRESSION_STARTS.has(t));
  }
  if (texts.includes('end of input')) {
    rest = rest.filter((t) => t !== 'end of input' && !DECLARATION_STARTS.includes(t));
    words.push(`a new declaration (${DECLARATION_STARTS.join(', ')})`);
  }
  const solid = rest.filter((t) => !CONTINUATIONS.has(t));
  const operators = rest.filter((t) => CONTINUATIONS.has(t));
  words.unshift(...solid.map(quote));
  if (words.length === 0) return operators.length > 3 ? 'an operator' : joinOr(operators.map(quote));
  return joinOr(words);
}

const KEYWORDS = new Set(['import', 'as', 'let', 'fn', 'vjp', 'model', 'energy', 'train', 'true', 'false', 'and', 'or', 'not']);
const PUNCTUATION = ['**', '->', '=>', '==', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', ':', '=', '+', '-', '*', '/', '%', '@', '<', '>', '.'];

/** The token at `at`, quoted for a message, and its span (end of file: just after the last character). */
function foundAt(text: string, from: number): { text: string; span: { start: number; end: number } } {
  const at = from + (/^\s*/.exec(text.slice(from))?.[0].length ?? 0);
  if (at >= text.length || /^\s*$/.test(text.slice(at))) {
    const end = text.replace(/\s+$/, '').length;
    return { text: 'the end of the file', span: { start: end, end } };
  }
  const rest = text.slice(at);
  const word = /^[A-Za-z0-9_.]*[A-Za-z0-9_]/.exec(rest)?.[0].replace(/\.$/, '');
  if (word && /^[A-Za-z0-9_]/.test(word)) {
    const w = /^[0-9.]+$/.test(word) ? word : (/^[A-Za-z0-9_]+/.exec(word)?.[0] ?? word);
    const what = KEYWORDS.has(w) ? `the keyword '${w}'` : `'${w}'`;
    return { text: what, span: { start: at, end: at + w.length } };
  }
  if (rest[0] === '"') {
    const close = rest.indexOf('"', 1);
    const newline = rest.indexOf('\n');
    if (close < 0 || (newline >= 0 && newline < close)) return { text: 'a string that is not closed on its line', span: { start: at, end: at + 1 } };
    return { text: `the string ${rest.slice(0, close + 1)}`, span: { start: at, end: at + close + 1 } };
  }
  const punct = PUNCTUATION.find((p) => rest.startsWith(p)) ?? rest[0];
  return { text: `'${punct}'`, span: { start: at, end: at + punct.length } };
}

function hintFor(text: string, at: number, found: string, expected: string): string | undefined {
  const before = text.slice(0, at).replace(/\s+$/, '');
  if (found === "'}'" && expected.includes('an expression')) {
    const lines = before.split('\n');
    for (let i = lines.length - 1; i > 0 && i > lines.length - 8; i--) {
      const line = lines[i].trim();
      const above = lines[i - 1].replace(/#.*$/, '').trimEnd();
      if (/^[([]/.test(line) && /[\w)\]]$/.test(above))
        return `line ${i + 1} starts with '${line[0]}', which continues line ${i} as a call or index: end line ${i} with ';'`;
    }
  }
  if (found === "'='" && /\btrain\b[\s\S]*\{[^}]*$/.test(before))
    return 'train settings are written without "=": loss mse(y, forward(x)), steps 100';
  if (found.startsWith('the keyword') && expected.includes('a name')) return `${found.slice(4)} is reserved: choose another name`;
  if (found === "'^'") return "'^' is not an operator: write x ** 2 for a power";
  if (found === "'='" && expected.includes("'='") === false && /\b(if|where)\b/.test(before)) return "compare with '=='";
  if (expected.startsWith("'('") && /\bfn\s+\w+$/.test(before)) return 'a function lists its parameters: fn name(x, y) = ...';
  return undefined;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The offset of the innermost bracket still open at `at` (outside strings and comments). */
function innermostOpen(text: string, at: number): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < at; i++) {
    const ch = text[i];
    if (ch === '#') while (i < at && text[i] !== '\n') i++;
    else if (ch === '"') {
      i++;
      while (i < at && text[i] !== '"' && text[i] !== '\n') i++;
    } else if (OPENERS[ch]) open.push(i);
    else if (ch === ')' || ch === ']' || ch === '}') open.pop();
  }
  return open[open.length - 1];
}
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * The first unbalanced bracket, outside strings and comments: a closer that does not match the
 * innermost opener (reported when the parse failed at or after it), or an opener still open when
 * the parse failed at the end of the file.
 */
function bracketProblem(file: SourceFile, failedAt: number): Diagnostic | undefined {
  const text = file.text;
  const open: { ch: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i++;
      continue;
    }
    if (OPENERS[ch]) open.push({ ch, at: i });
    else if (CLOSING[ch]) {
      if (i > failedAt) return undefined;
      const top = open.pop();
      if (!top)
        return new Diagnostic('syntax', `unexpected '${ch}': nothing is open here`, file, { start: i, end: i + 1 }, { help: `remove it, or add the '${CLOSING[ch]}' it closes` });
      if (OPENERS[top.ch] !== ch)
        return new Diagnostic('syntax', `expected '${OPENERS[top.ch]}', found '${ch}'`, file, { start: i, end: i + 1 }, {
          notes: [{ message: `to close this '${top.ch}'`, file, span: { start: top.at, end: top.at + 1 } }],
        });
    }
  }
  const atEnd = /^\s*$/.test(text.slice(failedAt));
  const last = open[open.length - 1];
  if (atEnd && last)
    return new Diagnostic('syntax', `unclosed '${last.ch}': the file ends before it is closed`, file, { start: last.at, end: last.at + 1 }, {
      help: `add '${OPENERS[last.ch]}' to close it`,
    });
  return undefined;
}
