import {
  cloneGraph, Emitter, formatType, GraphBuilder, normAxis, opDef, sameType,
  type BatchContext, type BatchedGraph, type BatchedValue, type Dim, type Graph, type Node, type TensorType, type Value,
} from '../src/ir/index.ts';

/** The type of a batch of `size` examples of type `t`, stacked along `axis`. */
const stacked = (t: TensorType, axis: number, size: Dim): TensorType => ({
  dtype: t.dtype,
  shape: [...t.shape.slice(0, axis), size, ...t.shape.slice(axis)],
});

/** A batch axis (possibly negative) of a value whose examples have rank `rank`; RangeError if out of range. */
function batchAxis(axis: number, rank: number, what: string): number {
  const a = normAxis(axis, rank + 1);
  if (a < 0) throw new RangeError(`batchGraph: batch axis ${axis} is out of range for ${what} (examples of rank ${rank})`);
  return a;
}

/**
 * vmap as a graph transform. The result computes `g` for `size` examples at once: input i is
 * batched along `inAxes[i]` (undefined: one value shared by every example), and each node is
 * rewritten by its registry entry's batching rule; nodes that see no batched operand are copied.
 * An output given a number in `outAxes` comes out batched at that axis (broadcast if it does
 * not depend on a batched input); the others keep the axis the rules gave them (undefined when
 * unbatched), as reported in the result's `outAxes`. `size` may be a symbolic dim.
 */
export function batchGraph(
  g: Graph,
  inAxes: readonly (number | undefined)[],
  size: Dim,
  outAxes?: readonly (number | undefined)[],
): BatchedGraph {
  if (inAxes.length !== g.inputs.length)
    throw new RangeError(`batchGraph: ${g.inputs.length} input axes expected, got ${inAxes.length}`);
  const b = new GraphBuilder();
  const env = new Map<Value, BatchedValue>();
  g.inputs.forEach((v, i) => {
    const ax = inAxes[i];
    if (ax === undefined) return env.set(v, { value: b.input(v.type), axis: undefined });
    const a = batchAxis(ax, v.type.shape.length, `input ${i} (${formatType(v.type)})`);
    env.set(v, { value: b.input(stacked(v.type, a, size)), axis: a });
  });
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => env.get(v)!);
    if (ins.every((x) => x.axis === undefined)) {
      const outs = b.add(n.op, ins.map((x) => x.value), n.attrs as never, { regions: n.regions.map(cloneGraph), loc: n.loc });
      n.outputs.forEach((v, i) => env.set(v, { value: outs[i], axis: undefined }));
      continue;
    }
    const ctx = batchContext(new Emitter(b, n.loc), size);
    const results = opDef(n.op).batch(ctx, { inputs: ins, attrs: n.attrs as never, regions: n.regions });
    checkResults(n, results, size);
    n.outputs.forEach((v, i) => env.set(v, results[i]));
  }
  const root = batchContext(new Emitter(b), size);
  const outs = g.outputs.map((v, i) => {
    const x = env.get(v)!;
    const want = outAxes?.[i];
    if (want === undefined) return x;
    const a = batchAxis(want, v.type.shape.length, `output ${i} (${formatType(v.type)})`);
    return { value: root.e.moveAxis(root.materialize(x), 0, a), axis: a };
  });
  return { graph: b.build(outs.map((x) => x.value), g.name), outAxes: outs.map((x) => x.axis) };
}

/** What batching rules get: the emitter, the batch size, and batching of regions. */
function batchContext(e: Emitter, size: Dim): BatchContext {
  const front = (x: BatchedValue): Value => (x.axis === undefined ? x.value : e.moveAxis(x.value, x.axis, 0));
  return {
    e,
    size,
    front,
    materialize: (x) => {
      if (x.axis !== undefined) return front(x);
      const shape = x.value.type.shape;
      return e.broadcastInDim(x.value, [size, ...shape], shape.map((_, i) => i + 1));
    },
    batch: (sub, inAxes, outAxes) => batchGraph(sub, inAxes, size, outAxes),
  };
}

/** A rule must give each result its unbatched type, with `size` inserted at the batch axis. */
function checkResults(n: Node, results: readonly BatchedValue[], size: Dim): void {
  const fail = (why: string) => new Error(`batching rule of ${n.op}: ${why}`);
  if (results.length !== n.outputs.length) throw fail(`${results.length} results for ${n.outputs.length} outputs`);
  results.forEach(({ value, axis }, i) => {
    const want = n.outputs[i].type;
    const got = value.type;
    const ok = axis === undefined ? sameType(got, want) : got.shape[axis] === size && sameType(stacked(want, axis, size), got);
    if (!ok) throw fail(`result ${i} is ${formatType(got)} batched at ${axis}, examples are ${formatType(want)}`);
  });
}
