/**
 * The README's "taste" section, runnable: grad, vmap, customVjp, a surrogate spike, pyneurons
 * and zephyr, each on the default backend (WebGPU when an adapter exists).
 *
 * Run: npx tsx examples/taste.ts
 */
import * as ax from '../src/index.ts';

type T = ax.Tensor;
/** A result read back as a plain list (float32 values printed in full). */
const show = async (a: ax.DeviceArray) => JSON.stringify(Array.from(await a.data()));

// Reverse mode, composable: grad of grad, and per-example gradients by vmap(grad(f)).
const d2tanh = ax.jit((x: T) => ax.grad(ax.grad(ax.tanh))(x));
const perExample = ax.jit((w: T, xs: T, ys: T) =>
  ax.vmap(ax.grad((wi: T, x: T, y: T) => ax.square(ax.sum(x.mul(wi)).sub(y))), [null, 0, 0])(w, xs, ys),
);
console.log(`tanh''(0.5) = ${await show(await d2tanh(0.5))}`);
console.log(`per-example grads: ${await show(await perExample(ax.array([1, 2]), ax.array([[1, 0], [0, 1], [1, 1]]), ax.array([0, 0, 0])))}`);

// A straight-through estimator and a surrogate spike: the rule lives in the IR (custom_vjp).
const ste = ax.customVjp((x: T) => ax.sign(x), (_x, _y, g) => g);
const spike = ax.surrogate.sigmoid({ alpha: 4 });
const g = ax.jit((u: T) => [ax.grad((v: T) => ax.sum(ste(v)))(u), ax.grad((v: T) => ax.sum(spike(v.sub(1))))(u)]);
const [gSte, gSpike] = await g(ax.array([-0.5, 0.5, 1.5]));
console.log(`straight-through grad: ${await show(gSte)}`);
console.log(`surrogate grad: ${await show(gSpike)}`);

// pyneurons: models are parameter trees plus functions; fit is one gradient step.
const pn = ax.pyneurons;
const neuron = new pn.Neuron(ax.random.key(0), 1);
const step = ax.jit((m: typeof neuron, x: T, y: T) => pn.fit(0.1, m, x, y));
let model = neuron;
for (let i = 0; i < 9; i++) model = (await step(model, ax.array([1]), ax.array([1.7]))) as typeof neuron;
console.log(`pyneurons neuron after 9 fit steps: ${await show(await ax.jit((m: typeof neuron, x: T) => m(x))(model, ax.array([1])))}`);

// zephyr: parameters are declared by use and created from an example input's shape.
const { _, nets, trace } = ax.zephyr;
const mlp = nets.mlp(_, _, [32, 1]);
const params = trace(mlp, ax.random.key(1), ax.spec('f32', ['N', 3]));
console.log('zephyr mlp parameters:', JSON.stringify(ax.treeMap((p: ax.HostTensor) => p.shape, params as never)));
console.log(`output shape: ${JSON.stringify((await ax.jit((p: ax.zephyr.Params, x: T) => mlp(p, x))(params, ax.array([[1, 2, 3], [4, 5, 6]]))).shape)}`);
