import { ShapeError } from '../errors.ts';
import { hostTensor, type HostTensor } from '../host-tensor.ts';
import type { OpDef } from '../op-def.ts';
import { formatType, sameType, type TensorType } from '../shape.ts';
import { batchScan } from './scan-batch.ts';
import { scanVjp } from './scan-vjp.ts';

/**
 * scan (lax.scan): operands are the initial carry (the first `carried`), then `scanned` stacked
 * inputs xs (each with a leading axis of size `length`), then constants. The body takes
 * (carry..., x_t..., constants...), where x_t is slice t of each xs, and yields
 * (carry'..., y_t...). The results are the final carry, then each y stacked along a new
 * leading axis of size `length` (y_t at index t). With `reverse`, t runs from length − 1 down to
 * 0; slices are read and written at t either way, as in JAX.
 *
 * On WebGPU (passes/fuse) the carry ping-pongs like a loop's state and, on each trip, the runtime
 * copies slice t of each xs into the body's input and the body's y into slice t of its stack:
 * work per trip is one step's, not the stack's.
 */
export const scan: OpDef<'scan'> = {
  name: 'scan',
  arity: 'variadic',
  attrs: { length: 'int', carried: 'int', scanned: 'int', reverse: 'bool' },
  regions: ['body'],
  infer(inputs, { length, carried, scanned }, [body]) {
    const operands = inputs.map(formatType);
    const fail = (why: string) => new ShapeError('scan', why, operands);
    if (!Number.isInteger(length) || length < 0) throw fail(`length must be a non-negative integer, got ${length}`);
    if (!Number.isInteger(carried) || carried < 0) throw fail(`carried must be a non-negative integer, got ${carried}`);
    if (!Number.isInteger(scanned) || scanned < 0 || carried + scanned > inputs.length)
      throw fail(`carried (${carried}) and scanned (${scanned}) values must fit the ${inputs.length} operands`);
    if (!body) throw fail('missing body');
    const expected = inputs.map((t, i): TensorType => {
      if (i < carried || i >= carried + scanned) return t;
      if (t.shape.length === 0 || t.shape[0] !== length)
        throw fail(`scanned operand ${i - carried} is ${operands[i]}; its leading axis must have the scan's length ${length}`);
      return { dtype: t.dtype, shape: t.shape.slice(1) };
    });
    if (body.inputs.length !== inputs.length) throw fail(`body takes ${body.inputs.length} values, scan passes ${inputs.length}`);
    body.inputs.forEach((v, i) => {
      if (!sameType(v.type, expected[i])) throw fail(`body input ${i} is ${formatType(v.type)}, expected ${formatType(expected[i])}`);
    });
    if (body.outputs.length < carried) throw fail(`body yields ${body.outputs.length} values, ${carried} are carried`);
    body.outputs.slice(0, carried).forEach((v, i) => {
      if (!sameType(v.type, inputs[i]))
        throw fail(`body yields ${formatType(v.type)} for carried value ${i} of type ${operands[i]}`);
    });
    const stacked = body.outputs.slice(carried).map((v) => ({ dtype: v.type.dtype, shape: [length, ...v.type.shape] }));
    return [...inputs.slice(0, carried), ...stacked];
  },
  evalRef(inputs, { length, carried, scanned, reverse }, ctx, [body]) {
    let carry = inputs.slice(0, carried);
    const xs = inputs.slice(carried, carried + scanned);
    const constants = inputs.slice(carried + scanned);
    const ys = body.outputs.slice(carried).map((v) => hostTensor(v.type.dtype, [length, ...ctx.concreteShape(v.type.shape)]));
    for (let k = 0; k < length; k++) {
      const t = reverse ? length - 1 - k : k;
      const out = ctx.evalGraph(body, [...carry, ...xs.map((x) => sliceAt(x, t)), ...constants]);
      carry = out.slice(0, carried);
      out.slice(carried).forEach((y, j) => ys[j].data.set(y.data, t * y.data.length));
    }
    return [...carry, ...ys];
  },
  kernel: { kind: 'control' },
  batch: batchScan,
  vjp: scanVjp,
};

/** Slice t of a stacked tensor (its leading axis removed). */
function sliceAt(x: HostTensor, t: number): HostTensor {
  const shape = x.shape.slice(1);
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: x.dtype, shape, data: x.data.slice(t * n, (t + 1) * n) };
}
