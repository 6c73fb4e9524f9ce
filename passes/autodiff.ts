import {
  cloneGraph, Emitter, GraphBuilder, inlineGraph, opDef, ShapeError,
  type Graph, type Node, type Value, type VjpContext,
} from '../src/ir/index.ts';

/** Cotangents flow only through float values. */
const differentiable = (v: Value): boolean => v.type.dtype === 'f32';

/**
 * Reverse mode as a graph transform. Returns a graph whose inputs are g's inputs followed by one
 * cotangent per g output listed in `ctOf` (default: every output), and whose outputs are g's outputs followed by the cotangent of each
 * input listed in `wrt` (zeros where no path leads to an output). Every VJP rule is written in IR
 * primitives, so the result can be differentiated again.
 */
export function vjpGraph(g: Graph, wrt: readonly number[], ctOf: readonly number[] = g.outputs.map((_, i) => i)): Graph {
  for (const i of wrt) {
    if (i < 0 || i >= g.inputs.length) throw new RangeError(`vjpGraph: input ${i} out of range`);
    if (!differentiable(g.inputs[i]))
      throw new ShapeError('vjp', `input ${i} is ${g.inputs[i].type.dtype}; only f32 inputs can be differentiated`, []);
  }
  const b = new GraphBuilder();
  const primals = g.inputs.map((v) => b.input(v.type));
  const cts = g.outputs.map((v, i) => (ctOf.includes(i) ? b.input(v.type) : undefined));
  const active = g.inputs.map((_, i) => wrt.includes(i));
  const { outputs, inputCts } = backprop(b, g, primals, cts, active);
  const grads = wrt.map((i) => inputCts[i] ?? new Emitter(b).zerosLike(primals[i]));
  return b.build([...outputs, ...grads], `${g.name}_vjp`);
}

/**
 * Inlines `g` into `b` at `inputs` and appends its reverse pass for the given output cotangents.
 * `active[i]` says whether input i is differentiated (others are constants). Returns the forward
 * outputs and the cotangent of each input (undefined where none flows).
 */
export function backprop(
  b: GraphBuilder,
  g: Graph,
  inputs: readonly Value[],
  outputCts: readonly (Value | undefined)[],
  active: readonly boolean[],
): { outputs: Value[]; inputCts: (Value | undefined)[] } {
  // Forward: copy the nodes, remembering which copied values depend on an active input.
  const map = new Map<Value, Value>();
  const isActive = new Set<Value>();
  g.inputs.forEach((v, i) => {
    map.set(v, inputs[i]);
    if (active[i] && differentiable(inputs[i])) isActive.add(inputs[i]);
  });
  const tape: { node: Node; inputs: Value[]; outputs: Value[] }[] = [];
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => map.get(v)!);
    const outs = b.add(n.op, ins, n.attrs as never, { regions: n.regions.map(cloneGraph), loc: n.loc });
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
    if (opDef(n.op).vjp && ins.some((v) => isActive.has(v))) {
      outs.forEach((v) => differentiable(v) && isActive.add(v));
      tape.push({ node: n, inputs: ins, outputs: outs });
    }
  }
  const outputs = g.outputs.map((v) => map.get(v)!);

  // Reverse: accumulate cotangents from the outputs back to the inputs.
  const ct = new Map<Value, Value>();
  const accumulate = (e: Emitter, v: Value, c: Value | undefined) => {
    if (!c || !isActive.has(v)) return;
    const prev = ct.get(v);
    ct.set(v, prev ? e.add(prev, c) : c);
  };
  const root = new Emitter(b);
  outputs.forEach((v, i) => accumulate(root, v, outputCts[i]));
  for (let t = tape.length - 1; t >= 0; t--) {
    const { node, inputs: ins, outputs: outs } = tape[t];
    const cts = outs.map((v) => ct.get(v));
    if (cts.every((c) => c === undefined)) continue;
    const e = new Emitter(b, node.loc);
    const ctx: VjpContext = {
      e,
      inline: (sub, args) => inlineGraph(b, sub, args),
      // Values made inside a rule (e.g. recomputed loop states) are not on the tape: treat every
      // float argument as active; cotangents that reach constants are dropped by `accumulate`.
      vjp: (sub, args, subCts) => backprop(b, sub, args, subCts, args.map(() => true)).inputCts,
      vjpGraph: (sub, wrt, ctOf) => vjpGraph(sub, wrt, ctOf),
    };
    const rule = opDef(node.op).vjp!;
    const inCts = rule(ctx, { inputs: ins, outputs: outs, attrs: node.attrs as never, regions: node.regions, cts });
    ins.forEach((v, i) => accumulate(e, v, inCts[i]));
  }
  // A value passed at several positions (a loop state that is also an invariant) gets its whole
  // cotangent at the first, so that callers summing per-position cotangents count it once.
  return { outputs, inputCts: inputs.map((v, i) => (inputs.indexOf(v) === i ? ct.get(v) : undefined)) };
}
