import { GraphBuilder } from '../builder.ts';
import { Emitter, inlineGraph } from '../emit.ts';
import type { Graph, Value } from '../graph.ts';
import type { BatchRule } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';
import type { Dim, TensorType } from '../shape.ts';

/**
 * while_loop under vmap. As for loop, a state is batched when its initial value is or when the
 * body makes it so (a fixed point). When cond is the same for every example, the loop stays as
 * it is with batched regions. When it differs per example, examples stop at different trips, as
 * they would one by one: the loop runs while any example goes on, and each example's state is
 * kept once its own cond is false (a select per trip, as JAX batches while_loop); then every
 * state is batched.
 */
export const batchWhileLoop: BatchRule<OpAttrs['while_loop']> = (ctx, { inputs, attrs, regions: [cond, body] }) => {
  const { carried } = attrs;
  const constantAxes = inputs.slice(carried).map((x) => (x.axis === undefined ? undefined : 0));
  const axesOf = (flags: readonly boolean[]) => [...flags.map((b) => (b ? 0 : undefined)), ...constantAxes];
  let batched = inputs.slice(0, carried).map((x) => x.axis !== undefined);
  for (;;) {
    const { outAxes } = ctx.batch(body, axesOf(batched));
    const perExample = ctx.batch(cond, axesOf(batched)).outAxes[0] !== undefined;
    const grown = batched.map((b, i) => b || perExample || outAxes[i] !== undefined);
    if (grown.every((b, i) => b === batched[i])) break;
    batched = grown;
  }
  const inAxes = axesOf(batched);
  const stateAxes = inAxes.slice(0, carried);
  const operands = inputs.map((x, i) => (i < carried && batched[i] ? ctx.materialize(x) : ctx.front(x)));
  const bodyB = ctx.batch(body, inAxes, stateAxes).graph;
  const condB = ctx.batch(cond, inAxes);
  const regions =
    condB.outAxes[0] === undefined
      ? [condB.graph, bodyB]
      : perExampleRegions(ctx.batch(cond, inAxes, [0]).graph, bodyB, operands.map((v) => v.type), ctx.size);
  return ctx.e.op('while_loop', operands, attrs, regions).map((value, i) => ({ value, axis: stateAxes[i] }));
};

/** cond: whether any example goes on; body: each example's next state where its cond holds, else its state. */
function perExampleRegions(goes: Graph, body: Graph, types: readonly TensorType[], size: Dim): Graph[] {
  const region = (name: string, build: (e: Emitter, b: GraphBuilder, args: Value[]) => Value[]) => {
    const b = new GraphBuilder();
    const args = types.map((t) => b.input(t));
    return b.build(build(new Emitter(b), b, args), name);
  };
  const anyGoes = region('cond', (e, b, args) => {
    const [go] = inlineGraph(b, goes, args);
    return [e.binary('gt', e.sum(e.cast(go, 'i32'), [0]), e.scalar(0, 'i32'))];
  });
  const stepWhereGoing = region('body', (e, b, args) => {
    const [go] = inlineGraph(b, goes, args);
    const next = inlineGraph(b, body, args);
    return next.map((v, i) => {
      const mask = e.reshape(go, [size, ...Array<number>(v.type.shape.length - 1).fill(1)]);
      return e.select(mask, v, args[i]);
    });
  });
  return [anyGoes, stepWhereGoing];
}
