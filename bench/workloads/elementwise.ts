/**
 * W3: y = tanh(relu(x·a + b)·c − d) + x·x over 2^20 to 2^24 f32 elements, a..d constants; GB/s
 * counting 4 bytes read and 4 written per element. Also timed in the same loop: a plain f32 copy
 * kernel and a vec4 copy of the same size on the same device, the rates W3 is compared with.
 */
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import * as ax from '../../src/index.ts';
import { maxRelErr, normal } from '../data.ts';
import { copyContender } from './copy.ts';
import type { Case, Contender, ContenderFactory, Workload } from './types.ts';

const A = 1.5;
const B = -0.25;
const C = 0.75;
const D = 0.1;

function reference(x: Float32Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(Math.max(x[i] * A + B, 0) * C - D) + x[i] * x[i];
  return y;
}

function contenders(n: number): ContenderFactory[] {
  const x = normal(n, 31);
  let ref: Float64Array | undefined;
  const err = (y: ArrayLike<number>) => ({ err: maxRelErr(y, (ref ??= reference(x))) });
  return [
    {
      name: 'axonic',
      async create(env): Promise<Contender> {
        const dx = await ax.devicePut(ax.array(x, [n]));
        const f = ax.jit((v: ax.Tensor) => ax.tanh(ax.relu(v.mul(A).add(B)).mul(C).sub(D)).add(v.mul(v)));
        let out: ax.DeviceArray | undefined;
        return {
          name: 'axonic',
          async run() {
            out?.dispose();
            out = await f(dx);
            await env.axonic.device.queue.onSubmittedWorkDone();
          },
          check: async () => err((await out!.data()) as Float32Array),
          dispose() {
            out?.dispose();
            dx.dispose();
          },
        };
      },
    },
    {
      name: 'jax-js',
      async create(env): Promise<Contender> {
        const np = jax.numpy;
        const jx = np.array(x);
        const f = jax.jit((v: jax.Array) => np.tanh(jax.nn.relu(v.ref.mul(A).add(B)).mul(C).sub(D)).add(v.ref.mul(v)));
        let out: jax.Array | undefined;
        return {
          name: 'jax-js',
          async run() {
            out?.dispose();
            out = f(jx.ref);
            await out.ref.gpuBuffer();
            await env.jaxDevice.queue.onSubmittedWorkDone();
          },
          async check() {
            const y = await out!.data();
            out = undefined;
            return err(y);
          },
          dispose() {
            out?.dispose();
            jx.dispose();
            f.dispose();
          },
        };
      },
    },
    {
      name: 'tfjs',
      async create(env): Promise<Contender> {
        const tx = tf.tensor1d(x);
        // The constants as resident scalars, as a tfjs user keeps them (not re-created per call).
        const [a, b, c, d] = [A, B, C, D].map((v) => tf.scalar(v));
        let out: tf.Tensor | undefined;
        return {
          name: 'tfjs',
          async run() {
            out?.dispose();
            out = tf.tidy(() => tf.add(tf.tanh(tf.sub(tf.mul(tf.relu(tf.add(tf.mul(tx, a), b)), c), d)), tf.mul(tx, tx)));
            env.tfSubmit();
            await env.tfDevice.queue.onSubmittedWorkDone();
          },
          check: async () => err(await out!.data()),
          dispose() {
            out?.dispose();
            tx.dispose();
            for (const s of [a, b, c, d]) s.dispose();
          },
        };
      },
    },
    copyContender(x, false),
    copyContender(x, true),
  ];
}

/** --size for W3: a log2 (20 → 2^20) or an element count. */
const elements = (s: number): number => (s <= 40 ? 2 ** s : s);
const label = (n: number): string => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));

export const elementwise: Workload = {
  id: 'W3',
  title: 'W3 elementwise y = tanh(relu(x·a + b)·c − d) + x·x, f32 (8 bytes per element)',
  cases({ sizes = [20, 22] }): Case[] {
    return sizes.map(elements).map((n) => ({
      workload: 'W3',
      size: label(n),
      unit: 'GB/s',
      metric: (ms: number) => (8 * n) / (ms * 1e6),
      checks: 'every element vs float64, |err| / max(|ref|, 1)',
      contenders: () => contenders(n),
      relativeTo: ['copy f32', 'copy vec4'],
    }));
  },
};
