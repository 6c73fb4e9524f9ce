import { ShapeError } from '../errors.ts';
import { dimExpr, isub, load, u32 } from '../kexpr.ts';
import type { OpDef } from '../op-def.ts';
import { formatType } from '../shape.ts';
import { batchAtFront, shifted } from './batching.ts';
import { flatIndex, gatherRef } from './movement.ts';

/**
 * rev (lax.rev, NumPy's flip): reverses the elements along each axis in `dims` (sorted, unique).
 * An index map, so fusion can inline it; it is its own VJP.
 */
export const rev: OpDef<'rev'> = {
  name: 'rev',
  arity: 1,
  attrs: { dims: 'ints' },
  infer([x], { dims }) {
    dims.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 0 || d >= x.shape.length || (i > 0 && dims[i - 1] >= d))
        throw new ShapeError('rev', `dims [${dims}] must be sorted, unique axes of a rank-${x.shape.length} operand`, [formatType(x)]);
    });
    return [x];
  },
  evalRef([x], { dims }) {
    const shape = [...x.shape];
    return [gatherRef(x, shape, (c) => flatIndex(c.map((v, i) => (dims.includes(i) ? shape[i] - 1 - v : v)), shape))];
  },
  kernel: {
    kind: 'expr',
    // An empty reversed axis has no elements, so the wrap of size - 1 is never read.
    build: ({ attrs: { dims }, inputs: [x], out }) =>
      load(0, out.map((c, i) => (dims.includes(i) ? isub(isub(dimExpr(x.shape[i]), u32(1)), c) : c))),
  },
  batch: batchAtFront('rev', ({ dims }) => ({ dims: shifted(dims) })),
  vjp: ({ e }, { attrs: { dims }, cts: [g] }) => [g && e.op1('rev', [g], { dims })],
};
