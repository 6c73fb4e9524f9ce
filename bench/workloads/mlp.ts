/**
 * W2: one training step of an MLP 784→512→512→10 with ReLU, softmax cross-entropy on integer
 * labels (mean over the batch), plain SGD at lr 0.01; batch 128 and 1024; steps/s. Every library
 * starts from the same parameters and trains on the same fixed batch, so their loss sequences
 * must agree; the first loss is also checked against float64.
 */
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import * as ax from '../../src/index.ts';
import { labels as drawLabels, relErr, uniform } from '../data.ts';
import type { Case, Contender, ContenderFactory, Workload } from './types.ts';

const LAYERS = [784, 512, 512, 10] as const;
const CLASSES = 10;
const LR = 0.01;
const NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
type Name = (typeof NAMES)[number];
type Params<T> = Record<Name, T>;

interface Problem {
  readonly batch: number;
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly params: Params<{ data: Float32Array; shape: number[] }>;
}

function problem(batch: number): Problem {
  const params = {} as Problem['params'];
  for (let l = 0; l < 3; l++) {
    const [fanIn, fanOut] = [LAYERS[l], LAYERS[l + 1]];
    const limit = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform
    params[NAMES[2 * l]] = { data: uniform(fanIn * fanOut, 100 + l, -limit, limit), shape: [fanIn, fanOut] };
    params[NAMES[2 * l + 1]] = { data: uniform(fanOut, 200 + l, -0.01, 0.01), shape: [fanOut] };
  }
  return { batch, x: uniform(batch * LAYERS[0], 41), y: drawLabels(batch, CLASSES, 42), params };
}

/** relu(a·w + b) in float64 (or without relu for the last layer); a is [rows, k]. */
function dense(a: ArrayLike<number>, rows: number, w: Float32Array, b: Float32Array, k: number, m: number, relu: boolean): Float64Array {
  const out = new Float64Array(rows * m);
  for (let i = 0; i < rows; i++) {
    const o = out.subarray(i * m, (i + 1) * m);
    o.set(b);
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t];
      if (v === 0) continue;
      const wr = t * m;
      for (let j = 0; j < m; j++) o[j] += v * w[wr + j];
    }
    if (relu) for (let j = 0; j < m; j++) o[j] = Math.max(o[j], 0);
  }
  return out;
}

/** The loss at the initial parameters, in float64. */
function referenceLoss({ batch, x, y, params: p }: Problem): number {
  const h1 = dense(x, batch, p.w1.data, p.b1.data, 784, 512, true);
  const h2 = dense(h1, batch, p.w2.data, p.b2.data, 512, 512, true);
  const logits = dense(h2, batch, p.w3.data, p.b3.data, 512, CLASSES, false);
  let total = 0;
  for (let i = 0; i < batch; i++) {
    const row = logits.subarray(i * CLASSES, (i + 1) * CLASSES);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[y[i]];
  }
  return total / batch;
}

function checkLosses(losses: ArrayLike<number>, ref: number) {
  const all = Array.from(losses);
  return { err: relErr(all[0], ref, 0), losses: all };
}

function contenders(batch: number): ContenderFactory[] {
  const prob = problem(batch);
  let ref: number | undefined;
  const reference = () => (ref ??= referenceLoss(prob));
  return [
    {
      name: 'axonic',
      async create(env): Promise<Contender> {
        type P = Params<ax.Tensor>;
        const loss = (p: P, x: ax.Tensor, y: ax.Tensor): ax.Tensor => {
          const h1 = ax.relu(x.matmul(p.w1).add(p.b1));
          const h2 = ax.relu(h1.matmul(p.w2).add(p.b2));
          const logits = h2.matmul(p.w3).add(p.b3);
          return ax.nn.logSoftmax(logits).mul(ax.nn.oneHot(y, CLASSES)).sum(-1).mean().neg();
        };
        const update = (p: P, x: ax.Tensor, y: ax.Tensor) => {
          const [value, grads] = ax.valueAndGrad(loss)(p, x, y);
          return { loss: value, params: ax.treeMap((w: ax.Tensor, g: ax.Tensor) => w.sub(g.mul(LR)), p, grads) as P };
        };
        const put = (data: Float32Array | Int32Array, shape: number[]) => ax.devicePut(ax.array(data, shape));
        const fresh = async () => {
          const p = {} as Params<ax.DeviceArray>;
          for (const n of NAMES) p[n] = await put(prob.params[n].data, prob.params[n].shape);
          return p;
        };
        const x = await put(prob.x, [batch, 784]);
        const y = await put(prob.y, [batch]);
        // The parameters are donated (JAX's donate_argnums), tried first on a copy of them: if
        // WebGPU rejects the donated program, the step runs without donation and says so.
        let step = ax.jit(update, { donateArgnums: [0] });
        let note = 'ax.jit(step, { donateArgnums: [0] })';
        try {
          const trial = await step(await fresh(), x, y);
          for (const a of [trial.loss, ...Object.values(trial.params)]) (a as ax.DeviceArray).dispose();
        } catch (e) {
          const why = (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.includes('GPUValidationError')) ?? String(e);
          step = ax.jit(update);
          note = `donateArgnums: [0] failed (${why.trim()}); measured WITHOUT donation`;
        }
        let params = await fresh();
        const losses: ax.DeviceArray[] = [];
        return {
          name: 'axonic',
          note,
          async run() {
            const out = await step(params, x, y);
            params = out.params as Params<ax.DeviceArray>;
            losses.push(out.loss as ax.DeviceArray);
            await env.axonic.device.queue.onSubmittedWorkDone();
          },
          check: async () => checkLosses((await ax.readAll(losses)).map((l) => l[0]), reference()),
          dispose() {
            for (const a of [...Object.values(params), x, y, ...losses]) a.dispose();
          },
        };
      },
    },
    {
      name: 'jax-js',
      async create(env): Promise<Contender> {
        const { numpy: np, nn } = jax;
        type P = Params<jax.Array>;
        // jax-js owns arguments by reference count: each array below is used exactly once.
        const loss = (p: P, x: jax.Array, y: jax.Array): jax.Array => {
          const h1 = nn.relu(np.matmul(x, p.w1).add(p.b1));
          const h2 = nn.relu(np.matmul(h1, p.w2).add(p.b2));
          const logits = np.matmul(h2, p.w3).add(p.b3);
          return nn.logSoftmax(logits).mul(nn.oneHot(y, CLASSES)).sum(-1).mean().neg();
        };
        const step = jax.jit((p: P, x: jax.Array, y: jax.Array) => {
          const [value, grads] = jax.valueAndGrad(loss)(jax.tree.ref(p), x, y);
          return [value, jax.tree.map((w: jax.Array, g: jax.Array) => w.sub(g.mul(LR)), p, grads as P) as P] as const;
        });
        let params = {} as P;
        for (const n of NAMES) params[n] = np.array(prob.params[n].data, { shape: prob.params[n].shape });
        const x = np.array(prob.x, { shape: [batch, 784] });
        const y = np.array(prob.y, { shape: [batch], dtype: np.int32 });
        const losses: jax.Array[] = [];
        return {
          name: 'jax-js',
          async run() {
            const [value, next] = step(params, x.ref, y.ref);
            params = next;
            losses.push(value);
            // jax-js is lazy: hand the step's kernels to the GPU without reading anything back.
            await Promise.all([value, ...Object.values(params)].map((a) => a.ref.gpuBuffer()));
            await env.jaxDevice.queue.onSubmittedWorkDone();
          },
          async check() {
            const read = [];
            for (const l of losses.splice(0)) read.push((await l.data())[0]);
            return checkLosses(read, reference());
          },
          dispose() {
            jax.tree.dispose([params, x, y, losses]);
            step.dispose();
          },
        };
      },
    },
    {
      name: 'tfjs',
      async create(env): Promise<Contender> {
        const id = Math.random().toString(36).slice(2, 8);
        const vars = {} as Params<tf.Variable>;
        for (const n of NAMES) vars[n] = tf.variable(tf.tensor(prob.params[n].data, prob.params[n].shape), true, `${n}_${batch}_${id}`);
        const x = tf.tensor2d(prob.x, [batch, 784]);
        const y = tf.tensor1d(prob.y, 'int32');
        const varList = NAMES.map((n) => vars[n]);
        const loss = (): tf.Scalar => {
          const h1 = tf.relu(tf.add(tf.matMul(x, vars.w1), vars.b1));
          const h2 = tf.relu(tf.add(tf.matMul(h1, vars.w2), vars.b2));
          const logits = tf.add(tf.matMul(h2, vars.w3), vars.b3);
          const onehot = tf.oneHot(y, CLASSES, 1, 0, 'float32');
          return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), -1))) as tf.Scalar;
        };
        const losses: tf.Scalar[] = [];
        return {
          name: 'tfjs',
          async run() {
            const value = tf.tidy(() => {
              const { value, grads } = tf.variableGrads(loss, varList);
              for (const v of varList) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
              return value;
            });
            losses.push(value);
            env.tfSubmit();
            await env.tfDevice.queue.onSubmittedWorkDone();
          },
          async check() {
            const read = [];
            for (const l of losses) read.push((await l.data())[0]);
            return checkLosses(read, reference());
          },
          dispose() {
            for (const t of [...varList, x, y, ...losses]) t.dispose();
          },
        };
      },
    },
  ];
}

export const mlp: Workload = {
  id: 'W2',
  title: 'W2 MLP training step 784→512→512→10, ReLU, softmax cross-entropy, SGD lr 0.01',
  cases({ sizes = [128, 1024] }): Case[] {
    return sizes.map((batch) => ({
      workload: 'W2',
      size: `batch ${batch}`,
      unit: 'steps/s',
      metric: (ms: number) => 1000 / ms,
      checks: 'first loss vs float64 (relative); every step\'s loss vs axonic\'s (agreement, should be ≤ 1e-5)',
      contenders: () => contenders(batch),
    }));
  },
};
