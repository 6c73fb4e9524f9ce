import { describe, expect, test } from 'vitest';
import { vjpGraph } from '../../passes/autodiff.ts';
import { Emitter, inlineGraph, OP_NAMES, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { floatInputs, gradByFd, gradByVjp, graphOf, rng, weightedLoss } from './fd.ts';
import { casesOf, instantiate } from './op-table.ts';

/**
 * Second order through every VJP rule: for each row's loss L, the gradient of ⟨∇L, v⟩ (vjpGraph
 * applied to a vjpGraph; = H·v, a Hessian-vector product) against central differences of
 * ⟨∇L, v⟩, relative error ≤ 1e-6 (`maxRelError`). Differencing ⟨∇L, v⟩ rather than ∇L along v
 * also holds for custom_vjp, whose bwd need not be a gradient field (its Jacobian is then not
 * symmetric). Rows at ties are left out: there the gradient jumps.
 */
const RTOL = 1e-6;

/** x ↦ ∇L(x) (one result per f32 input), the cotangent of L fixed at 1. */
function gradientGraph(loss: Graph, xs: readonly HostTensor[]): Graph {
  const vg = vjpGraph(loss, floatInputs(loss), [0]);
  return graphOf(xs, (b, ins) => inlineGraph(b, vg, [...ins, new Emitter(b).scalar(1)]).slice(1), 'gradient');
}

/** x ↦ ⟨∇L(x), v⟩. */
function directional(gradient: Graph, xs: readonly HostTensor[], v: readonly HostTensor[]): Graph {
  return graphOf(xs, (b, ins) => {
    const e = new Emitter(b);
    const terms = inlineGraph(b, gradient, ins).map((g, k) => {
      const vk = e.op1('constant', [], { shape: v[k].shape, dtype: 'f32', value: [...v[k].data] });
      return e.sum(e.mul(g, vk), g.type.shape.map((_, i) => i));
    });
    return [terms.reduce((acc, t) => e.add(acc, t))];
  }, 'directional');
}

describe.each(OP_NAMES)('Hessian-vector product through %s', (op) => {
  const rows = casesOf(op).filter((c) => !c.check || c.check.kind !== 'closed' || c.check.smooth);
  test('has a row in the table', () => expect(casesOf(op).length, `${op} has no autodiff row`).toBeGreaterThan(0));
  if (rows.length === 0) return;

  test.each(rows.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { xs, graph, ws } = instantiate(c);
    const gradient = gradientGraph(weightedLoss(graph, ws), xs);
    const r = rng(5 + xs.length);
    const v = floatInputs(graph).map((k) => r.tensor(xs[k].shape));
    const inner = directional(gradient, xs, v);
    const hv = gradByVjp(inner, xs);
    const fd = gradByFd(inner, xs);
    if (c.check?.kind === 'zero') {
      hv.forEach((t, k) => expect([...t.data].every((q) => q === 0), `hvp ${k}: ${[...t.data]}`).toBe(true));
      return;
    }
    hv.forEach((t, k) => {
      const err = maxRelError(t.data, fd[k].data);
      expect(err, `hvp ${k}: ${[...t.data]} vs fd ${[...fd[k].data]}`).toBeLessThanOrEqual(RTOL);
    });
  });
});
