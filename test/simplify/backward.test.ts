import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import { printGraph, verifyGraph, type Graph } from '../../src/ir/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { inlineCustomVjp } from '../../passes/inline-calls.ts';
import { DEFAULT_RULES, exactRules, simplify } from '../../passes/simplify/index.ts';
import { checkLean } from './lean-text.ts';
import { expectClose, expectIdentical, sampleInputs } from './values.ts';

/**
 * Issue 4's acceptance: backward graphs traced with the builder, simplified as the compiler does
 * (after autodiff), hold no dead values and no duplicate subexpressions, checked on the printed
 * text, and compute what the unsimplified graphs compute.
 */
type T = ax.Tensor;
const f32 = (...shape: (number | string)[]) => ax.spec('f32', shape);

const mlpLoss = (p: { w1: T; b1: T; w2: T; b2: T }, x: T, y: T) => {
  const h = ax.tanh(ax.matmul(x, p.w1).add(p.b1));
  const out = ax.matmul(h, p.w2).add(p.b2);
  return ax.mean(ax.square(out.sub(y)));
};

const crossEntropy = (w: T, x: T, onehot: T) => ax.negative(ax.mean(ax.sum(onehot.mul(ax.logSoftmax(ax.matmul(x, w), -1)), -1)));

const loopLoss = (y: T, z: T) =>
  ax.sum(ax.foriLoop(0, 4, (i: T, s: T) => ax.tanh(s.mul(y).add(i.astype('f32').mul(0.1))), z) as T);

const steTanh = ax.customVjp((x: T) => ax.tanh(x), (_x, y, g) => g.mul(ax.subtract(1, y.mul(y))).mul(0.5));

interface BackwardCase {
  readonly name: string;
  readonly graph: () => Graph;
  readonly binding?: Readonly<Record<string, number>>;
}

const CASES: readonly BackwardCase[] = [
  {
    name: 'grad of a tanh-MLP loss (all parameters, symbolic batch)',
    graph: () =>
      ax.trace(
        (p: { w1: T; b1: T; w2: T; b2: T }, x: T, y: T) => ax.grad(mlpLoss)(p, x, y),
        { w1: f32(4, 8), b1: f32(8), w2: f32(8, 3), b2: f32(3) },
        f32('N', 4),
        f32('N', 3),
      ),
    binding: { N: 5 },
  },
  {
    name: 'value and grad of softmax cross-entropy',
    graph: () => ax.trace((w: T, x: T, t: T) => ax.valueAndGrad(crossEntropy)(w, x, t), f32(4, 6), f32(5, 4), f32(5, 6)),
  },
  {
    name: 'grad of grad of tanh, and the third derivative',
    graph: () =>
      ax.trace((x: T) => [ax.grad(ax.grad(ax.tanh))(x), ax.grad(ax.grad(ax.grad(ax.tanh)))(x)], f32()),
  },
  {
    name: 'grad through a loop that reads its counter',
    graph: () => ax.trace((y: T, z: T) => ax.grad(loopLoss, { argnums: [0, 1] })(y, z), f32(3), f32(3)),
  },
  {
    name: 'value and grad through a loop',
    graph: () => ax.trace((y: T, z: T) => ax.valueAndGrad(loopLoss)(y, z), f32(3), f32(3)),
  },
  {
    name: 'grad through a custom VJP',
    graph: () => ax.trace((x: T, w: T) => ax.grad((a: T) => ax.sum(steTanh(a.mul(w)).mul(w)))(x), f32(2, 3), f32(3)),
  },
  {
    name: 'Hessian-vector product: the JVP of a gradient',
    graph: () =>
      ax.trace(
        (x: T, v: T) => ax.jvp(ax.grad((y: T) => ax.sum(ax.tanh(y).mul(y))), [x], [v])[1],
        f32(4),
        f32(4),
      ),
  },
];

const lean = (g: Graph) => checkLean(printGraph(g));

describe('simplified backward graphs are lean and compute the same values', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const g = c.graph();
    const inputs = sampleInputs(g, new Map(Object.entries(c.binding ?? {})), 7);
    const expected = evaluate(g, inputs);
    // The original trace is not lean: this is the work simplify has to do.
    const before = lean(g);
    expect(before.dead.length + before.duplicates.length, printGraph(g)).toBeGreaterThan(0);

    for (const graph of [g, inlineCustomVjp(g)]) {
      const exact = simplify(graph, { rules: exactRules(DEFAULT_RULES), afterAutodiff: true });
      verifyGraph(exact.graph);
      expect(lean(exact.graph), printGraph(exact.graph)).toEqual({ dead: [], duplicates: [] });
      expectIdentical(evaluate(exact.graph, inputs), expected, `${c.name}, exact rules`);

      const full = simplify(graph, { afterAutodiff: true });
      verifyGraph(full.graph);
      expect(lean(full.graph), printGraph(full.graph)).toEqual({ dead: [], duplicates: [] });
      expectClose(evaluate(full.graph, inputs), expected, 1e-12, `${c.name}, every rule`);
      expect(full.graph.nodes.length).toBeLessThan(g.nodes.length);
      expect(full.converged).toBe(true);
    }
  });
});
