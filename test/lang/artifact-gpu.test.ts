import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { inlineInto } from '../../src/builder/subtrace.ts';
import { loadArtifact, type ArtifactSource } from '../../runtime/artifact/load.ts';
import { ArtifactModel } from '../../runtime/artifact/model.ts';
import type { GpuBackend } from '../../runtime/index.ts';
import { buildArtifact } from '../../src/lang/artifact.ts';
import { lowerModelFile, type LoweredModel } from '../../src/lang/compile.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * The acceptance of AOT compilation: a model file compiled to an artifact, then run by the
 * runtime alone, gives the outputs of the JIT path (ax.jit of the same graph on this device)
 * within 1e-6. Fails without a WebGPU adapter.
 */
const MODELS = resolve(import.meta.dirname, '../../examples/models');
let backend: GpuBackend;
beforeAll(async () => {
  backend = await gpuBackend();
});

const memory = (files: ReadonlyMap<string, Uint8Array>): ArtifactSource => ({ where: 'memory', read: async (p) => files.get(p)! });

/** The runtime alone on the artifact of `model` (parameters: its initial values). */
async function aot(model: LoweredModel): Promise<ArtifactModel> {
  return ArtifactModel.create(await loadArtifact(memory(await buildArtifact(model))), backend);
}

/** ax.jit of the forward graph, called with the same parameters. */
async function jit(model: LoweredModel, inputs: ax.HostTensor[]): Promise<number[][]> {
  const specs = model.forward.graph.inputs.map((v) => ax.spec(v.type.dtype, v.type.shape));
  const f = ax.jit((...args: ax.Tensor[]) => inlineInto(args[0].ctx, model.forward.graph, args.map((a) => a.value)), { backend, specs });
  const out = (await f(...model.initialParams(), ...inputs)) as ax.DeviceArray[];
  return (await ax.readAll(out)).map((d) => Array.from(d));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[i])));
}

describe('compile, then the runtime alone: the JIT path to 1e-6', () => {
  const rows = (n: number, cols: number, scale: number) => ax.hostTensor('f32', [n, cols], Array.from({ length: n * cols }, (_, i) => scale * Math.sin(1 + 7 * i)));
  test.each([
    ['xor.axon', () => ax.hostTensor('i32', [4, 2], [0, 0, 0, 1, 1, 0, 1, 1])],
    ['zephyr-mlp.axon', () => rows(6, 8, 1)],
    ['spiking.axon', () => rows(5, 4, 2)],
  ] as const)('%s forward', async (file, input) => {
    const lowered = lowerModelFile(`${MODELS}/${file}`);
    const host = input();
    const artifact = await aot(lowered);
    const name = lowered.forward.inputs.find((p) => p.kind === 'input')!.name;
    const out = await artifact.run('forward', { [name]: host });
    const expected = await jit(lowered, [host]);
    close(await out.out.data(), expected[0], `${file} out`);
    artifact.dispose();
  });

  test('train_step from the artifact trains XOR from the explicit start to SEMANTICS 1.10 e', async () => {
    const lowered = lowerModelFile(`${MODELS}/xor.axon`);
    const model = await aot(lowered);
    const start: [string, number[], number[]][] = [['a.w', [2, 1], [1.56, 1.45]], ['a.b', [1, 1], [-1.69]], ['b.w', [3, 1], [1.44, 1.52, 1.54]], ['b.b', [1, 1], [-1.38]]];
    model.setParams(start.map(([name, shape, v]) => ({ name, tensor: ax.hostTensor('f32', shape, v) })));
    const [x, y] = model.artifact.data.map((d) => d.tensor);
    let loss: ax.DeviceArray | undefined;
    for (let i = 0; i < 100; i++) loss = await model.trainStep({ x, y });
    expect((await loss!.data())[0]).toBe(0);
    const after = await model.paramValues();
    // float32 on the GPU against SEMANTICS' float64 numbers: 100 steps of rounding, within 1e-5 (as test/pyneurons/xor-gpu).
    [[1.236875, 1.017625], [-1.501375], [0.69, 0.695, -0.735], [-0.68]].forEach((w, i) =>
      w.forEach((v, j) => expect(Math.abs(after[i].tensor.data[j] - v), `${after[i].name}[${j}]`).toBeLessThan(1e-5)),
    );
    const { out } = await model.run('forward', { x });
    expect(Array.from(await out.data())).toEqual([0, 1, 1, 0]);
    model.dispose();
  });
});
