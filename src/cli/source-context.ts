import { readFileSync } from 'node:fs';
import { SourceFile } from '../lang/source.ts';

/**
 * An error of a later pass or of the runtime names the node it is about by its `loc`: when that
 * is a place in a model file, show the line and a caret under it, as the frontend's diagnostics do.
 */
export function withSourceContext(message: string): string {
  const m = /([^\s()@]+\.axon):(\d+):(\d+)/.exec(message);
  if (!m) return message;
  let text: string;
  try {
    text = readFileSync(m[1], 'utf8');
  } catch {
    return message;
  }
  const file = new SourceFile(m[1], text);
  const line = Number(m[2]);
  if (line < 1 || line > file.lineCount) return message;
  const source = file.line(line);
  const gutter = String(line).length;
  const pad = source.slice(0, Number(m[3]) - 1).replace(/[^\t]/g, ' ');
  return `${message}\n ${line} | ${source}\n ${' '.repeat(gutter)} | ${pad}^`;
}
