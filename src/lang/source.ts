import type { SourceLoc } from '../ir/index.ts';
import type { Span } from './ast.ts';

/** A model file's text and where its lines start, to turn offsets into line:col. */
export class SourceFile {
  private readonly lineStarts: number[] = [0];

  /** `path` is the file as the user named it (relative paths stay relative): diagnostics and `loc`s show it. */
  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; col: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - this.lineStarts[lo] + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  line(n: number): string {
    const start = this.lineStarts[n - 1] ?? this.text.length;
    const next = this.lineStarts[n];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** The offset of a 1-based line and column. */
  offsetOf(line: number, col: number): number {
    return Math.min((this.lineStarts[line - 1] ?? this.text.length) + col - 1, this.text.length);
  }

  loc(span: Span): SourceLoc {
    return { file: this.path, ...this.position(span.start) };
  }

  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }
}
