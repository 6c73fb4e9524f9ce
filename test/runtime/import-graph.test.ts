import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

/**
 * axonic/runtime runs an artifact without the compiler: from its entry point, following every
 * static and literal dynamic import, only runtime/ and the IR's types and helpers (src/ir/) are
 * reached — no pass, no frontend, no builder, no grammar.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
    for (const s of specifiers) if (s.startsWith('.')) visit(resolve(dirname(file), s));
      else seen.add(s);
  };
  visit(resolve(ROOT, entry));
  return seen;
}

test("the runtime's import graph holds no compiler code", () => {
  const files = [...importGraph('runtime/index.ts')].map((f) => (f.startsWith('/') ? relative(ROOT, f) : f));
  expect(files).toContain('runtime/artifact/load.ts');
  expect(files).toContain('runtime/artifact/model.ts');
  const outside = files.filter((f) => !f.startsWith('runtime/') && !f.startsWith('src/ir/') && !f.startsWith('node:'));
  expect(outside).toEqual([]);
  expect(files.filter((f) => /^(passes|src\/(lang|builder|cli|nn)|grammar)\//.test(f) || f === 'ohm-js')).toEqual([]);
});
