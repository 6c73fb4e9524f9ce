/**
 * The tutorial's unit-circle models (seed 004, SEMANTICS.md 5.2 and 5.3 c, d): learn a map
 * f: R² → R² that sends every data point onto the unit circle, by gradient descent on the
 * constraint loss mean((‖f(x)‖₂ − 1)²) with ax.grad over a tree of parameters.
 *
 * - A linear model f(x) = x wᵀ cannot do it: started from equal rows, w stays rank 1 and the loss
 *   drops only a little.
 * - A one-hidden-layer ReLU MLP of width 1024 can: 10 000 updates at lr 0.001 bring the loss from
 *   about 10³ to about 10⁻³. The updates run on WebGPU as ax.loop chunks, each chunk one jitted
 *   program and one GPU submission (the gradient is taken inside the loop body).
 *
 * Run: npx tsx examples/unit-circle.ts
 */
import * as ax from '../src/index.ts';

/** [w, b]: the linear model's weight [2, 2] and a bias [2] that the model never uses. */
export type LinearParams = [ax.Tensor, ax.Tensor];
/** [w0, b0, w1, b1]: [width, 2], [width], [2, width], [2]. */
export type MlpParams = [ax.Tensor, ax.Tensor, ax.Tensor, ax.Tensor];

/** mean((‖f(x)‖₂ − 1)²) over the points (rows of fx). */
export const circleLoss = (fx: ax.Tensor): ax.Tensor => ax.mean(ax.norm(fx, 1).sub(1).square());

/** f(x) = x wᵀ, written as the tutorial's einsum; b is unused (its gradient is zero). */
export const linearModel = ([w]: LinearParams, x: ax.Tensor): ax.Tensor => ax.einsum('ji,ci->cj', w, x);

export const mlpModel = ([w0, b0, w1, b1]: MlpParams, x: ax.Tensor): ax.Tensor => {
  const z = ax.relu(ax.einsum('ji,ci->cj', w0, x).add(b0));
  return ax.einsum('ji,bi->bj', w1, z).add(b1);
};

export const linearLoss = (theta: LinearParams, x: ax.Tensor) => circleLoss(linearModel(theta, x));
export const mlpLoss = (theta: MlpParams, x: ax.Tensor) => circleLoss(mlpModel(theta, x));

/** theta − lr·∇loss(theta, x), leaf by leaf, for a parameter list. */
export function sgdStep<P extends ax.Tensor[]>(loss: (theta: P, x: ax.Tensor) => ax.Tensor, lr: number) {
  return (theta: P, x: ax.Tensor): P => {
    const grads = ax.grad(loss)(theta, x) as ax.Tensor[];
    return theta.map((t, i) => t.sub(grads[i].mul(lr))) as P;
  };
}

/** `trips` SGD updates as one ax.loop, then the loss at the result (one program, one submission). */
export const sgdChunk = <P extends ax.Tensor[]>(loss: (theta: P, x: ax.Tensor) => ax.Tensor, lr: number, trips: number) => {
  const step = sgdStep(loss, lr);
  return (theta: P, x: ax.Tensor) => {
    const next = ax.loop(trips, (t: P) => step(t, x), theta);
    return { theta: next, loss: loss(next, x) };
  };
};

/** `points` data points x ~ N(0, 1) in R², from axonic's keyed RNG. */
const drawPoints = (points: number) => ax.jit((key: ax.Tensor) => ax.random.normal(key, [points, 2]));

export interface LinearResult {
  /** The loss before each of the 51 updates, then after the last. */
  losses: number[];
  w: number[][];
  b: number[];
  /** The data, row-major [points, 2]. */
  x: number[];
}

/** SEMANTICS 5.3 c: w₀ = 0.5·ones, b = [0.5, 0.5], lr 0.1, 51 updates, 25 points. */
export async function fitLinearUnitCircle(seed = 0, backend?: ax.Backend): Promise<LinearResult> {
  const x = await drawPoints(25)(ax.random.key(seed));
  const update = ax.jit((theta: LinearParams, xs: ax.Tensor) => ({ loss: linearLoss(theta, xs), theta: sgdStep(linearLoss, 0.1)(theta, xs) }), { backend });
  let theta: [ax.DeviceArray, ax.DeviceArray] = [ax.array([[0.5, 0.5], [0.5, 0.5]]), ax.array([0.5, 0.5])];
  const losses: ax.DeviceArray[] = [];
  for (let epoch = 0; epoch <= 50; epoch++) {
    const out = await update(theta, x);
    losses.push(out.loss);
    theta = out.theta;
  }
  losses.push(await ax.jit(linearLoss, { backend })(theta, x));
  const [w, b, xs, ...ls] = await ax.readAll([theta[0], theta[1], x, ...losses]);
  return { losses: ls.map((l) => l[0]), w: [[w[0], w[1]], [w[2], w[3]]], b: [...b], x: [...xs] };
}

export interface MlpOptions {
  seed?: number;
  width?: number;
  points?: number;
  lr?: number;
  updates?: number;
  /** Updates per jitted loop (per GPU submission); must divide `updates`. */
  chunk?: number;
  backend?: ax.Backend;
}

export interface MlpResult {
  /** [updates done, loss] at the start and after every chunk. */
  curve: [number, number][];
  /** Wall time of the training loop, the first chunk (tracing and compiling) included. */
  seconds: number;
  /** Wall time of the first chunk alone. */
  firstChunkSeconds: number;
  adapter: string;
}

/** SEMANTICS 5.2 / 5.3 d: w ~ N(0, 1), b = 0, 100 points x ~ N(0, 1), lr 0.001, 10 000 updates. */
export async function fitMlpUnitCircle(opts: MlpOptions = {}): Promise<MlpResult> {
  const { seed = 0, width = 1024, points = 100, lr = 0.001, updates = 10_000, chunk = 1000 } = opts;
  if (updates % chunk !== 0) throw new ax.InputError('chunk', `a divisor of updates (${updates})`, String(chunk));
  const backend = opts.backend ?? (await ax.getBackend());
  const init = ax.jit(
    (key: ax.Tensor) => {
      const [kx, k0, k1] = ax.random.split(key, 3);
      const x = ax.random.normal(kx, [points, 2]);
      const theta: MlpParams = [ax.random.normal(k0, [width, 2]), ax.zeros([width]), ax.random.normal(k1, [2, width]), ax.zeros([2])];
      return { x, theta, loss: mlpLoss(theta, x) };
    },
    { backend },
  );
  const start = await init(ax.random.key(seed));
  const train = ax.jit(sgdChunk(mlpLoss, lr, chunk), { backend });
  const losses: ax.DeviceArray[] = [start.loss];
  let theta = start.theta;
  const t0 = performance.now();
  let firstChunkSeconds = 0;
  for (let done = 0; done < updates; done += chunk) {
    const out = await train(theta, start.x);
    theta.forEach((t) => t.dispose());
    theta = out.theta;
    losses.push(out.loss);
    if (done === 0) {
      await out.loss.data();
      firstChunkSeconds = (performance.now() - t0) / 1000;
    }
  }
  const values = await ax.readAll(losses);
  const seconds = (performance.now() - t0) / 1000;
  return { curve: values.map((l, i) => [i * chunk, l[0]]), seconds, firstChunkSeconds, adapter: ax.describeBackend(backend) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const linear = await fitLinearUnitCircle();
  console.log(`linear model: loss ${linear.losses[0].toFixed(6)} -> ${linear.losses.at(-1)!.toFixed(6)} after 51 updates`);
  console.log(`  w = ${JSON.stringify(linear.w)} (equal rows: a rank-1 map), b = ${JSON.stringify(linear.b)} (unused, unchanged)`);
  const mlp = await fitMlpUnitCircle();
  console.log(`MLP (width 1024) on ${mlp.adapter}: ${mlp.seconds.toFixed(1)} s for 10 000 updates (first chunk ${mlp.firstChunkSeconds.toFixed(1)} s)`);
  for (const [done, loss] of mlp.curve) console.log(`  after ${String(done).padStart(5)} updates: loss ${loss.toExponential(4)}`);
}
