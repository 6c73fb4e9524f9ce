import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { compileProgram } from '../../passes/compile.ts';
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type Manifest, type PortInfo, type ProgramManifest, type ScheduleManifest, type TrainManifest } from '../../runtime/artifact/manifest.ts';
import { validateManifest } from '../../runtime/artifact/validate.ts';
import { encodeWords, sha256 } from '../../runtime/artifact/words.ts';
import { encodeSafetensors } from '../../runtime/safetensors.ts';
import { DEFAULT_LIMITS, symbolsOf, type HostTensor, type KernelLimits, type Program } from '../ir/index.ts';
import type { LoweredModel } from './compile.ts';
import type { EntryGraph } from './lower.ts';

export interface ArtifactOptions {
  /** The adapter limits to generate kernels within (default: WebGPU's guaranteed minimums, which every adapter offers). */
  readonly limits?: KernelLimits;
  /** Parameter values to store (default: the model's initial values for `seed`). */
  readonly params?: readonly HostTensor[];
  readonly seed?: number;
}

// By the package's own name (exports './package.json'): the same file from src/ and from the built dist/src/.
const GENERATOR = `axonic ${(createRequire(import.meta.url)('axonic/package.json') as { version: string }).version}`;

const fileName = (name: string) => name.replace(/^k\d+_/, '').replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'kernel';

/** The schedules of a model: forward, backward (the parameters' VJP of forward), its other typed methods, train_step. */
export function schedulesOf(model: LoweredModel): [string, EntryGraph][] {
  const out: [string, EntryGraph][] = [['forward', model.forward]];
  if (model.backward) out.push(['backward', model.backward]);
  out.push(...model.methods);
  if (model.train) out.push(['train_step', model.train.step]);
  return out;
}

/**
 * The files of an artifact, by path: manifest.json, one WGSL file per kernel, params.safetensors
 * (and data.safetensors when the train block gives its data). The same model and options give
 * the same bytes: nothing depends on time, paths or the order things were computed in.
 */
export async function buildArtifact(model: LoweredModel, options: ArtifactOptions = {}): Promise<Map<string, Uint8Array>> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  const put = async (path: string, bytes: Uint8Array) => {
    files.set(path, bytes);
    return { file: path, sha256: await sha256(bytes) };
  };

  const schedules: Record<string, ScheduleManifest> = {};
  for (const [name, entry] of schedulesOf(model)) {
    const program = compileProgram(entry.graph, limits, { debug: 0 });
    schedules[name] = {
      inputs: entry.inputs.map(port),
      outputs: entry.outputs.map(port),
      program: await programManifest(program, name, (path, text) => put(path, encoder.encode(text))),
    };
  }

  const values = options.params ?? model.initialParams(options.seed);
  const params = await put('params.safetensors', encodeSafetensors(model.params.map((p, i) => ({ name: p.name, tensor: values[i] })), { model: model.name }));

  let train: TrainManifest | undefined;
  if (model.train) {
    const t = model.train;
    const stored = t.data.every((d) => d.value);
    const file = stored ? await put('data.safetensors', encodeSafetensors(t.data.map((d) => ({ name: d.name, tensor: d.value! })))) : undefined;
    train = {
      steps: t.steps, ...(t.batch !== undefined ? { batch: t.batch } : {}), ...(t.epochs !== undefined ? { epochs: t.epochs } : {}),
      seed: t.seed, optimizer: t.optimizer, rule: t.rule,
      data: t.data.map((d) => ({ name: d.name, dtype: d.type.dtype, shape: [...d.type.shape], stored: d.value !== undefined })),
      ...(file ? { file } : {}),
    };
  }

  const manifest: Manifest = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    generator: GENERATOR,
    model: model.name,
    source: basename(model.module.file.path),
    limits: { ...limitsOf(limits) },
    dims: symbolsOf(Object.values(schedules).flatMap((s) => [...s.inputs, ...s.outputs].map((p) => p.shape))).sort(),
    params: { ...params, tensors: model.params.map((p) => ({ name: p.name, dtype: p.type.dtype, shape: [...p.type.shape] })) },
    schedules,
    ...(train ? { train } : {}),
  };
  validateManifest(JSON.parse(JSON.stringify(manifest)), 'the manifest axonic wrote');
  files.set('manifest.json', encoder.encode(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}

const port = (p: EntryGraph['inputs'][number]): PortInfo => ({ name: p.name, role: p.kind, dtype: p.type.dtype, shape: [...p.type.shape] });

/**
 * What the kernels require of a device: the numeric limits codegen reads, and subgroups where
 * they use them (adapterKind and measured matmul winners tune kernels; they are not requirements).
 */
function limitsOf(l: KernelLimits): KernelLimits {
  const { adapterKind: _kind, matmulTuning: _tuning, subgroups, ...numeric } = l;
  return subgroups ? { ...numeric, subgroups } : numeric;
}

async function programManifest(p: Program, schedule: string, put: (path: string, text: string) => Promise<{ file: string; sha256: string }>): Promise<ProgramManifest> {
  const kernels = [];
  for (const [i, k] of p.kernels.entries()) {
    const ref = await put(`kernels/${schedule}/${String(i).padStart(2, '0')}-${fileName(k.name)}.wgsl`, k.wgsl);
    kernels.push({
      name: k.name, ...ref, entryPoint: k.entryPoint,
      bindings: [
        { binding: 0, type: 'uniform' as const },
        ...Array.from({ length: k.reads }, (_, j) => ({ binding: 1 + j, type: 'read-only-storage' as const })),
        ...Array.from({ length: k.writes }, (_, j) => ({ binding: 1 + k.reads + j, type: 'storage' as const })),
      ],
      dispatch: k.dispatch,
    });
  }
  const buffers = p.buffers.map((b) => (b.kind === 'const' ? { id: b.id, dtype: b.dtype, shape: b.shape, kind: b.kind, data: encodeWords(b.dtype, b.data!) } : { id: b.id, dtype: b.dtype, shape: b.shape, kind: b.kind }));
  return { dims: p.dims, buffers, kernels, steps: p.steps, inputs: p.inputs, outputs: p.outputs };
}

/** Writes an artifact's files under `dir` (its kernels folder is replaced, so no stale kernel stays). */
export async function writeArtifact(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await rm(join(dir, 'kernels'), { recursive: true, force: true });
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}
