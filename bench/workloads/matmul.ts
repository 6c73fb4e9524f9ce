/** W1: square matmul C = A·B, n from 256 to 4096, in GFLOP/s (2n³ per run). */
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import * as ax from '../../src/index.ts';
import { normal, spread } from '../data.ts';
import type { Case, Contender, ContenderFactory, Workload } from './types.ts';

/** |c − ref| / Σₖ|aᵢₖ bₖⱼ| at 8×8 sampled entries, ref in float64 (the error a dot product can have). */
function matmulErr(c: ArrayLike<number>, a: Float32Array, b: Float32Array, n: number): number {
  let worst = 0;
  for (const i of spread(n, 8))
    for (const j of spread(n, 8)) {
      let ref = 0;
      let mag = 0;
      for (let k = 0; k < n; k++) {
        const p = a[i * n + k] * b[k * n + j];
        ref += p;
        mag += Math.abs(p);
      }
      const got = c[i * n + j];
      worst = Math.max(worst, Number.isFinite(got) ? Math.abs(got - ref) / mag : Infinity);
    }
  return worst;
}

function contenders(n: number): ContenderFactory[] {
  const a = normal(n * n, 11);
  const b = normal(n * n, 12);
  const err = (c: ArrayLike<number>) => ({ err: matmulErr(c, a, b, n) });
  return [
    {
      name: 'axonic',
      async create(env): Promise<Contender> {
        const da = await ax.devicePut(ax.array(a, [n, n]));
        const db = await ax.devicePut(ax.array(b, [n, n]));
        const f = ax.jit((x: ax.Tensor, y: ax.Tensor) => ax.matmul(x, y));
        let out: ax.DeviceArray | undefined;
        return {
          name: 'axonic',
          async run() {
            out?.dispose();
            out = await f(da, db);
            await env.axonic.device.queue.onSubmittedWorkDone();
          },
          check: async () => err((await out!.data()) as Float32Array),
          dispose() {
            out?.dispose();
            da.dispose();
            db.dispose();
          },
        };
      },
    },
    {
      name: 'jax-js',
      async create(env): Promise<Contender> {
        const ja = jax.numpy.array(a, { shape: [n, n] });
        const jb = jax.numpy.array(b, { shape: [n, n] });
        const f = jax.jit((x: jax.Array, y: jax.Array) => jax.numpy.matmul(x, y));
        let out: jax.Array | undefined;
        return {
          name: 'jax-js',
          async run() {
            out?.dispose();
            out = f(ja.ref, jb.ref);
            await out.ref.gpuBuffer(); // submits the pending kernel without reading
            await env.jaxDevice.queue.onSubmittedWorkDone();
          },
          async check() {
            const c = await out!.data();
            out = undefined;
            return err(c);
          },
          dispose() {
            out?.dispose();
            ja.dispose();
            jb.dispose();
            f.dispose();
          },
        };
      },
    },
    {
      name: 'tfjs',
      async create(env): Promise<Contender> {
        const ta = tf.tensor2d(a, [n, n]);
        const tb = tf.tensor2d(b, [n, n]);
        let out: tf.Tensor | undefined;
        return {
          name: 'tfjs',
          async run() {
            out?.dispose();
            out = tf.matMul(ta, tb);
            env.tfSubmit();
            await env.tfDevice.queue.onSubmittedWorkDone();
          },
          check: async () => err(await out!.data()),
          dispose() {
            out?.dispose();
            ta.dispose();
            tb.dispose();
          },
        };
      },
    },
  ];
}

export const matmul: Workload = {
  id: 'W1',
  title: 'W1 matmul, square n×n·n×n, f32',
  cases({ sizes = [256, 512, 1024] }): Case[] {
    return sizes.map((n) => ({
      workload: 'W1',
      size: `n=${n}`,
      unit: 'GFLOP/s',
      metric: (ms: number) => (2 * n ** 3) / (ms * 1e6),
      checks: '64 entries vs float64, error / Σ|aᵢₖbₖⱼ|',
      contenders: () => contenders(n),
    }));
  },
};
