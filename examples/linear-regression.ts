/**
 * The tutorial's linear regression (seed 004), fit on WebGPU: y = 10x + 4 plus unit noise, 25
 * points, model m·x + b, mean squared error, 101 gradient steps at lr 0.1 from (0, 0). Gradients
 * are written by hand here: ∂/∂m = mean(2 r x), ∂/∂b = mean(2 r), r = m x + b − y.
 *
 * Run: npm start
 */
import * as ax from '../src/index.ts';

const POINTS = 25;
const STEPS = 101;
const LR = 0.1;

/** The data: x ~ N(0, 1), y = 10x + 4 + N(0, 1), drawn with axonic's keyed RNG (reproducible). */
const makeData = ax.jit((key: ax.Tensor) => {
  const [kx, kn] = [ax.index(ax.random.split(key), 0), ax.index(ax.random.split(key), 1)];
  const x = ax.random.normal(kx, [POINTS, 1]);
  const y = x.mul(10).add(4).add(ax.random.normal(kn, [POINTS, 1]));
  return { x, y };
});

/** One gradient step; returns the loss before the step and the new parameters. */
function step(theta: { m: ax.Tensor; b: ax.Tensor }, x: ax.Tensor, y: ax.Tensor) {
  const r = x.mul(theta.m).add(theta.b).sub(y);
  const loss = r.square().mean();
  const dm = r.mul(x).mul(2).mean();
  const db = r.mul(2).mean();
  return { loss, theta: { m: theta.m.sub(dm.mul(LR)), b: theta.b.sub(db.mul(LR)) } };
}

export async function fitLinearRegression(seed = 4): Promise<{ m: number; b: number; loss: number; adapter: string }> {
  const backend = await ax.getBackend();
  const { x, y } = (await makeData(ax.random.key(seed))) as { x: ax.DeviceArray; y: ax.DeviceArray };
  const jitStep = ax.jit(step);
  let theta = { m: ax.array([0], [], 'f32'), b: ax.array([0], [], 'f32') };
  let loss!: ax.DeviceArray;
  for (let i = 0; i < STEPS; i++) {
    const out = (await jitStep(theta, x, y)) as { loss: ax.DeviceArray; theta: typeof theta };
    theta = out.theta;
    loss = out.loss;
  }
  const [m, b, l] = await ax.readAll([theta.m, theta.b, loss]);
  return { m: m[0], b: b[0], loss: l[0], adapter: ax.describeBackend(backend) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = ax.trace(step, { m: ax.spec('f32', []), b: ax.spec('f32', []) }, ax.spec('f32', ['N', 1]), ax.spec('f32', ['N', 1]));
  // What runs is the graph after simplify (as the compiler runs it: after autodiff), without the
  // raw trace's repeated constants and subexpressions.
  console.log('IR of one training step, as compiled (after simplify):\n');
  console.log(ax.printGraph(ax.simplify(graph, { afterAutodiff: true })));
  const { m, b, loss, adapter } = await fitLinearRegression();
  console.log(`ran on: ${adapter}`);
  console.log(`after ${STEPS} steps: m = ${m.toFixed(4)}, b = ${b.toFixed(4)} (truth 10, 4), loss before the last step = ${loss.toFixed(4)}`);
}
