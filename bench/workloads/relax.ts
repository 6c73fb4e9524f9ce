/**
 * W4: relaxation dynamics s ← s + 0.1·(−s + tanh(s·W + x)), s [128, 512], W [512, 512], 50 steps
 * per run, from the same start every run; ms per run. Rows of s evolve independently, so four
 * rows are checked against float64 after 50 steps.
 */
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import * as ax from '../../src/index.ts';
import { maxRelErr, normal, spread, uniform } from '../data.ts';
import type { Case, Contender, ContenderFactory, Workload } from './types.ts';

const ROWS = 128;
const DIM = 512;
const STEPS = 50;
const RATE = 0.1;
const CHECKED_ROWS = spread(ROWS, 4);

function reference(s0: Float32Array, w: Float32Array, x: Float32Array): Float64Array {
  const out = new Float64Array(CHECKED_ROWS.length * DIM);
  const z = new Float64Array(DIM);
  CHECKED_ROWS.forEach((r, k) => {
    const s = Float64Array.from(s0.subarray(r * DIM, (r + 1) * DIM));
    for (let step = 0; step < STEPS; step++) {
      z.fill(0);
      for (let t = 0; t < DIM; t++) {
        const v = s[t];
        for (let j = 0; j < DIM; j++) z[j] += v * w[t * DIM + j];
      }
      for (let j = 0; j < DIM; j++) s[j] += RATE * (-s[j] + Math.tanh(z[j] + x[r * DIM + j]));
    }
    out.set(s, k * DIM);
  });
  return out;
}

function contenders(): ContenderFactory[] {
  const s0 = uniform(ROWS * DIM, 51, -0.5, 0.5);
  const w = normal(DIM * DIM, 52, 1 / Math.sqrt(DIM));
  const x = normal(ROWS * DIM, 53, 0.5);
  let ref: Float64Array | undefined;
  const err = (s: ArrayLike<number>) => {
    const rows = new Float64Array(CHECKED_ROWS.length * DIM);
    CHECKED_ROWS.forEach((r, k) => {
      for (let j = 0; j < DIM; j++) rows[k * DIM + j] = s[r * DIM + j];
    });
    return { err: maxRelErr(rows, (ref ??= reference(s0, w, x))) };
  };
  return [
    {
      name: 'axonic',
      async create(env): Promise<Contender> {
        const [ds, dw, dx] = await Promise.all([
          ax.devicePut(ax.array(s0, [ROWS, DIM])),
          ax.devicePut(ax.array(w, [DIM, DIM])),
          ax.devicePut(ax.array(x, [ROWS, DIM])),
        ]);
        const relax = ax.jit((s: ax.Tensor, wt: ax.Tensor, xt: ax.Tensor) =>
          ax.loop(STEPS, (v: ax.Tensor) => v.add(v.neg().add(ax.tanh(v.matmul(wt).add(xt))).mul(RATE)), s),
        );
        let out: ax.DeviceArray | undefined;
        return {
          name: 'axonic',
          note: `ax.loop(${STEPS}, body, s) inside one ax.jit`,
          async run() {
            out?.dispose();
            out = await relax(ds, dw, dx);
            await env.axonic.device.queue.onSubmittedWorkDone();
          },
          check: async () => err((await out!.data()) as Float32Array),
          dispose() {
            for (const a of [out, ds, dw, dx]) a?.dispose();
          },
        };
      },
    },
    {
      name: 'jax-js',
      async create(env): Promise<Contender> {
        const np = jax.numpy;
        const js = np.array(s0, { shape: [ROWS, DIM] });
        const jw = np.array(w, { shape: [DIM, DIM] });
        const jx = np.array(x, { shape: [ROWS, DIM] });
        // jax-js 0.1.25 has no lax.fori_loop/scan: the JS loop is unrolled under jit.
        const relax = jax.jit((s: jax.Array, wt: jax.Array, xt: jax.Array) => {
          for (let i = 0; i < STEPS; i++) {
            const t = np.tanh(np.matmul(s.ref, wt.ref).add(xt.ref));
            s = s.ref.add(s.neg().add(t).mul(RATE));
          }
          wt.dispose();
          xt.dispose();
          return s;
        });
        let out: jax.Array | undefined;
        return {
          name: 'jax-js',
          note: `JS for-loop of ${STEPS} steps unrolled inside one jax.jit (jax-js has no fori_loop/scan)`,
          async run() {
            out?.dispose();
            out = relax(js.ref, jw.ref, jx.ref);
            await out.ref.gpuBuffer();
            await env.jaxDevice.queue.onSubmittedWorkDone();
          },
          async check() {
            const s = await out!.data();
            out = undefined;
            return err(s);
          },
          dispose() {
            jax.tree.dispose([out, js, jw, jx]);
            relax.dispose();
          },
        };
      },
    },
    {
      name: 'tfjs',
      async create(env): Promise<Contender> {
        const ts = tf.tensor2d(s0, [ROWS, DIM]);
        const tw = tf.tensor2d(w, [DIM, DIM]);
        const tx = tf.tensor2d(x, [ROWS, DIM]);
        let out: tf.Tensor | undefined;
        return {
          name: 'tfjs',
          note: `JS for-loop of ${STEPS} eager steps inside tf.tidy (tfjs has no jit)`,
          async run() {
            out?.dispose();
            out = tf.tidy(() => {
              let s: tf.Tensor = ts;
              for (let i = 0; i < STEPS; i++) s = tf.add(s, tf.mul(tf.add(tf.neg(s), tf.tanh(tf.add(tf.matMul(s, tw), tx))), RATE));
              return s;
            });
            env.tfSubmit();
            await env.tfDevice.queue.onSubmittedWorkDone();
          },
          check: async () => err(await out!.data()),
          dispose() {
            for (const t of [out, ts, tw, tx]) t?.dispose();
          },
        };
      },
    },
  ];
}

export const relax: Workload = {
  id: 'W4',
  title: `W4 relaxation s ← s + ${RATE}·(−s + tanh(s·W + x)), s [${ROWS}, ${DIM}], W [${DIM}, ${DIM}], ${STEPS} steps`,
  cases(): Case[] {
    return [
      {
        workload: 'W4',
        size: `${STEPS} steps`,
        unit: 'ms',
        metric: (ms: number) => ms,
        checks: `rows ${CHECKED_ROWS.join(', ')} after ${STEPS} steps vs float64, |err| / max(|ref|, 1)`,
        contenders,
      },
    ];
  },
};
