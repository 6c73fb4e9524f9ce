import { statSync } from 'node:fs';
import { loadArtifact, type Artifact, type ArtifactSource } from '../../runtime/artifact/load.ts';
import type { PortInfo, TensorInfo, TrainManifest } from '../../runtime/artifact/manifest.ts';
import { ArtifactModel } from '../../runtime/artifact/model.ts';
import { describeBackend, getBackend } from '../../runtime/device.ts';
import { evaluate } from '../../runtime/reference.ts';
import type { NamedTensor } from '../../runtime/safetensors.ts';
import { hostTensor, type HostTensor } from '../ir/index.ts';
import { buildArtifact, schedulesOf, type ArtifactOptions } from '../lang/artifact.ts';
import { lowerModelFile, type LoweredModel } from '../lang/compile.ts';
import { UsageError } from './values.ts';

/** A compiled model the run and train commands drive: on WebGPU from its artifact, on the CPU from its graphs. */
export interface Runnable {
  readonly name: string;
  /** Where it runs, for the user ("WebGPU on llvmpipe ..."). */
  readonly device: string;
  readonly schedules: Readonly<Record<string, { readonly inputs: readonly PortInfo[]; readonly outputs: readonly PortInfo[] }>>;
  readonly params: readonly TensorInfo[];
  readonly train?: TrainManifest;
  /** The train block's data, when the model file gives it. */
  readonly data: readonly NamedTensor[];
  run(schedule: string, inputs: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>>;
  /** One train_step; returns the loss and keeps the updated parameters. */
  trainStep(data: Readonly<Record<string, HostTensor>>): Promise<number>;
  paramValues(): Promise<NamedTensor[]>;
  setParams(tensors: readonly NamedTensor[]): void;
  /** The artifact's files with the current parameters, for `train -o` and `compile`. */
  artifactFiles(): Promise<Map<string, Uint8Array>>;
}

/** An in-memory artifact, as `axonic compile` would write it. */
export const memory = (files: ReadonlyMap<string, Uint8Array>, where: string): ArtifactSource => ({
  where,
  read: async (path) => {
    const bytes = files.get(path);
    if (!bytes) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return bytes;
  },
});

/** A model file (compiled here) or an artifact folder. */
export async function openModel(path: string, options: { model?: string; seed?: number; artifact?: ArtifactOptions } = {}): Promise<Runnable> {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    if (!path.endsWith('.axon')) throw new UsageError(`cannot read ${path}: no such file or folder (give a .axon model file or an artifact folder)`);
  }
  const backend = await getBackend();
  if (isDir) {
    const artifact = await loadArtifact(path);
    if (options.model && options.model !== artifact.manifest.model) throw new UsageError(`${path} holds model ${artifact.manifest.model}, not ${options.model}`);
    return onGpu(artifact, await ArtifactModel.create(artifact, backend), async (params) => replaceParams(path, artifact, params), describeBackend(backend));
  }
  const lowered = lowerModelFile(path, { model: options.model });
  const initial = lowered.initialParams(options.seed);
  if (backend.kind === 'cpu') return onCpu(lowered, initial, describeBackend(backend));
  const files = await buildArtifact(lowered, { ...options.artifact, params: initial });
  const artifact = await loadArtifact(memory(files, path));
  const rebuild = async (params: NamedTensor[]) => buildArtifact(lowered, { ...options.artifact, params: params.map((p) => p.tensor) });
  return onGpu(artifact, await ArtifactModel.create(artifact, backend), rebuild, describeBackend(backend));
}

function onGpu(artifact: Artifact, model: ArtifactModel, files: (params: NamedTensor[]) => Promise<Map<string, Uint8Array>>, device: string): Runnable {
  const m = artifact.manifest;
  return {
    name: m.model,
    device,
    schedules: m.schedules,
    params: m.params.tensors,
    train: m.train,
    data: artifact.data,
    run: async (schedule, inputs) => {
      const out = await model.run(schedule, inputs);
      const entries = await Promise.all(Object.entries(out).map(async ([k, v]) => [k, await v.toHostTensor()] as const));
      for (const v of Object.values(out)) v.dispose();
      return Object.fromEntries(entries);
    },
    trainStep: async (data) => {
      const loss = await model.trainStep(data);
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    },
    paramValues: () => model.paramValues(),
    setParams: (t) => model.setParams(t),
    artifactFiles: async () => files(await model.paramValues()),
  };
}

/** Without WebGPU: the lowered graphs on the float64 reference interpreter (float32 at the boundaries). */
function onCpu(lowered: LoweredModel, initial: HostTensor[], device: string): Runnable {
  const entries = new Map(schedulesOf(lowered));
  let params: NamedTensor[] = lowered.params.map((p, i) => ({ name: p.name, tensor: initial[i] }));
  const f32 = (t: HostTensor) => (t.dtype === 'f32' ? hostTensor('f32', t.shape, t.data.map(Math.fround)) : t);
  const run = async (schedule: string, inputs: Readonly<Record<string, HostTensor>>) => {
    const entry = entries.get(schedule);
    if (!entry) throw new UsageError(`${lowered.name} has no schedule '${schedule}' (it has ${[...entries.keys()].join(', ')})`);
    const args = entry.inputs.map((p) => inputs[p.name] ?? params.find((q) => q.name === p.name)?.tensor ?? missing(schedule, p.name));
    const out = evaluate(entry.graph, args).map(f32);
    return Object.fromEntries(entry.outputs.map((p, i) => [p.name, out[i]]));
  };
  const ports = Object.fromEntries([...entries].map(([k, e]) => [k, { inputs: e.inputs.map(toPort), outputs: e.outputs.map(toPort) }]));
  const t = lowered.train;
  return {
    name: lowered.name,
    device,
    schedules: ports,
    params: lowered.params.map((p) => ({ name: p.name, dtype: p.type.dtype, shape: p.type.shape })),
    train: t && { steps: t.steps, batch: t.batch, epochs: t.epochs, seed: t.seed, optimizer: t.optimizer, rule: t.rule, data: t.data.map((d) => ({ name: d.name, dtype: d.type.dtype, shape: d.type.shape, stored: !!d.value })) },
    data: t ? t.data.flatMap((d) => (d.value ? [{ name: d.name, tensor: d.value }] : [])) : [],
    run,
    trainStep: async (data) => {
      const out = await run('train_step', data);
      params = params.map((p) => ({ name: p.name, tensor: out[p.name] }));
      return out.loss.data[0];
    },
    paramValues: async () => params,
    setParams: (tensors) => {
      params = params.map((p) => tensors.find((q) => q.name === p.name) ?? p);
    },
    artifactFiles: () => buildArtifact(lowered, { params: params.map((p) => p.tensor) }),
  };
}

const toPort = (p: { name: string; kind: PortInfo['role']; type: { dtype: PortInfo['dtype']; shape: PortInfo['shape'] } }): PortInfo => ({ name: p.name, role: p.kind, dtype: p.type.dtype, shape: p.type.shape });

function missing(schedule: string, name: string): never {
  throw new UsageError(`${schedule} needs input ${name}: give it with --input ${name}=VALUE`);
}

/** An artifact folder's files with new parameters (the manifest's checksum of them updated): runtime data only. */
async function replaceParams(dir: string, artifact: Artifact, params: NamedTensor[]): Promise<Map<string, Uint8Array>> {
  const { encodeSafetensors } = await import('../../runtime/safetensors.ts');
  const { sha256 } = await import('../../runtime/artifact/words.ts');
  const { readFile } = await import('node:fs/promises');
  const m = artifact.manifest;
  const files = new Map<string, Uint8Array>();
  const refs = [...Object.values(m.schedules).flatMap((s) => s.program.kernels.map((k) => k.file)), ...(m.train?.file ? [m.train.file.file] : [])];
  for (const f of refs) files.set(f, new Uint8Array(await readFile(`${dir}/${f}`)));
  const bytes = encodeSafetensors(params, { model: m.model });
  files.set(m.params.file, bytes);
  const manifest = { ...m, params: { ...m.params, sha256: await sha256(bytes) } };
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}
