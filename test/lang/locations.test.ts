import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PASSES, runStages } from '../../passes/manager.ts';
import { DEFAULT_LIMITS, parseGraph, printGraph, Value, VerifyError, walkNodes, type Graph } from '../../src/ir/index.ts';
import { withSourceContext } from '../../src/cli/source-context.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';

/** Source locations travel in the IR: they print, parse back, and errors of later passes name them. */
const XOR = resolve(import.meta.dirname, '../../examples/models/xor.axon');

describe('locations in the IR', () => {
  test('every node of a lowered model carries its place in the model file, and the text round-trips', () => {
    const g = lowerModelFile(XOR).forward.graph;
    const text = printGraph(g);
    const locs = [...text.matchAll(/@(\S+):(\d+):(\d+)$/gm)].map((m) => `${m[1].split('/').pop()}:${m[2]}:${m[3]}`);
    expect(locs.length).toBe([...walkNodes(g)].length);
    expect(new Set(locs)).toEqual(new Set(['xor.axon:7:53', 'xor.axon:7:42', 'xor.axon:7:40']));
    expect(printGraph(parseGraph(text))).toBe(text);
  });

  test('an error of a later pass points into the model file, and the CLI shows its line', () => {
    const g = lowerModelFile(XOR).forward.graph;
    // A pass that breaks the graph (here by hand: a result retyped) is caught by the verifier at that node.
    const i = g.nodes.findIndex((n) => n.op === 'concatenate');
    const broken: Graph = { ...g, nodes: g.nodes.map((n, k) => (k === i ? { ...n, outputs: [new Value({ dtype: 'f32', shape: ['N', 4] })] } : n)) };
    let message = '';
    try {
      runStages(broken, DEFAULT_LIMITS, { verifyEach: true, debug: 0 }, PASSES);
    } catch (e) {
      expect(e).toBeInstanceOf(VerifyError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/concatenate at \S*xor\.axon:7:42/);
    const shown = withSourceContext(message).split('\n');
    expect(shown.slice(-2)).toEqual([
      ' 7 |   forward(x: i32[N, 2]) -> f32[N, 1] = b(concat([x, a(x)], axis = -1))',
      '   |                                          ^',
    ]);
  });
});
