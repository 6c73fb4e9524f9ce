import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import { hostTensor, walkNodes, type HostTensor } from '../../src/ir/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { rng } from './fd.ts';
import { mixedLoss } from './mixed-loss.ts';

/** Backward graphs compile and run on WebGPU (fails, never skips, without an adapter). */
let backend: Awaited<ReturnType<typeof gpuBackend>>;
beforeAll(async () => {
  backend = await gpuBackend();
});

const first = async (a: unknown) => (await (a as ax.DeviceArray).data())[0];

describe('gradients under jit on WebGPU', () => {
  test('SEMANTICS 5.2: grad(sin)(2π) = 1 and grad(sin)(1²) = cos(1²) = 0.540302 in float32', async () => {
    const dsin = ax.jit((x: ax.Tensor) => ax.grad(ax.sin)(x) as ax.Tensor, { backend });
    expect(Math.abs((await first(await dsin(hostTensor('f32', [], [2 * Math.PI])))) - 1)).toBeLessThan(1e-6);
    const dsinSq = ax.jit((x: ax.Tensor) => ax.grad(ax.sin)(x.pow(2)) as ax.Tensor, { backend });
    expect(await first(await dsinSq(hostTensor('f32', [], [1])))).toBeCloseTo(0.540302, 6);
  });

  test('an MLP loss gradient (with take and a strided slice) matches the reference', async () => {
    type Params = { emb: ax.Tensor; w1: ax.Tensor; b1: ax.Tensor; w2: ax.Tensor; b2: ax.Tensor };
    // take's VJP is a one-hot dot_general, the strided slice's VJP a gather: both run on the GPU.
    const loss = (p: Params, tokens: ax.Tensor, y: ax.Tensor) => {
      const x = ax.take(p.emb, tokens, 0);
      const h = ax.tanh(ax.matmul(x, p.w1).add(p.b1));
      const logits = ax.matmul(ax.slice(h, [0, 0], [5, 8], [1, 2]), p.w2).add(p.b2);
      return ax.mean(logits.sub(y).pow(2)).add(ax.mean(ax.logsumexp(logits, 1)));
    };
    const gradFn = (p: Params, tokens: ax.Tensor, y: ax.Tensor) => ax.grad(loss)(p, tokens, y) as Params;
    const r = rng(41);
    const params = { emb: r.tensor([6, 4]), w1: r.tensor([4, 8]), b1: r.tensor([8]), w2: r.tensor([4, 3]), b2: r.tensor([3]) };
    const tokens = hostTensor('i32', [5], [0, 3, 3, 5, 1]);
    const y = r.tensor([5, 3]);

    const graph = ax.trace(gradFn, params, tokens, y);
    const ops = [...walkNodes(graph)].map((n) => n.op);
    expect(ops.filter((op) => op === 'gather').length).toBeGreaterThanOrEqual(2);
    expect(ops.filter((op) => op === 'dot_general').length).toBeGreaterThanOrEqual(6);
    const expected = evaluate(graph, [...Object.values(params), tokens, y]);

    const got = await ax.jit(gradFn, { backend })(params, tokens, y);
    const names = Object.keys(params) as (keyof Params)[];
    for (const [i, name] of names.entries()) {
      expect(got[name].onGpu, name).toBe(true);
      const data = await got[name].data();
      const ref: HostTensor = expected[i];
      expect([...got[name].shape], name).toEqual([...ref.shape]);
      expect(maxRelError(data, ref.data), name).toBeLessThanOrEqual(1e-4);
    }
    // The repeated token 3 accumulates two rows of cotangent; the unused rows 2 and 4 get none.
    const emb = await got.emb.data();
    expect([...emb.slice(8, 12), ...emb.slice(16, 20)]).toEqual(Array(8).fill(0));
  });

  test('with a symbolic batch dim, one compiled gradient program serves every N', async () => {
    const gradFn = (w: ax.Tensor, x: ax.Tensor) => ax.grad(mixedLoss, { argnums: [0, 1] })(w, x) as [ax.Tensor, ax.Tensor];
    const specs = [ax.spec('f32', [4, 3]), ax.spec('f32', ['N', 4])];
    const jitted = ax.jit(gradFn, { backend, specs });
    const graph = ax.trace(gradFn, ...specs);
    const w = rng(42).tensor([4, 3]);
    for (const n of [3, 70]) {
      const x = rng(43 + n).tensor([n, 4]);
      const expected = evaluate(graph, [w, x]);
      const got = await jitted(w, x);
      for (const i of [0, 1]) expect(maxRelError(await got[i].data(), expected[i].data), `gradient ${i}, N = ${n}`).toBeLessThanOrEqual(1e-4);
    }
    expect(jitted.compileCount).toBe(1);
  });
});
