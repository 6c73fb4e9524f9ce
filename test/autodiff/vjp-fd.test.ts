import { describe, expect, test } from 'vitest';
import { vjpGraph } from '../../passes/autodiff.ts';
import { OP_NAMES, opDef, verifyGraph } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { floatInputs, gradByFd, gradByVjp, weightedLoss } from './fd.ts';
import { casesOf, instantiate, NON_DIFFERENTIABLE } from './op-table.ts';

/**
 * Every primitive's VJP against central finite differences of L = Σ w ⊙ op(x…) in float64 (the
 * reference interpreter), at random points away from kinks. Errors are `maxRelError`: per
 * element, relative to max(|fd|, 1e-2·rms(fd)).
 */
const RTOL = 1e-6;

describe.each(OP_NAMES)('VJP of %s', (op) => {
  const rows = casesOf(op);

  test('has a row in the table and a rule iff it is differentiable', () => {
    expect(rows.length, `${op} has no autodiff row`).toBeGreaterThan(0);
    expect(opDef(op).vjp === null, `${op}: vjp null`).toBe(NON_DIFFERENTIABLE.has(op));
  });

  test.each(rows.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { xs, graph, ws } = instantiate(c);
    const loss = weightedLoss(graph, ws);
    verifyGraph(vjpGraph(loss, floatInputs(loss), [0]));
    const grads = gradByVjp(loss, xs);
    const floats = floatInputs(loss);
    grads.forEach((g, k) => expect([...g.shape], `gradient ${k} shape`).toEqual([...xs[floats[k]].shape]));
    const check = c.check ?? { kind: 'fd' };
    if (check.kind === 'closed') {
      const expected = check.grad(xs, ws);
      grads.forEach((g, k) => expect(maxRelError(g.data, expected[k]), `gradient ${k}: ${[...g.data]} vs ${expected[k]}`).toBeLessThanOrEqual(1e-12));
      return;
    }
    const fd = gradByFd(loss, xs);
    if (check.kind === 'zero') {
      grads.forEach((g, k) => expect([...g.data].every((v) => v === 0), `gradient ${k}: ${[...g.data]}`).toBe(true));
      fd.forEach((g, k) => expect([...g.data].every((v) => v === 0), `finite difference ${k}: ${[...g.data]}`).toBe(true));
      return;
    }
    grads.forEach((g, k) => {
      const err = maxRelError(g.data, fd[k].data);
      expect(err, `gradient ${k}: ${[...g.data]} vs fd ${[...fd[k].data]}`).toBeLessThanOrEqual(RTOL);
    });
  });
});
