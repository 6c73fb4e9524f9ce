/**
 * The builder-API twin of each model file in this folder: the same model written in TypeScript.
 * Tracing a twin gives the IR that the model file lowers to (test/lang/examples.test.ts compares
 * them printed, locations aside), with the parameters in the order the model file declares them.
 */
import * as ax from '../../src/index.ts';
import { linearModel, mlpModel, type LinearParams, type MlpParams } from '../unit-circle.ts';

const pn = ax.pyneurons;
const { nets } = ax.zephyr;
const f32 = (...shape: ax.Dim[]) => ax.spec('f32', shape);

export interface Twin {
  /** The model file, relative to this folder, and the model in it. */
  readonly file: string;
  readonly model: string;
  /** The forward pass traced from the builder API. */
  trace(): ax.Graph;
}

const XOR = pn.bind(
  'XOR',
  (key: ax.Operand) => {
    const [ka, kb] = ax.random.split(key);
    return [new pn.Binary(ka, 2), new pn.Binary(kb, 3)] as const;
  },
  ([a, b], x: ax.Operand) => b(pn.concat([x, a(x)])),
);

/** zephyr-mlp.axon's Encoder. */
const encoder = (p: ax.zephyr.Params, x: ax.Tensor) =>
  nets.linear(p.head, nets.branchLinear(p.split, nets.layerNorm(p.norm, nets.mlp(p.body, x, [64, 64]), -1, { activation: ax.relu }), 4), 1, { activation: ax.tanh });

/** spiking.axon's Spiking: leaky integrate-and-fire for 8 steps, spikes with the sigmoid surrogate. */
function spiking(p: ax.zephyr.Params, x: ax.Tensor): ax.Tensor {
  const spike = ax.surrogate.sigmoid({ alpha: 4 });
  const lif = ([v, count]: ax.Tensor[], current: ax.Tensor) => {
    const u = ax.add(ax.multiply(0.8, v), current);
    const s = spike(ax.subtract(u, 1.0));
    return [ax.multiply(u, ax.subtract(1, s)), ax.add(count, s)];
  };
  const current = nets.linear(p.drive, x, 16);
  const [, count] = ax.loop(8, (s: ax.Tensor[]) => lif(s, current), [ax.zerosLike(current), ax.zerosLike(current)]);
  return nets.linear(p.readout, ax.divide(count, 8), 2);
}

export const TWINS: readonly Twin[] = [
  {
    file: 'xor.axon',
    model: 'Xor',
    trace: () => {
      const model = XOR.of([pn.Binary.of([f32(2, 1), f32(1, 1)] as never), pn.Binary.of([f32(3, 1), f32(1, 1)] as never)]);
      return ax.trace((m: typeof model, x: ax.Tensor) => m(x), model, ax.spec('i32', ['N', 2]));
    },
  },
  {
    file: 'neuron.axon',
    model: 'Single',
    trace: () => ax.trace((w: ax.Tensor, b: ax.Tensor, x: ax.Tensor) => pn.Neuron.of([w, b])(x), f32(1, 1), f32(1, 1), f32('N', 1)),
  },
  {
    file: 'vector.axon',
    model: 'Rate',
    trace: () => ax.trace((w: ax.Tensor, b: ax.Tensor, x: ax.Tensor) => pn.Vector.of([w, b])(x), f32(3, 1), f32(1, 1), f32('N', 3)),
  },
  {
    file: 'gate.axon',
    model: 'Gate',
    trace: () => ax.trace((w: ax.Tensor, b: ax.Tensor, x: ax.Tensor) => pn.binary(ax.add(ax.matmul(x, w), b)), f32(2, 1), f32(1, 1), f32('N', 2)),
  },
  {
    file: 'regression.axon',
    model: 'Regression',
    trace: () => ax.trace((m: ax.Tensor, b: ax.Tensor, x: ax.Tensor) => ax.add(ax.multiply(m, x), b), f32(), f32(), f32('N')),
  },
  {
    file: 'unit-circle.axon',
    model: 'Linear',
    trace: () => ax.trace((theta: LinearParams, x: ax.Tensor) => linearModel(theta, x), [f32(2, 2), f32(2)], f32('N', 2)),
  },
  {
    file: 'unit-circle.axon',
    model: 'Mlp',
    trace: () => ax.trace((theta: MlpParams, x: ax.Tensor) => mlpModel(theta, x), [f32(1024, 2), f32(1024), f32(2, 1024), f32(2)], f32('N', 2)),
  },
  {
    file: 'zephyr-mlp.axon',
    model: 'Encoder',
    trace: () => {
      const params = ax.zephyr.trace(encoder, ax.random.key(0), f32('N', 8));
      return ax.trace(encoder, params, f32('N', 8));
    },
  },
  {
    file: 'spiking.axon',
    model: 'Spiking',
    trace: () => {
      const params = ax.zephyr.trace(spiking, ax.random.key(0), f32('N', 4));
      return ax.trace(spiking, params, f32('N', 4));
    },
  },
];
