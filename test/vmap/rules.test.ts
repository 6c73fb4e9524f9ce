import { describe, expect, it } from 'vitest';
import { batchGraph } from '../../passes/batching.ts';
import { evaluate } from '../../runtime/reference.ts';
import { OP_NAMES, verifyGraph, type Dim, type HostTensor } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { caseGraph, draw, stack, type BatchCase } from './batch-case.ts';
import { CONTROL_CASES } from './cases-control.ts';
import { ELEMENTWISE_CASES } from './cases-elementwise.ts';
import { SCAN_CASES } from './cases-scan.ts';
import { WHILE_CASES } from './cases-while.ts';
import { STRUCTURE_CASES } from './cases-structure.ts';
import { WINDOW_COND_CASES } from './cases-window-cond.ts';

const CASES: readonly BatchCase[] = [...ELEMENTWISE_CASES, ...STRUCTURE_CASES, ...CONTROL_CASES, ...SCAN_CASES, ...WHILE_CASES, ...WINDOW_COND_CASES];
const EXAMPLES = 3;

/**
 * Which inputs are batched, and along which axis (undefined: shared): all at 0, all at the last
 * axis (given as -1), and each input alone (the others shared), at 0 or at its last axis.
 */
function configurations(n: number): { label: string; axes: (number | undefined)[] }[] {
  const out = [
    { label: 'all at 0', axes: Array<number | undefined>(n).fill(0) },
    { label: 'all at the last axis', axes: Array<number | undefined>(n).fill(-1) },
  ];
  if (n > 1)
    for (let i = 0; i < n; i++)
      out.push({ label: `only input ${i}, at ${i % 2 ? 'the last axis' : '0'}`, axes: Array.from({ length: n }, (_, j) => (j === i ? (i % 2 ? -1 : 0) : undefined)) });
  return out;
}

/**
 * Runs the batched graph on stacked examples and compares each result with the examples run
 * one at a time (float64 reference) and stacked along the result's batch axis.
 */
function checkCase(c: BatchCase, seed: number, axes: readonly (number | undefined)[], size: Dim): void {
  const examples = Array.from({ length: EXAMPLES }, (_, b) => c.example(draw(seed + b)));
  const shared = examples[0];
  const g = caseGraph(c, shared);
  const rankOf = (i: number) => shared[i].shape.length;
  const normal = axes.map((a, i) => (a === undefined ? undefined : a < 0 ? a + rankOf(i) + 1 : a));
  const stacked: HostTensor[] = shared.map((t, i) =>
    normal[i] === undefined ? t : stack(examples.map((ex) => ex[i]), normal[i]!),
  );
  const { graph, outAxes } = batchGraph(g, axes, size);
  verifyGraph(graph);
  const got = evaluate(graph, stacked);
  const one = examples.map((ex) => evaluate(g, ex.map((t, i) => (normal[i] === undefined ? shared[i] : t))));
  got.forEach((y, k) => {
    const axis = outAxes[k];
    if (axis === undefined) one.forEach((ys, b) => expectClose(y, ys[k], 0, `unbatched result ${k}, example ${b}`));
    else expectClose(y, stack(one.map((ys) => ys[k]), axis), 0, `result ${k} batched at ${axis}`);
  });
  if (axes.some((a) => a !== undefined))
    expect(outAxes.some((a) => a !== undefined), 'a batched input reaches some result').toBe(true);
}

describe('batching rules against the reference, example by example', () => {
  it('every primitive has a row in the table', () => {
    const covered = new Set(CASES.map((c) => c.op));
    expect(OP_NAMES.filter((op) => !covered.has(op))).toEqual([]);
  });

  const rows = CASES.flatMap((c, k) =>
    configurations(c.example(draw(0)).length).map((cfg) => [`${c.op}: ${c.name} (${cfg.label})`, c, k, cfg.axes] as const),
  );
  it.each(rows)('%s', (_, c, k, axes) => {
    checkCase(c, 1000 * (k + 1), axes, EXAMPLES);
    // A symbolic batch size: shape attributes mention B, the gather of batched indices from a
    // batched array takes its symbolic path, and the reference binds B = 3 from the inputs.
    checkCase(c, 1000 * (k + 1), axes, 'B');
  });
});
