import { describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { inlineInto } from '../../src/builder/subtrace.ts';
import { hostTensor, OP_NAMES, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { directionalFd, dotAll, floatInputs, rng } from './fd.ts';
import type { OpCase } from './op-case.ts';
import { casesOf, instantiate } from './op-table.ts';

/**
 * Forward mode: the table of vjp-fd.test.ts through `ax.jvp` (traced with ax.trace, evaluated by
 * the reference interpreter) against directional central differences, relative error ≤ 1e-6
 * (`maxRelError`). ax.jvp transposes the VJP, so this also differentiates every VJP rule with
 * respect to its cotangent.
 */
const RTOL = 1e-6;

/** [primal outputs, output tangents] of the row's graph at xs along ts, through ax.jvp. */
function jvpOf(graph: Graph, xs: readonly HostTensor[], ts: readonly HostTensor[]): [HostTensor[], HostTensor[]] {
  const n = xs.length;
  const traced = ax.trace((...all: ax.Tensor[]) => {
    const f = (...ys: ax.Tensor[]) => inlineInto(ys[0].ctx, graph, ys.map((y) => y.value));
    return ax.jvp(f, all.slice(0, n), all.slice(n));
  }, ...xs, ...ts);
  const out = evaluate(traced, [...xs, ...ts]);
  const k = graph.outputs.length;
  return [out.slice(0, k), out.slice(k)];
}

/** J·t from a closed-form gradient (linear in the weights): row j of J is the gradient at w = e_j. */
function closedJvp(c: OpCase, xs: readonly HostTensor[], outs: readonly HostTensor[], t: readonly HostTensor[]): number[][] {
  const check = c.check as Extract<OpCase['check'], { kind: 'closed' }>;
  return outs.map((y, k) =>
    [...y.data].map((_, j) => {
      const ws = outs.map((o, m) => hostTensor('f32', o.shape, [...o.data].map((__, i) => (m === k && i === j ? 1 : 0))));
      const rows = check.grad(xs, ws).map((g) => hostTensor('f32', [g.length], g));
      return dotAll(rows, t.map((tt) => hostTensor('f32', [tt.data.length], tt.data)));
    }),
  );
}

describe.each(OP_NAMES)('JVP of %s', (op) => {
  const rows = casesOf(op);
  test('has a row in the table', () => expect(rows.length, `${op} has no autodiff row`).toBeGreaterThan(0));

  test.each(rows.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { xs, graph } = instantiate(c);
    const r = rng(7 + xs.length);
    const floats = floatInputs(graph);
    // Non-float inputs (indices) get a tangent too, as ax.jvp wants one per primal; it is unused.
    const ts = xs.map((x) => (x.dtype === 'f32' ? r.tensor(x.shape) : hostTensor(x.dtype, x.shape)));
    const tFloat = floats.map((k) => ts[k]);
    const [outs, tangents] = jvpOf(graph, xs, ts);
    evaluate(graph, xs).forEach((y, k) => expect([...outs[k].data], `primal ${k}`).toEqual([...y.data]));
    tangents.forEach((t, k) => expect([...t.shape], `tangent ${k} shape`).toEqual([...outs[k].shape]));
    const check = c.check ?? { kind: 'fd' };
    if (check.kind === 'closed') {
      const expected = closedJvp(c, xs, outs, tFloat);
      tangents.forEach((t, k) => expect(maxRelError(t.data, expected[k]), `tangent ${k}: ${[...t.data]} vs ${expected[k]}`).toBeLessThanOrEqual(1e-12));
      return;
    }
    const fd = directionalFd(graph, xs, tFloat);
    if (check.kind === 'zero') {
      tangents.forEach((t, k) => expect([...t.data].every((v) => v === 0), `tangent ${k}: ${[...t.data]}`).toBe(true));
      fd.forEach((t, k) => expect([...t.data].every((v) => v === 0), `finite difference ${k}: ${[...t.data]}`).toBe(true));
      return;
    }
    tangents.forEach((t, k) => {
      const err = maxRelError(t.data, fd[k].data);
      expect(err, `tangent ${k}: ${[...t.data]} vs fd ${[...fd[k].data]}`).toBeLessThanOrEqual(RTOL);
    });
  });
});
