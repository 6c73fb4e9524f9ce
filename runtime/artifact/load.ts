import type { KernelDecl, Program } from '../../src/ir/program.ts';
import { numElements } from '../../src/ir/shape.ts';
import { decodeSafetensors, SafetensorsError, type NamedTensor } from '../safetensors.ts';
import type { FileRef, Manifest, ProgramManifest } from './manifest.ts';
import { ArtifactError, validateManifest } from './validate.ts';
import { decodeWords, sha256 } from './words.ts';

/** Where an artifact's files come from: a folder on disk, fetch() in a browser, a map in tests. */
export interface ArtifactSource {
  /** A short description for messages ("out/"). */
  readonly where: string;
  /** The bytes of a file, by its path inside the artifact; rejects when it does not exist. */
  read(path: string): Promise<Uint8Array>;
}

/** An artifact read and checked: the manifest, each schedule's Program, the parameters (and stored training data). */
export interface Artifact {
  readonly manifest: Manifest;
  readonly programs: ReadonlyMap<string, Program>;
  readonly params: readonly NamedTensor[];
  readonly data: readonly NamedTensor[];
}

/** A non-literal specifier keeps browser bundlers from resolving Node's file system (the runtime runs in pages too). */
const NODE_FS = 'node:fs/promises';

/** The files of a folder (Node). */
export function folder(dir: string): ArtifactSource {
  return {
    where: dir,
    read: async (path) => {
      const { readFile } = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs/promises');
      return new Uint8Array(await readFile(`${dir.replace(/\/$/, '')}/${path}`));
    },
  };
}

/**
 * Reads an artifact and validates all of it before anything runs: the manifest's schema and
 * version, every file's SHA-256, the WGSL's encoding, the parameters against the manifest.
 */
export async function loadArtifact(source: ArtifactSource | string): Promise<Artifact> {
  const src = typeof source === 'string' ? folder(source) : source;
  const read = async (path: string, what: string): Promise<Uint8Array> => {
    try {
      return await src.read(path);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ArtifactError(`${src.where}: cannot read ${what} ${path}: ${missing ? 'no such file' : (e as Error).message}` +
        (path === 'manifest.json' && missing ? ' (is this an artifact? axonic compile MODEL.axon -o DIR writes one)' : ''));
    }
  };
  const checked = async (ref: FileRef, what: string): Promise<Uint8Array> => {
    const bytes = await read(ref.file, what);
    if ((await sha256(bytes)) !== ref.sha256)
      throw new ArtifactError(`${src.where}: ${ref.file} is corrupted: its SHA-256 differs from the one in manifest.json (compile the model again)`);
    return bytes;
  };

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await read('manifest.json', 'the manifest')));
  } catch (e) {
    if (e instanceof ArtifactError) throw e;
    throw new ArtifactError(`${src.where}: manifest.json is not valid JSON (${(e as Error).message}): the artifact is corrupted`);
  }
  const manifest = validateManifest(json, `${src.where.replace(/\/$/, '')}/manifest.json`);

  const programs = new Map<string, Program>();
  for (const [name, schedule] of Object.entries(manifest.schedules)) programs.set(name, await toProgram(schedule.program, checked, src.where));

  const decode = (bytes: Uint8Array, file: string) => {
    try {
      return decodeSafetensors(bytes, `${src.where}/${file}`);
    } catch (e) {
      if (e instanceof SafetensorsError) throw new ArtifactError(e.message);
      throw e;
    }
  };
  const params = decode(await checked(manifest.params, 'the parameters'), manifest.params.file).tensors;
  const expected = manifest.params.tensors;
  const differs = params.length !== expected.length ||
    expected.some((t, i) => params[i].name !== t.name || params[i].tensor.dtype !== t.dtype || params[i].tensor.shape.join(',') !== t.shape.join(','));
  if (differs)
    throw new ArtifactError(`${src.where}: ${manifest.params.file} holds ${params.map((p) => p.name).join(', ') || 'no tensors'}, but manifest.json lists ${expected.map((t) => `${t.name}: ${t.dtype}[${t.shape.join(',')}]`).join(', ')}`);
  const train = manifest.train;
  const data = train?.file ? decode(await checked(train.file, 'the training data'), train.file.file).tensors : [];
  return { manifest, programs, params, data };
}

async function toProgram(p: ProgramManifest, read: (ref: FileRef, what: string) => Promise<Uint8Array>, where: string): Promise<Program> {
  const kernels: KernelDecl[] = [];
  for (const k of p.kernels) {
    let wgsl: string;
    try {
      wgsl = new TextDecoder('utf-8', { fatal: true }).decode(await read(k, `kernel ${k.name}`));
    } catch (e) {
      if (e instanceof ArtifactError) throw e;
      throw new ArtifactError(`${where}: ${k.file} is not UTF-8 text: the artifact is corrupted`);
    }
    const reads = k.bindings.filter((b) => b.type === 'read-only-storage').length;
    const writes = k.bindings.filter((b) => b.type === 'storage').length;
    kernels.push({ name: k.name, wgsl, entryPoint: k.entryPoint, reads, writes, dispatch: k.dispatch, plan: `(loaded from ${k.file})` });
  }
  const buffers = p.buffers.map((b) => {
    if (b.kind !== 'const') return { id: b.id, dtype: b.dtype, shape: b.shape, kind: b.kind };
    const count = b.shape.every((d) => typeof d === 'number') ? numElements(b.shape as number[]) : -1;
    const data = count < 0 ? undefined : decodeWords(b.dtype, b.data!, count);
    if (!data) throw new ArtifactError(`${where}: const buffer ${b.id} does not hold ${count} values of ${b.dtype}: the artifact is corrupted`);
    return { id: b.id, dtype: b.dtype, shape: b.shape, kind: b.kind, data };
  });
  return { version: 1, dims: p.dims, buffers, kernels, steps: p.steps, inputs: p.inputs, outputs: p.outputs };
}
