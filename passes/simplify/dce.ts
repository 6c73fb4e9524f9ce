import type { Graph, Node, Value } from '../../src/ir/index.ts';

/** Where dead code is counted. */
export interface RemovalCounter {
  removed: number;
}

/**
 * Dead-code elimination on one graph level: keeps the nodes that the outputs need, walking back
 * from them. Every primitive is pure (random bits are a function of their key), so a node whose
 * results are unused goes, loops and custom_vjp included. A loop whose results are only partly
 * used also loses the carried state that no used state depends on, and invariants its body no
 * longer reads; a scan also loses its unused stacked results and the xs no kept output reads, and
 * a while_loop keeps whatever its cond reads. Regions are taken as they are (the rewriter cleans each region when it builds it).
 */
export function eliminateDeadCode(g: Graph, counter: RemovalCounter): Graph {
  const live = new Set<Value>(g.outputs);
  const kept: Node[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    let n = g.nodes[i];
    if (!n.outputs.some((v) => live.has(v))) {
      counter.removed++;
      continue;
    }
    if (n.op === 'loop') n = pruneLoop(n as Node<'loop'>, live, counter);
    if (n.op === 'scan') n = pruneScan(n as Node<'scan'>, live, counter);
    if (n.op === 'while_loop') n = pruneWhile(n as Node<'while_loop'>, live, counter);
    n.inputs.forEach((v) => live.add(v));
    kept.push(n);
  }
  kept.reverse();
  return kept.length === g.nodes.length && kept.every((n, i) => n === g.nodes[i]) ? g : { ...g, nodes: kept };
}

/** For each output of `g`, the indices of the inputs it depends on. */
function inputDependencies(g: Graph): Set<number>[] {
  const deps = new Map<Value, Set<number>>();
  g.inputs.forEach((v, i) => deps.set(v, new Set([i])));
  for (const n of g.nodes) {
    const union = new Set<number>();
    for (const v of n.inputs) for (const i of deps.get(v) ?? []) union.add(i);
    n.outputs.forEach((v) => deps.set(v, union));
  }
  return g.outputs.map((v) => deps.get(v) ?? new Set());
}

/**
 * The loop without the carried state that neither the graph (through `live` results) nor any
 * kept state needs, and without the invariants that no kept state reads. Kept results keep their
 * values, so users need no rewiring.
 */
function pruneLoop(n: Node<'loop'>, live: ReadonlySet<Value>, counter: RemovalCounter): Node<'loop'> {
  const { trips, carried } = n.attrs;
  const body = n.regions[0];
  const deps = inputDependencies(body);
  const needed = new Set<number>();
  n.outputs.forEach((v, i) => live.has(v) && needed.add(i));
  // A kept state's update may read other states: keep those too, until nothing changes.
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of [...needed])
      for (const j of deps[i])
        if (j < carried && !needed.has(j)) {
          needed.add(j);
          grew = true;
        }
  }
  const read = new Set<number>();
  for (const i of needed) for (const j of deps[i]) read.add(j);
  const keptState = [...needed].sort((a, b) => a - b);
  const keptInvariants = n.inputs.map((_, j) => j).filter((j) => j >= carried && read.has(j));
  if (keptState.length === carried && keptInvariants.length === n.inputs.length - carried) return n;
  counter.removed++;
  const keptInputs = [...keptState, ...keptInvariants];
  const prunedBody = eliminateDeadCode(
    { name: body.name, inputs: keptInputs.map((j) => body.inputs[j]), nodes: body.nodes, outputs: keptState.map((i) => body.outputs[i]) },
    counter,
  );
  return {
    ...n,
    inputs: keptInputs.map((j) => n.inputs[j]),
    outputs: keptState.map((i) => n.outputs[i]),
    attrs: { trips, carried: keptState.length },
    regions: [prunedBody],
  };
}

/** The indices `needed` (of body outputs) closed under "a kept output reads carry j, so carry j is kept". */
function closeOverCarries(deps: readonly Set<number>[], carried: number, needed: Set<number>): void {
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of [...needed])
      for (const j of deps[i])
        if (j < carried && !needed.has(j)) {
          needed.add(j);
          grew = true;
        }
  }
}

/**
 * The scan without the stacked results that are unused, the carry that no kept result depends
 * on, and the xs and constants that no kept result reads. Kept results keep their values.
 */
function pruneScan(n: Node<'scan'>, live: ReadonlySet<Value>, counter: RemovalCounter): Node<'scan'> {
  const { carried, scanned } = n.attrs;
  const body = n.regions[0];
  const deps = inputDependencies(body);
  const needed = new Set<number>();
  n.outputs.forEach((v, i) => live.has(v) && needed.add(i));
  closeOverCarries(deps, carried, needed);
  const read = new Set<number>();
  for (const i of needed) for (const j of deps[i]) read.add(j);
  const keptOutputs = [...needed].sort((a, b) => a - b);
  const keptCarries = keptOutputs.filter((i) => i < carried);
  const keptInputs = [...keptCarries, ...n.inputs.map((_, j) => j).filter((j) => j >= carried && read.has(j))];
  if (keptOutputs.length === n.outputs.length && keptInputs.length === n.inputs.length) return n;
  counter.removed++;
  const prunedBody = eliminateDeadCode(
    { name: body.name, inputs: keptInputs.map((j) => body.inputs[j]), nodes: body.nodes, outputs: keptOutputs.map((i) => body.outputs[i]) },
    counter,
  );
  return {
    ...n,
    inputs: keptInputs.map((j) => n.inputs[j]),
    outputs: keptOutputs.map((i) => n.outputs[i]),
    attrs: {
      ...n.attrs,
      carried: keptCarries.length,
      scanned: keptInputs.filter((j) => j >= carried && j < carried + scanned).length,
    },
    regions: [prunedBody],
  };
}

/**
 * The while_loop without the state that neither the graph, nor cond, nor any kept state needs,
 * and without the constants that neither region reads any more.
 */
function pruneWhile(n: Node<'while_loop'>, live: ReadonlySet<Value>, counter: RemovalCounter): Node<'while_loop'> {
  const { carried } = n.attrs;
  const [cond, body] = n.regions;
  const deps = inputDependencies(body);
  const condReads = inputDependencies(cond)[0];
  const needed = new Set<number>([...condReads].filter((j) => j < carried));
  n.outputs.forEach((v, i) => live.has(v) && needed.add(i));
  closeOverCarries(deps, carried, needed);
  const read = new Set<number>(condReads);
  for (const i of needed) for (const j of deps[i]) read.add(j);
  const keptState = [...needed].sort((a, b) => a - b);
  const keptInputs = [...keptState, ...n.inputs.map((_, j) => j).filter((j) => j >= carried && read.has(j))];
  if (keptInputs.length === n.inputs.length) return n;
  counter.removed++;
  const prune = (g: Graph, outputs: readonly Value[]) =>
    eliminateDeadCode({ name: g.name, inputs: keptInputs.map((j) => g.inputs[j]), nodes: g.nodes, outputs }, counter);
  return {
    ...n,
    inputs: keptInputs.map((j) => n.inputs[j]),
    outputs: keptState.map((i) => n.outputs[i]),
    attrs: { ...n.attrs, carried: keptState.length },
    regions: [prune(cond, cond.outputs), prune(body, keptState.map((i) => body.outputs[i]))],
  };
}
