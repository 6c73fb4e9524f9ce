import { getBackend } from '../../runtime/device.ts';
import type { NamedTensor } from '../../runtime/safetensors.ts';
import { formatType, type HostTensor, type KernelLimits } from '../ir/index.ts';
import { buildArtifact, writeArtifact } from '../lang/artifact.ts';
import { lowerModelFile, type LoweredModel } from '../lang/compile.ts';
import { readParams, UsageError } from './values.ts';

export interface CompileOptions {
  readonly output: string;
  readonly model?: string;
  readonly seed?: number;
  readonly params?: string;
  readonly limits: 'default' | 'device';
}

/** Parameters from a file, in the model's order, each checked against the model's declaration. */
export function paramsFromFile(model: LoweredModel, path: string): HostTensor[] {
  const given: NamedTensor[] = readParams(path);
  const extra = given.filter((g) => !model.params.some((p) => p.name === g.name));
  if (extra.length) throw new UsageError(`${path} holds ${extra.map((e) => e.name).join(', ')}, which ${model.name} does not have (its parameters: ${model.params.map((p) => p.name).join(', ')})`);
  return model.params.map((p) => {
    const g = given.find((x) => x.name === p.name);
    if (!g) throw new UsageError(`${path} has no parameter ${p.name} (${formatType(p.type)})`);
    if (formatType(g.tensor) !== formatType(p.type)) throw new UsageError(`${path}: ${p.name} is ${formatType(g.tensor)}, but ${model.name} declares ${formatType(p.type)}`);
    return g.tensor;
  });
}

/** `axonic compile FILE -o DIR`: the ahead-of-time artifact. */
export async function runCompile(file: string, o: CompileOptions): Promise<number> {
  const model = lowerModelFile(file, { model: o.model });
  let limits: KernelLimits | undefined;
  if (o.limits === 'device') {
    const backend = await getBackend();
    if (backend.kind !== 'webgpu') throw new UsageError(`--limits device needs a WebGPU adapter, and there is none (${backend.reason})`);
    limits = backend.limits;
  }
  const params = o.params ? paramsFromFile(model, o.params) : undefined;
  const files = await buildArtifact(model, { limits, params, seed: o.seed });
  await writeArtifact(o.output, files);
  const kernels = [...files.keys()].filter((f) => f.endsWith('.wgsl')).length;
  const schedules = [...new Set([...files.keys()].filter((f) => f.startsWith('kernels/')).map((f) => f.split('/')[1]))];
  const values = model.params.reduce((n, p) => n + p.type.shape.reduce<number>((a, b) => a * (b as number), 1), 0);
  process.stdout.write(
    `wrote ${o.output}: model ${model.name}, schedules ${schedules.join(', ')} (${kernels} kernels), ${model.params.length} parameters (${values} values)\n`,
  );
  return 0;
}
