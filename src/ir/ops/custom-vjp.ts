import { ShapeError } from '../errors.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, sameType } from '../shape.ts';
import { batchCustomVjp } from './control-batch.ts';

/**
 * custom_vjp: a call whose value is its `fwd` subgraph and whose VJP is its `bwd` subgraph.
 * fwd takes the operands and returns the results; bwd takes (operands..., results...,
 * result cotangents...) and returns one cotangent per operand. Straight-through estimators and
 * surrogate gradients are written with it.
 */
export const custom_vjp: OpDef<'custom_vjp'> = {
  name: 'custom_vjp',
  arity: 'variadic',
  attrs: {},
  regions: ['fwd', 'bwd'],
  infer(inputs, _attrs, [fwd, bwd]) {
    const operands = inputs.map(formatType);
    const fail = (why: string) => new ShapeError('custom_vjp', why, operands);
    if (!fwd || !bwd) throw fail('needs fwd and bwd regions');
    if (fwd.inputs.length !== inputs.length || fwd.inputs.some((v, i) => !sameType(v.type, inputs[i])))
      throw fail(`fwd takes (${fwd.inputs.map((v) => formatType(v.type)).join(', ')}), the operands differ`);
    const results = fwd.outputs.map((v) => v.type);
    const expected = [...inputs, ...results, ...results];
    if (bwd.inputs.length !== expected.length || bwd.inputs.some((v, i) => !sameType(v.type, expected[i])))
      throw fail(
        `bwd must take (operands, results, result cotangents) = (${expected.map(formatType).join(', ')}), ` +
          `takes (${bwd.inputs.map((v) => formatType(v.type)).join(', ')})`,
      );
    if (bwd.outputs.length !== inputs.length || bwd.outputs.some((v, i) => !sameType(v.type, inputs[i])))
      throw fail(`bwd must return one cotangent per operand, typed like it; returns (${bwd.outputs.map((v) => formatType(v.type)).join(', ')})`);
    return results;
  },
  evalRef(inputs, _attrs, ctx, [fwd]) {
    return ctx.evalGraph(fwd, inputs);
  },
  // Lowered by inlining `fwd` before kernels are planned.
  kernel: { kind: 'control' },
  batch: batchCustomVjp,
  vjp: (ctx, { inputs, outputs, regions: [, bwd], cts }) => {
    if (cts.every((c) => c === undefined)) return inputs.map(() => undefined);
    const filled = cts.map((c, i) => c ?? ctx.e.zerosLike(outputs[i]));
    return ctx.inline(bwd, [...inputs, ...outputs, ...filled]);
  },
};
