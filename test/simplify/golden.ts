import { expect } from 'vitest';
import { parseGraph, printGraph, verifyGraph } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { simplify, type SimplifyOptions } from '../../passes/simplify/index.ts';
import { expectClose, expectIdentical, sampleInputs } from './values.ts';

export const lines = (...ls: string[]): string => ls.join('\n') + '\n';

/** One golden case: IR text in, the simplified text expected (written by hand). */
export interface GoldenCase {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  /** Rules expected to fire (by name); none when the case shows that a rule must not fire. */
  readonly fires?: readonly string[];
  readonly options?: SimplifyOptions;
  /** Sizes of symbolic dims for the value check. */
  readonly binding?: Readonly<Record<string, number>>;
  /** Relative tolerance of the value check for f32 results (default: bit for bit). */
  readonly rtol?: number;
}

/**
 * Parses `before`, simplifies it, and expects exactly `after`, the named rules among those that
 * fired, a verified result, and the same values as the input on deterministic arguments.
 */
export function checkGolden(c: GoldenCase): void {
  const g = parseGraph(c.before);
  verifyGraph(g);
  const result = simplify(g, { trace: false, ...c.options });
  const fired = result.fired.map((f) => f.rule.name);
  expect(printGraph(result.graph)).toBe(c.after);
  verifyGraph(result.graph);
  if (c.fires) expect(fired).toEqual(expect.arrayContaining([...c.fires]));
  else expect(fired).toEqual([]);
  const inputs = sampleInputs(g, new Map(Object.entries(c.binding ?? {})));
  const [actual, expected] = [evaluate(result.graph, inputs), evaluate(g, inputs)];
  if (c.rtol === undefined) expectIdentical(actual, expected, c.name);
  else expectClose(actual, expected, c.rtol, c.name);
}
