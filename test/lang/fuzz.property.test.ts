import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LangError } from '../../src/lang/diagnostics.ts';
import { lowerModel, loadChecked, modelsOf } from '../../src/lang/compile.ts';

/**
 * Parser fuzzing: random mutations of the example model files and random strings never raise
 * anything but a LangError, and every diagnostic has a valid location in a file of the program,
 * a message, and renders. Mutated files are lowered too (shape inference), so the evaluator and
 * the builder are exercised on broken models; no diagnostic may be an internal error.
 */
const MODELS = resolve(import.meta.dirname, '../../examples/models');
const examples = readdirSync(MODELS).filter((f) => f.endsWith('.axon')).map((f) => ({ path: `${MODELS}/${f}`, text: readFileSync(`${MODELS}/${f}`, 'utf8') }));

/** Parses, checks and lowers every model of a text; returns the error, if any. */
function attempt(path: string, text: string): unknown {
  try {
    const program = loadChecked(path, { text });
    for (const model of modelsOf(program.entry)) lowerModel(program, model);
    return undefined;
  } catch (e) {
    return e;
  }
}

function expectDiagnosed(e: unknown, text: string): void {
  if (e === undefined) return;
  if (!(e instanceof LangError)) throw new Error(`not a LangError: ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${text}`);
  expect(e.diagnostics.length).toBeGreaterThan(0);
  for (const d of e.diagnostics) {
    const { line, col } = d.loc;
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(d.file.lineCount);
    expect(col).toBeGreaterThanOrEqual(1);
    expect(col).toBeLessThanOrEqual(d.file.line(line).length + 1);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message, text).not.toMatch(/internal error/);
    expect(d.render()).toContain(`${d.file.path}:${line}:${col}: error: `);
  }
}

const TOKENS = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '->', '=>', '+', '-', '*', '**', '/', '@', '.', ';', '#', '"', ' ', '\n', 'x', 'N', '0', '1.5', '-1', 'fn', 'model', 'let', 'train', 'vjp', 'import', 'param', 'data', 'f32', 'i32', 'linear', 'relu', 'sum', '_', 'loss', 'steps'];

/** One edit of a text: delete a range, insert tokens, duplicate or drop a line, or swap two lines. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), tokens: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('line' as const), at: fc.nat(), other: fc.nat(), op: fc.constantFrom('duplicate', 'drop', 'swap') }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function apply(text: string, m: Mutation): string {
  if (m.kind === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.length);
  }
  if (m.kind === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.tokens.join(' ') + text.slice(at);
  }
  const lines = text.split('\n');
  const i = m.at % lines.length;
  const j = m.other % lines.length;
  if (m.op === 'duplicate') lines.splice(i, 0, lines[i]);
  else if (m.op === 'drop') lines.splice(i, 1);
  else [lines[i], lines[j]] = [lines[j], lines[i]];
  return lines.join('\n');
}

describe('fuzzing the frontend', () => {
  test('random mutations of the examples give typed diagnostics with valid locations', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 3 }), (example, edits) => {
        const text = edits.reduce(apply, example.text);
        expectDiagnosed(attempt(example.path, text), text);
      }),
      { numRuns: 250, seed: 11 },
    );
  });

  test('random strings give typed diagnostics with valid locations', () => {
    const fragments = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.oneof(fragments, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        expectDiagnosed(attempt(`${MODELS}/fuzz.axon`, text), text);
      }),
      { numRuns: 400, seed: 12 },
    );
  });
});
