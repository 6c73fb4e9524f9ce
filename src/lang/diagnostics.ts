import { AxonicError, type SourceLoc } from '../ir/index.ts';
import type { Span } from './ast.ts';
import type { SourceFile } from './source.ts';

/**
 * What kind of mistake a diagnostic reports: tests and tools switch on it.
 * - syntax: the text does not parse
 * - name: an unknown or duplicate name
 * - arity: a call with the wrong arguments
 * - type: a value of the wrong kind (a layer where a tensor goes, a dtype that does not exist)
 * - shape: shapes or dtypes that do not fit (from the op's shape rule)
 * - import: a file that cannot be read, or a cycle of imports
 * - value: a value out of range (a negative size, a learning rate that is not a number)
 * - unsupported: a construct of the language that this build cannot lower yet
 */
export type DiagnosticCode = 'syntax' | 'name' | 'arity' | 'type' | 'shape' | 'import' | 'value' | 'unsupported';

/** A secondary place that explains the error (where a name was first declared, the import that closes a cycle). */
export interface Note {
  readonly message: string;
  readonly file?: SourceFile;
  readonly span?: Span;
}

/** One error in a model file: where, what, and what would fix it. */
export class Diagnostic {
  constructor(
    readonly code: DiagnosticCode,
    readonly message: string,
    readonly file: SourceFile,
    readonly span: Span,
    readonly options: { readonly label?: string; readonly notes?: readonly Note[]; readonly help?: string } = {},
  ) {}

  get loc(): SourceLoc {
    return this.file.loc(this.span);
  }

  /** `file:line:col: error: message`, the source line, a caret under the span, then notes and help. */
  render(): string {
    const head = renderAt(this.file, this.span, 'error', this.message, this.options.label);
    const notes = (this.options.notes ?? []).map((n) =>
      n.file && n.span ? renderAt(n.file, n.span, 'note', n.message) : `  = note: ${n.message}`,
    );
    const help = this.options.help ? [`  = help: ${this.options.help}`] : [];
    return [head, ...notes, ...help].join('\n');
  }
}

function renderAt(file: SourceFile, span: Span, severity: string, message: string, label?: string): string {
  const { line, col } = file.position(span.start);
  const end = file.position(Math.max(span.end, span.start));
  const text = file.line(line);
  // A span that runs onto later lines is underlined to the end of its first line.
  const width = Math.max(1, (end.line === line ? end.col : text.length + 1) - col);
  const gutter = String(line).length;
  // Keep tabs under tabs so the caret lines up however the terminal shows them.
  const pad = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  const caret = `${pad}${'^'.repeat(width)}${label ? ` ${label}` : ''}`;
  return [
    `${file.path}:${line}:${col}: ${severity}: ${message}`,
    ` ${String(line).padStart(gutter)} | ${text}`,
    ` ${' '.repeat(gutter)} | ${caret}`,
  ].join('\n');
}

/** Errors in a model file: one or more diagnostics, rendered together as the message. */
export class LangError extends AxonicError {
  override name = 'LangError';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.render()).join('\n\n'));
  }
  /** The kind of the first error. */
  get code(): DiagnosticCode {
    return this.diagnostics[0].code;
  }
}

/** Throws one diagnostic as a LangError. */
export function fail(code: DiagnosticCode, message: string, file: SourceFile, span: Span, options?: Diagnostic['options']): never {
  throw new LangError([new Diagnostic(code, message, file, span, options)]);
}

/** The closest of `candidates` to `name` (edit distance at most a third of its length, ties alphabetical), for "did you mean". */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d > limit || d > bestDistance || (d === bestDistance && best !== undefined && c >= best)) continue;
    best = c;
    bestDistance = d;
  }
  return best;
}

/** Edits between two words: insertions, deletions, substitutions and swaps of neighbours (Damerau). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

export const didYouMean = (name: string, candidates: Iterable<string>): string | undefined => {
  const c = closest(name, candidates);
  return c === undefined ? undefined : `did you mean '${c}'?`;
};
