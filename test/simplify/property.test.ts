import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printGraph, verifyGraph, type Graph, type OpName } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { DEFAULT_RULES, exactRules, simplify } from '../../passes/simplify/index.ts';
import { arbitraryProgram, randomProgramFromSeed, type RandomProgram } from '../helpers/random-graph.ts';
import { checkLean } from './lean-text.ts';
import { expectClose, expectIdentical } from './values.ts';

/**
 * Simplification must not change what a program computes. With the exact rules (all but
 * sum-of-broadcast) the results are identical bit for bit, NaN, infinities and -0 included, for
 * every dtype; with every rule, floats may differ by rounding only.
 */
function checkExact(program: RandomProgram, afterAutodiff: boolean): void {
  checkExactOn(program.graph, program, afterAutodiff);
  // Every value an output: nothing is dead, so every rewrite shows in the results.
  const everything = { ...program.graph, outputs: program.graph.nodes.flatMap((n) => n.outputs) };
  checkExactOn(everything, program, afterAutodiff);
}

function checkExactOn(graph: Graph, { inputs }: RandomProgram, afterAutodiff: boolean): void {
  const text = printGraph(graph);
  const result = simplify(graph, { rules: exactRules(DEFAULT_RULES), afterAutodiff });
  verifyGraph(result.graph);
  expect(result.converged, text).toBe(true);
  expectIdentical(evaluate(result.graph, inputs), evaluate(graph, inputs), `${text}\nsimplified:\n${printGraph(result.graph)}`);
  expect(checkLean(printGraph(result.graph))).toEqual({ dead: [], duplicates: [] });
  // A fixed point: simplifying again changes nothing.
  const again = simplify(result.graph, { rules: exactRules(DEFAULT_RULES), afterAutodiff });
  expect(printGraph(again.graph)).toBe(printGraph(result.graph));
}

/** Ops whose results vary continuously with their operands, so that rounding cannot flip them. */
const SMOOTH_OPS: readonly OpName[] = [
  'add', 'sub', 'mul', 'neg', 'tanh', 'exp', 'reduce_sum', 'broadcast_in_dim', 'reshape', 'transpose',
  'slice', 'pad', 'concatenate', 'dot_general', 'constant', 'loop', 'select', 'eq',
];

describe('simplify preserves values on random programs', () => {
  it('exact rules: bit for bit (fast-check, shrinking)', () => {
    fc.assert(fc.property(arbitraryProgram(), (p) => checkExact(p, false)), { numRuns: 150 });
  });

  it('exact rules after autodiff (stop_gradient dropped): bit for bit on seeded programs', () => {
    for (let seed = 1; seed <= 60; seed++) checkExact(randomProgramFromSeed(seed), true);
  });

  it('every default rule: integers bit for bit, floats within 1e-12', () => {
    const options = { ops: SMOOTH_OPS, specialValues: false };
    fc.assert(
      fc.property(arbitraryProgram(options), ({ graph, inputs }) => {
        const simplified = simplify(graph, { rules: DEFAULT_RULES }).graph;
        verifyGraph(simplified);
        expectClose(evaluate(simplified, inputs), evaluate(graph, inputs), 1e-12, printGraph(graph));
      }),
      { numRuns: 100 },
    );
  });
});
