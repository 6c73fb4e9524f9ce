import { InputError } from '../../src/ir/errors.ts';
import type { KernelLimits } from '../../src/ir/program.ts';
import { formatType } from '../../src/ir/shape.ts';
import { DeviceArray } from '../device-array.ts';
import { getBackend, type Backend, type GpuBackend } from '../device.ts';
import { Executable, type Argument } from '../executor.ts';
import type { NamedTensor } from '../safetensors.ts';
import type { Artifact } from './load.ts';
import type { PortInfo } from './manifest.ts';
import { ArtifactError } from './validate.ts';

/**
 * A loaded artifact ready to run on one WebGPU device: its parameters on the device, each
 * schedule's pipelines compiled on first use. `run` supplies the parameters itself, so a call
 * names only the model's inputs; `trainStep` runs train_step and keeps the updated parameters.
 *
 *     const model = await ArtifactModel.create(await loadArtifact('out/'));
 *     const { out } = await model.run('forward', { x: hostTensor('f32', [4, 2], [...]) });
 */
export class ArtifactModel {
  private readonly executables = new Map<string, Promise<Executable>>();
  private readonly params = new Map<string, DeviceArray>();

  private constructor(
    readonly artifact: Artifact,
    readonly backend: GpuBackend,
  ) {
    for (const { name, tensor } of artifact.params) this.params.set(name, DeviceArray.fromHostTensor(backend, tensor));
  }

  /** Checks that the device can run the artifact's kernels, then uploads the parameters. */
  static async create(artifact: Artifact, backend?: Backend | Promise<Backend>): Promise<ArtifactModel> {
    const b = await (backend ?? getBackend());
    if (b.kind !== 'webgpu')
      throw new ArtifactError(`an artifact runs its WGSL kernels on WebGPU, and there is no WebGPU adapter here (${b.reason})`);
    const short = (Object.keys(artifact.manifest.limits) as (keyof KernelLimits)[]).filter(
      (k) => k !== 'adapterKind' && typeof b.limits[k] === 'number' && (b.limits[k] as number) < (artifact.manifest.limits[k] as number),
    );
    if (artifact.manifest.limits.subgroups === true && b.limits.subgroups !== true)
      throw new ArtifactError(
        'the artifact was compiled for an adapter with subgroups and this one has none; ' +
          'compile the model again for this adapter (axonic compile --limits device) or for the portable defaults',
      );
    if (short.length)
      throw new ArtifactError(
        `this adapter offers less than the artifact was compiled for: ${short.map((k) => `${k} ${b.limits[k]} < ${artifact.manifest.limits[k]}`).join(', ')}; ` +
          'compile the model again for this adapter (axonic compile --limits device)',
      );
    return new ArtifactModel(artifact, b);
  }

  get schedules(): string[] {
    return [...this.artifact.programs.keys()];
  }

  /** The current parameters, by name (the artifact's, or the last trainStep's). */
  get parameters(): ReadonlyMap<string, DeviceArray> {
    return this.params;
  }

  /** Replaces parameters by name (checkpoints, explicit starts); each must keep its dtype and shape. */
  setParams(tensors: readonly NamedTensor[]): void {
    const declared = this.artifact.manifest.params.tensors;
    for (const { name, tensor } of tensors) {
      const t = declared.find((d) => d.name === name);
      if (!t) throw new InputError(name, `one of the parameters ${declared.map((d) => d.name).join(', ')}`, 'an unknown name');
      if (t.dtype !== tensor.dtype || t.shape.join(',') !== tensor.shape.join(','))
        throw new InputError(name, formatType(t), `${tensor.dtype}[${tensor.shape.join(',')}]`);
      this.params.get(name)?.dispose();
      this.params.set(name, DeviceArray.fromHostTensor(this.backend, tensor));
    }
  }

  /** The parameters' values, read back, in the manifest's order. */
  async paramValues(): Promise<NamedTensor[]> {
    const names = this.artifact.manifest.params.tensors.map((t) => t.name);
    return Promise.all(names.map(async (name) => ({ name, tensor: await this.params.get(name)!.toHostTensor() })));
  }

  private executable(schedule: string): Promise<Executable> {
    let exe = this.executables.get(schedule);
    if (!exe) {
      const program = this.artifact.programs.get(schedule);
      if (!program) throw new ArtifactError(`the artifact has no schedule '${schedule}' (it has ${this.schedules.join(', ')})`);
      exe = Executable.create(this.backend, program);
      exe.catch(() => this.executables.delete(schedule));
      this.executables.set(schedule, exe);
    }
    return exe;
  }

  /** Runs a schedule; `inputs` names every non-parameter input (a parameter given here overrides the stored one). */
  async run(schedule: string, inputs: Readonly<Record<string, Argument>>): Promise<Record<string, DeviceArray>> {
    const s = this.artifact.manifest.schedules[schedule];
    if (!s) throw new ArtifactError(`the artifact has no schedule '${schedule}' (it has ${this.schedules.join(', ')})`);
    const known = new Set(s.inputs.map((p) => p.name));
    for (const name of Object.keys(inputs))
      if (!known.has(name)) throw new InputError(name, `one of the inputs of ${schedule}: ${describePorts(s.inputs)}`, 'an unknown name');
    const missing = s.inputs.filter((p) => p.role !== 'param' && !(p.name in inputs));
    if (missing.length) throw new InputError(missing.map((p) => p.name).join(', '), `inputs of ${schedule}: ${describePorts(missing)}`, 'nothing');
    const args = s.inputs.map((p) => inputs[p.name] ?? this.params.get(p.name)!);
    const outputs = await (await this.executable(schedule)).runChecked(args, s.inputs.map((p) => p.name));
    return Object.fromEntries(s.outputs.map((p, i) => [p.name, outputs[i]]));
  }

  /** One training step on `data` (train_step): the updated parameters replace the current ones; returns the loss. */
  async trainStep(data: Readonly<Record<string, Argument>>): Promise<DeviceArray> {
    const outputs = await this.run('train_step', data);
    const s = this.artifact.manifest.schedules.train_step;
    let loss: DeviceArray | undefined;
    for (const p of s.outputs) {
      if (p.role === 'loss') loss = outputs[p.name];
      else if (p.role === 'param') {
        this.params.get(p.name)?.dispose();
        this.params.set(p.name, outputs[p.name]);
      }
    }
    return loss!;
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
    for (const e of this.executables.values()) void e.then((x) => x.dispose(), () => undefined);
    this.executables.clear();
  }
}

const describePorts = (ports: readonly PortInfo[]): string => ports.map((p) => `${p.name}: ${p.dtype}[${p.shape.join(',')}]`).join(', ');

