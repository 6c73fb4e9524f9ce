import { evaluate } from '../../runtime/reference.ts';
import type { Graph, HostTensor, OpName } from '../../src/ir/index.ts';
import { CONTROL_CASES } from './cases-control.ts';
import { ELEMENTWISE_CASES } from './cases-elementwise.ts';
import { SCAN_CASES } from './cases-scan.ts';
import { WHILE_CASES } from './cases-while.ts';
import { STRUCTURE_CASES } from './cases-structure.ts';
import { WINDOW_COND_CASES } from './cases-window-cond.ts';
import { rng } from './fd.ts';
import { caseGraph, caseInputs, type OpCase } from './op-case.ts';

/** Every row of the autodiff table; the suites fail for a registry op without one. */
export const OP_CASES: readonly OpCase[] = [...ELEMENTWISE_CASES, ...STRUCTURE_CASES, ...CONTROL_CASES, ...SCAN_CASES, ...WHILE_CASES, ...WINDOW_COND_CASES];

/** Primitives with no VJP rule at all (their registry entry says `vjp: null`). */
export const NON_DIFFERENTIABLE: ReadonlySet<OpName> = new Set<OpName>([
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'xor', 'shl', 'shr', 'not',
  'sign', 'floor', 'ceil', 'round', 'stop_gradient', 'iota', 'constant', 'random_bits',
]);

export const casesOf = (op: OpName): OpCase[] => OP_CASES.filter((c) => c.op === op);

/** A row instantiated at its random point: inputs, graph, and fixed random output weights. */
export interface Instance {
  readonly xs: HostTensor[];
  readonly graph: Graph;
  readonly ws: HostTensor[];
}

export function instantiate(c: OpCase): Instance {
  const seed = 1 + OP_CASES.indexOf(c) * 101;
  const xs = caseInputs(c, seed);
  const graph = caseGraph(c, xs);
  const r = rng(seed + 50);
  const ws = evaluate(graph, xs).map((y) => r.tensor(y.shape, -1, 1));
  return { xs, graph, ws };
}
