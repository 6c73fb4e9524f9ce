import { ParseError } from './errors.ts';

export type TokenKind = 'ident' | 'number' | 'value' | 'symbol' | 'at' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  col: number;
}

const PUNCT = ['->', '(', ')', '{', '}', '[', ']', ',', ':', '='];

/**
 * Splits text IR into tokens with positions. `@name` after `func` and a trailing
 * `@file:line:col` location are both `at` tokens; `//` starts a comment.
 */
export function tokenize(text: string, file = '<ir>'): { tokens: Token[]; lines: string[] } {
  const lines = text.split('\n');
  const tokens: Token[] = [];
  lines.forEach((src, li) => {
    let i = 0;
    const line = li + 1;
    const fail = (msg: string): never => {
      throw new ParseError(msg, line, i + 1, src, file);
    };
    while (i < src.length) {
      const ch = src[i];
      if (ch === ' ' || ch === '\t' || ch === '\r') {
        i++;
        continue;
      }
      if (src.startsWith('//', i)) break;
      const start = i;
      const push = (kind: TokenKind, t: string) => tokens.push({ kind, text: t, line, col: start + 1 });
      const p = PUNCT.find((q) => src.startsWith(q, i));
      if (p) {
        push('punct', p);
        i += p.length;
        continue;
      }
      if (ch === '%') {
        const m = /^%[A-Za-z0-9_]+/.exec(src.slice(i));
        if (!m) fail(`expected a value name after '%'`);
        push('value', m![0]);
        i += m![0].length;
        continue;
      }
      if (ch === '@') {
        const m = /^@[^\s(]+/.exec(src.slice(i));
        if (!m) fail(`expected a name or location after '@'`);
        push('at', m![0].slice(1));
        i += m![0].length;
        continue;
      }
      const num = /^-?(?:inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![A-Za-z0-9_])/.exec(src.slice(i));
      if (num) {
        push('number', num[0]);
        i += num[0].length;
        continue;
      }
      const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
      if (id) {
        push('ident', id[0]);
        i += id[0].length;
        continue;
      }
      fail(`unexpected character '${ch}'`);
    }
  });
  const last = lines.length;
  tokens.push({ kind: 'eof', text: '', line: last, col: (lines[last - 1]?.length ?? 0) + 1 });
  return { tokens, lines };
}
