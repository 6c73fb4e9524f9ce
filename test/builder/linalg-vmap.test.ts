import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor, type HostTensor } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { example, stack } from '../vmap/batch-case.ts';
import { oneAtATime } from '../vmap/oracle.ts';
import { randomValues } from './helpers.ts';
import { boosted, randomMatrix, reference, spd, stackOf } from './linalg-helpers.ts';

/**
 * ax.vmap through the linalg functions (the loops and custom VJPs batched by the primitives'
 * rules) against the oracle of the vmap suites: the function run on each example alone, results
 * stacked. Also vmap of grad (per-example gradients) and grad through vmap. Same float64
 * arithmetic either way, so the bound is rounding noise, 1e-12.
 */
const TOL = 1e-12;
type Tensor = ax.Tensor;
type Fn = (...xs: Tensor[]) => ax.Tree<Tensor>;

const N = 4;
const BATCH = 3;
const examples = (make: (k: number) => number[][], axis = 0): HostTensor => stack(Array.from({ length: BATCH }, (_, k) => stackOf([], () => make(k))), axis);
const generalBatch = (seed: number, axis = 0) => examples((k) => boosted(seed + k, N, 2), axis);
const spdBatch = (seed: number, axis = 0) => examples((k) => spd(seed + k, N), axis);
const rhsBatch = (seed: number) => examples((k) => randomMatrix(seed + k, N, 2));
const oneMatrix = (seed: number) => stackOf([], () => boosted(seed, N, 2));
const vectors = (seed: number) => hostTensor('f32', [BATCH, N], randomValues(seed, BATCH * N));

interface VmapCase {
  readonly name: string;
  readonly fn: Fn;
  readonly args: HostTensor[];
  readonly axes: (number | null)[];
}

const CASES: VmapCase[] = [
  { name: 'cholesky', fn: (a) => ax.linalg.cholesky(a), args: [spdBatch(1)], axes: [0] },
  { name: 'cholesky, examples along the last axis', fn: (a) => ax.linalg.cholesky(a), args: [spdBatch(2, 2)], axes: [2] },
  {
    name: 'triangularSolve, both batched',
    fn: (a, b) => ax.linalg.triangularSolve(a, b, { leftSide: true, lower: true }),
    args: [generalBatch(3), rhsBatch(4)],
    axes: [0, 0],
  },
  {
    name: 'triangularSolve, one a for every b',
    fn: (a, b) => ax.linalg.triangularSolve(a, b, { leftSide: true, transposeA: true }),
    args: [oneMatrix(5), rhsBatch(6)],
    axes: [null, 0],
  },
  { name: 'solve, a batched, one vector b', fn: (a, b) => ax.linalg.solve(a, b), args: [generalBatch(7), hostTensor('f32', [N], randomValues(8, N))], axes: [0, null] },
  { name: 'solve, one a, b batched vectors', fn: (a, b) => ax.linalg.solve(a, b), args: [oneMatrix(9), vectors(10)], axes: [null, 0] },
  { name: 'inv', fn: (a) => ax.linalg.inv(a), args: [generalBatch(11)], axes: [0] },
  { name: 'det', fn: (a) => ax.linalg.det(a), args: [generalBatch(12, 1)], axes: [1] },
  {
    name: 'slogdet',
    fn: (a) => {
      const s = ax.linalg.slogdet(a);
      return [s.sign, s.logabsdet];
    },
    args: [generalBatch(13)],
    axes: [0],
  },
  {
    name: 'lu',
    fn: (a) => {
      const f = ax.linalg.lu(a);
      return [f.lu, f.permutation];
    },
    args: [generalBatch(14)],
    axes: [0],
  },
];

const asList = (t: ax.Tree<Tensor>): Tensor[] => (Array.isArray(t) ? (t as Tensor[]) : [t as Tensor]);
const scalarLoss = (fn: Fn) => (...xs: Tensor[]) => asList(fn(...xs)).filter((t) => t.dtype === 'f32').reduce((s: Tensor, t) => s.add(ax.sum(t.sin())), ax.zeros([]));
const floatArgs = (c: VmapCase) => c.args.map((_, i) => i);

describe.each(CASES)('vmap: $name', (c) => {
  test('equals the function applied to one example at a time', () => {
    const got = reference((...xs) => asList(ax.vmap(c.fn, c.axes)(...xs) as ax.Tree<Tensor>), ...c.args);
    const want = oneAtATime((...xs) => asList(c.fn(...xs)), c.args, c.axes);
    want.forEach((w, k) => expectClose(got[k], w, TOL, `result ${k}`));
  });

  test('vmap(grad) gives the per-example gradients', () => {
    const g = ax.grad(scalarLoss(c.fn), { argnums: floatArgs(c) });
    // Both stack each gradient's examples at axis 0 (a shared input's too), whatever the input axis.
    const got = reference((...xs) => ax.vmap(g, c.axes)(...xs) as Tensor[], ...c.args);
    const want = oneAtATime((...xs) => g(...xs) as Tensor[], c.args, c.axes);
    want.forEach((w, k) => expectClose(got[k], w, TOL, `gradient ${k}`));
  });

  test('grad through vmap: the gradient of the summed losses is the sum of per-example gradients', () => {
    const total = (...xs: Tensor[]) => ax.sum(ax.vmap(scalarLoss(c.fn), c.axes)(...xs) as Tensor);
    const got = reference((...xs) => ax.grad(total, { argnums: floatArgs(c) })(...xs) as Tensor[], ...c.args);
    const each = oneAtATime((...xs) => ax.grad(scalarLoss(c.fn), { argnums: floatArgs(c) })(...xs) as Tensor[], c.args, c.axes);
    c.args.forEach((arg, k) => {
      const perExample = each[k];
      const summed = hostTensor('f32', arg.shape, new Array(arg.data.length).fill(0));
      if (c.axes[k] === null) {
        // The shared input's gradient is the sum over examples.
        const size = arg.data.length;
        for (let b = 0; b < BATCH; b++) for (let i = 0; i < size; i++) summed.data[i] += perExample.data[b * size + i];
        expectClose(got[k], summed, 1e-11, `gradient ${k}`);
      } else {
        const restacked = stack(Array.from({ length: BATCH }, (_, b) => example(perExample, 0, b)), c.axes[k]!);
        expectClose(got[k], restacked, TOL, `gradient ${k}`);
      }
    });
  });
});

test('vmap of vmap: det over a [2, 3] grid of matrices equals the batched det', () => {
  const a = stackOf([2, 3], (k) => boosted(30 + k, N, 2));
  const [nested] = reference((x) => ax.vmap(ax.vmap((y: Tensor) => ax.linalg.det(y)))(x) as Tensor, a);
  const [batched] = reference((x) => ax.linalg.det(x), a);
  expect([...nested.shape]).toEqual([2, 3]);
  expectClose(nested, batched, TOL);
});
