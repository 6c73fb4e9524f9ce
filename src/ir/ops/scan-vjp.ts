import { GraphBuilder } from '../builder.ts';
import { cloneGraph, Emitter, inlineGraph } from '../emit.ts';
import type { Graph, Value } from '../graph.ts';
import type { VjpRule } from '../op-def.ts';
import type { OpAttrs } from '../op-attrs.ts';

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);
const isF32 = (v: Value): boolean => v.type.dtype === 'f32';

/** The body with the carry it receives yielded as extra per-step outputs: the scan stacks every step's entering state. */
function savingStates(body: Graph, carried: number): Graph {
  return cloneGraph({ ...body, outputs: [...body.outputs, ...body.inputs.slice(0, carried)] });
}

/**
 * Reverse mode through a scan, as a scan again (no unrolling: the graph does not grow with the
 * length). A forward scan stacks the carry entering each step (the saved states); a scan in the
 * opposite direction then runs the body's VJP at each step on (saved state, x_t, constants),
 * carrying the carry's cotangent and the constants' accumulated cotangents, and stacks the
 * cotangent of each x_t. The body's forward values inside a step are recomputed from the saved
 * state, so memory holds one carry per step, not the body's intermediates. When the scan's own
 * results are also used, simplify merges the two forward scans into one (merge-scans).
 */
export const scanVjp: VjpRule<OpAttrs['scan']> = (ctx, { inputs, attrs, regions: [body], cts }) => {
  const { length, carried, scanned, reverse } = attrs;
  const none: (Value | undefined)[] = inputs.map(() => undefined);
  const ys = body.outputs.length - carried;
  const carries = range(0, carried).filter((i) => isF32(inputs[i]));
  const xs = range(carried, carried + scanned).filter((i) => isF32(inputs[i]));
  const constants = range(carried + scanned, inputs.length).filter((i) => isF32(inputs[i]));
  const yCts = range(0, ys).filter((j) => cts[carried + j] !== undefined && isF32(body.outputs[carried + j]));
  const flows = yCts.length > 0 || carries.some((i) => cts[i] !== undefined);
  if (!flows || carries.length + xs.length + constants.length === 0) return none;
  const { e } = ctx;

  const forward = e.op('scan', inputs, attrs, [savingStates(body, carried)]);
  const states = forward.slice(forward.length - carried);

  const stepVjp = ctx.vjpGraph(body, [...carries, ...xs, ...constants], [...carries, ...yCts.map((j) => carried + j)]);
  const b = new GraphBuilder();
  const carryCts = carries.map((i) => b.input(inputs[i].type));
  const sums = constants.map((i) => b.input(inputs[i].type));
  const state = body.inputs.slice(0, carried).map((v) => b.input(v.type));
  const x = body.inputs.slice(carried, carried + scanned).map((v) => b.input(v.type));
  const yCt = yCts.map((j) => b.input(body.outputs[carried + j].type));
  const consts = body.inputs.slice(carried + scanned).map((v) => b.input(v.type));
  const grads = inlineGraph(b, stepVjp, [...state, ...x, ...consts, ...carryCts, ...yCt]).slice(body.outputs.length);
  const be = new Emitter(b);
  const gCarry = grads.slice(0, carries.length);
  const gX = grads.slice(carries.length, carries.length + xs.length);
  const gConst = grads.slice(carries.length + xs.length);
  const step = b.build([...gCarry, ...sums.map((s, k) => be.add(s, gConst[k])), ...gX], 'body');

  const operands = [
    ...carries.map((i) => cts[i] ?? e.zerosLike(inputs[i])),
    ...constants.map((i) => e.zerosLike(inputs[i])),
    ...states,
    ...inputs.slice(carried, carried + scanned),
    ...yCts.map((j) => cts[carried + j]!),
    ...inputs.slice(carried + scanned),
  ];
  const backAttrs = { length, carried: carries.length + constants.length, scanned: carried + scanned + yCts.length, reverse: !reverse };
  const back = e.op('scan', operands, backAttrs, [step]);
  carries.forEach((i, k) => (none[i] = back[k]));
  constants.forEach((i, k) => (none[i] = back[carries.length + k]));
  xs.forEach((i, k) => (none[i] = back[carries.length + constants.length + k]));
  return none;
};
