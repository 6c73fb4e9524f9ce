import type { SourceLoc } from './errors.ts';
import type { TensorType } from './shape.ts';
import type { OpAttrs, OpName } from './op-attrs.ts';

let nextValueId = 0;

/** An SSA value: produced once (by a node or as a graph input), typed. */
export class Value {
  readonly id = nextValueId++;
  constructor(readonly type: TensorType) {}
}

/** One application of a primitive. Structured ops (loop, custom_vjp) carry subgraphs in `regions`. */
export interface Node<K extends OpName = OpName> {
  readonly op: K;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: OpAttrs[K];
  readonly regions: readonly Graph[];
  readonly loc?: SourceLoc;
}

/**
 * A function in SSA form: inputs, nodes in a valid execution order, outputs. Regions are graphs
 * too, isolated from above: a body sees only its own inputs.
 */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly Value[];
  readonly nodes: readonly Node[];
  readonly outputs: readonly Value[];
}

export const isNodeOf = <K extends OpName>(n: Node, op: K): n is Node<K> => n.op === op;

/** Every node of a graph and of its regions, depth first, in program order. */
export function* walkNodes(g: Graph): Generator<Node> {
  for (const n of g.nodes) {
    yield n;
    for (const r of n.regions) yield* walkNodes(r);
  }
}

/** Users of each value within one graph level (not regions). */
export function usesOf(g: Graph): Map<Value, Node[]> {
  const uses = new Map<Value, Node[]>();
  for (const n of g.nodes)
    for (const v of n.inputs) {
      const list = uses.get(v);
      if (list) list.push(n);
      else uses.set(v, [n]);
    }
  return uses;
}
