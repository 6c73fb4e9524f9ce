import { inlineGraph } from '../emit.ts';
import { ShapeError } from '../errors.ts';
import type { Graph, Value } from '../graph.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, sameType } from '../shape.ts';
import { batchedAt } from './batching.ts';

const typesOf = (vs: readonly Value[]): string => vs.map((v) => formatType(v.type)).join(', ');

/**
 * cond (lax.cond): `cond %pred, %x... then(...) {...} else(...) {...}` runs the `then` region on
 * the operands after the predicate when `pred` (a bool scalar) is true, else the `else` region;
 * both take the operands and yield values of the same types. Values a branch closes over are
 * operands too. `ax.switch` over n branches is a tree of conds.
 *
 * The reference runs only the chosen branch. On WebGPU the pass cond-to-select (passes/) inlines
 * both branches and selects between their results on the device: no host round trip, at the
 * cost of computing both (real branching by indirect dispatch can replace that pass).
 */
export const cond: OpDef<'cond'> = {
  name: 'cond',
  arity: 'variadic',
  attrs: {},
  regions: ['then', 'else'],
  infer(inputs, _attrs, regions) {
    const operands = inputs.map(formatType);
    const fail = (why: string) => new ShapeError('cond', why, operands);
    if (inputs.length === 0) throw fail('needs a predicate operand');
    const [pred, ...xs] = inputs;
    if (pred.dtype !== 'bool' || pred.shape.length !== 0) throw fail(`the predicate must be bool[], got ${formatType(pred)}`);
    const [thenG, elseG] = regions;
    if (!thenG || !elseG) throw fail('needs then and else regions');
    for (const [name, g] of [['then', thenG], ['else', elseG]] as const)
      if (g.inputs.length !== xs.length || g.inputs.some((v, i) => !sameType(v.type, xs[i])))
        throw fail(`${name} takes (${typesOf(g.inputs)}), the operands after the predicate are (${xs.map(formatType).join(', ')})`);
    if (thenG.outputs.length !== elseG.outputs.length || thenG.outputs.some((v, i) => !sameType(v.type, elseG.outputs[i].type)))
      throw fail(`the branches yield different types: then (${typesOf(thenG.outputs)}), else (${typesOf(elseG.outputs)})`);
    return thenG.outputs.map((v) => v.type);
  },
  evalRef([pred, ...xs], _attrs, ctx, [thenG, elseG]) {
    return ctx.evalGraph(pred.data[0] ? thenG : elseG, xs);
  },
  // Rewritten into both branches and selects before lowering (passes/cond-to-select.ts).
  kernel: { kind: 'control' },
  // A cond of the branches' VJPs, on the same predicate: only the chosen branch is differentiated.
  // Each VJP region recomputes its branch's forward values from the operands.
  vjp: (ctx, { inputs: [pred, ...xs], regions: [thenG, elseG], cts }) => {
    const wrt = xs.flatMap((x, j) => (x.type.dtype === 'f32' ? [j] : []));
    const ctOf = cts.flatMap((c, i) => (c ? [i] : []));
    const none: (Value | undefined)[] = [undefined, ...xs.map(() => undefined)];
    if (wrt.length === 0 || ctOf.length === 0) return none;
    const region = (g: Graph): Graph => {
      const vg = ctx.vjpGraph(g, wrt, ctOf);
      return { ...vg, outputs: vg.outputs.slice(g.outputs.length) };
    };
    const grads = ctx.e.op('cond', [pred, ...xs, ...ctOf.map((i) => cts[i]!)], {}, [region(thenG), region(elseG)]);
    wrt.forEach((j, k) => (none[1 + j] = grads[k]));
    return none;
  },
  // An unbatched predicate keeps the cond, its branches batched alike (a result batched in either
  // branch is batched in both). A batched one may choose differently per example: both branches
  // run on the whole batch and a select picks each example's results, as JAX does.
  batch: (ctx, { inputs: [pred, ...xs], regions: [thenG, elseG] }) => {
    const axes = xs.map((x) => (x.axis === undefined ? undefined : 0));
    const operands = xs.map((x) => ctx.front(x));
    if (pred.axis === undefined) {
      const [a, b] = [thenG, elseG].map((g) => ctx.batch(g, axes).outAxes);
      const outAxes = thenG.outputs.map((_, i) => (a[i] !== undefined || b[i] !== undefined ? 0 : undefined));
      const regions = [thenG, elseG].map((g) => ctx.batch(g, axes, outAxes).graph);
      return ctx.e.op('cond', [pred.value, ...operands], {}, regions).map((v, i) => batchedAt(v, outAxes[i]));
    }
    const p = ctx.front(pred);
    const atFront = thenG.outputs.map(() => 0);
    const [a, b] = [thenG, elseG].map((g) => inlineGraph(ctx.e.b, ctx.batch(g, axes, atFront).graph, operands));
    return a.map((t, i) => {
      const mask = ctx.e.reshape(p, [ctx.size, ...Array<number>(t.type.shape.length - 1).fill(1)]);
      return batchedAt(ctx.e.select(mask, t, b[i]), 0);
    });
  },
};
