import { describe, expect, it } from 'vitest';
import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { draw, example } from './batch-case.ts';
import { oneAtATime, run } from './oracle.ts';

type Tensor = ax.Tensor;
const d = draw(11);

/** A two-layer network's squared error on one example (x [3], y [2]), with a gather and a loop. */
function loss(w1: Tensor, w2: Tensor, x: Tensor, y: Tensor): Tensor {
  const h = ax.loop(3, (s: Tensor) => ax.tanh(ax.matmul(x, w1).add(s.mul(0.5))), ax.zeros([4]));
  const picked = ax.take(h, ax.array(new Int32Array([3, 0, 2]), [3]), 0);
  const out = ax.matmul(picked, w2);
  return out.sub(y).pow(2).sum();
}

const w1 = d.f32([3, 4]);
const w2 = d.f32([3, 2]);
const xs = d.f32([5, 3]);
const ys = d.f32([5, 2]);

describe('per-example gradients', () => {
  it('vmap(grad(loss)) equals the gradients computed one example at a time', () => {
    const perExample = (w1: Tensor, w2: Tensor, x: Tensor, y: Tensor) =>
      ax.vmap(ax.grad(loss, { argnums: [0, 1] }), [null, null, 0, 0])(w1, w2, x, y) as Tensor[];
    const got = run(perExample, w1, w2, xs, ys);
    expect([...got[0].shape]).toEqual([5, 3, 4]);
    const want = oneAtATime((w1, w2, x, y) => ax.grad(loss, { argnums: [0, 1] })(w1, w2, x, y) as Tensor[], [w1, w2, xs, ys], [null, null, 0, 0]);
    want.forEach((g, k) => expectClose(got[k], g, 1e-12, `gradient ${k}`));
  });

  it('grad of a vmapped mean loss is the mean of the per-example gradients', () => {
    const batchLoss = (w1: Tensor, w2: Tensor, x: Tensor, y: Tensor) => ax.mean(ax.vmap(loss, [null, null, 0, 0])(w1, w2, x, y) as Tensor);
    const got = run((w1, w2, x, y) => ax.grad(batchLoss, { argnums: [0, 1] })(w1, w2, x, y) as Tensor[], w1, w2, xs, ys);
    const each = oneAtATime((w1, w2, x, y) => ax.grad(loss, { argnums: [0, 1] })(w1, w2, x, y) as Tensor[], [w1, w2, xs, ys], [null, null, 0, 0]);
    each.forEach((g, k) => {
      const n = g.shape[0];
      const mean = example(g, 0, 0);
      for (let b = 1; b < n; b++) example(g, 0, b).data.forEach((v, i) => (mean.data[i] += v));
      mean.data.forEach((v, i) => (mean.data[i] = v / n));
      expectClose(got[k], mean, 1e-12, `gradient ${k}`);
    });
  });

  it('the gradient with respect to the mapped inputs, with the weights closed over', () => {
    const inputGrad = (w1: Tensor, w2: Tensor) => ax.grad((x: Tensor, y: Tensor) => loss(w1, w2, x, y));
    const got = run((x, y, w1, w2) => ax.vmap(inputGrad(w1, w2))(x, y) as Tensor, xs, ys, w1, w2);
    const want = oneAtATime((x, y, w1, w2) => inputGrad(w1, w2)(x, y) as Tensor, [xs, ys, w1, w2], [0, 0, null, null]);
    expectClose(got[0], want[0], 1e-12);
  });

  it('a custom VJP inside vmap: each example gets its own bwd', () => {
    // Value x², declared gradient 3·x·g (not the derivative): the batched bwd must see each x.
    const odd = ax.customVjp((x: Tensor) => x.mul(x), ([x], _y, g) => x.mul(g).mul(3));
    const xsv = d.f32([4, 3]);
    const [got] = run((x) => ax.vmap(ax.grad((v: Tensor) => odd(v).sum()))(x) as Tensor, xsv);
    expectClose(got, { ...xsv, data: xsv.data.map((v) => 3 * v) } as HostTensor, 1e-12);
  });

  it('second derivatives per example: vmap(grad(grad(sin))) = −sin', () => {
    const x = d.f32([6], -3, 3);
    const [got] = run((x) => ax.vmap(ax.grad(ax.grad(ax.sin)))(x) as Tensor, x);
    got.data.forEach((v, i) => expect(v).toBeCloseTo(-Math.sin(x.data[i]), 12));
  });
});
