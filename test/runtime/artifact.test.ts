import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { loadArtifact, type ArtifactSource } from '../../runtime/artifact/load.ts';
import { ArtifactError } from '../../runtime/artifact/validate.ts';
import { sha256 } from '../../runtime/artifact/words.ts';
import { ArtifactModel } from '../../runtime/artifact/model.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { decodeSafetensors, encodeSafetensors } from '../../runtime/safetensors.ts';
import { DEFAULT_LIMITS } from '../../src/ir/index.ts';
import { buildArtifact } from '../../src/lang/artifact.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';

/** Artifacts built in memory and read back through the runtime's loader (no GPU needed to validate). */
const XOR = resolve(import.meta.dirname, '../../examples/models/xor.axon');

const source = (files: ReadonlyMap<string, Uint8Array>): ArtifactSource => ({
  where: 'out',
  read: async (path) => {
    const b = files.get(path);
    if (!b) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return b;
  },
});

let files: Map<string, Uint8Array>;
beforeAll(async () => {
  files = await buildArtifact(lowerModelFile(XOR));
});

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const manifest = () => JSON.parse(text(files.get('manifest.json')!));
const withManifest = (edit: (m: any) => void) => {
  const m = manifest();
  edit(m);
  return new Map([...files, ['manifest.json', new TextEncoder().encode(JSON.stringify(m))]]);
};

describe('AOT artifacts', () => {
  test('compiling twice gives the same bytes, file by file', async () => {
    const again = await buildArtifact(lowerModelFile(XOR));
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [path, bytes] of files) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(again.get(path)!)), path).toBe(0);
  });

  test('the manifest: version, params, schedules with their ports, one WGSL file per kernel', async () => {
    const m = manifest();
    expect(m).toMatchObject({ format: 'axonic-artifact', version: 1, model: 'Xor', source: 'xor.axon', dims: ['N'] });
    expect(m.params.tensors.map((t: any) => `${t.name}:${t.dtype}[${t.shape}]`)).toEqual(['a.w:f32[2,1]', 'a.b:f32[1,1]', 'b.w:f32[3,1]', 'b.b:f32[1,1]']);
    expect(Object.keys(m.schedules)).toEqual(['forward', 'backward', 'train_step']);
    expect(m.schedules.forward.inputs.map((p: any) => `${p.role} ${p.name}`)).toEqual(['param a.w', 'param a.b', 'param b.w', 'param b.b', 'input x']);
    expect(m.schedules.train_step.outputs.map((p: any) => `${p.role} ${p.name}`)).toEqual(['loss loss', 'param a.w', 'param a.b', 'param b.w', 'param b.b']);
    const wgsl = [...files.keys()].filter((f) => f.endsWith('.wgsl'));
    const kernels = Object.values(m.schedules).flatMap((s: any) => s.program.kernels);
    expect(kernels.map((k: any) => k.file).sort()).toEqual(wgsl.sort());
    for (const k of kernels) expect(k.sha256).toBe(await sha256(files.get(k.file)!));
    expect(m.train).toMatchObject({ steps: 100, optimizer: { kind: 'gd', lr: 0.1 }, rule: 'bp', seed: 0 });
  });

  test('the runtime reads back exactly the programs the compiler made', async () => {
    const a = await loadArtifact(source(files));
    const model = lowerModelFile(XOR);
    const forward = compileProgram(model.forward.graph, DEFAULT_LIMITS, { debug: 0 });
    const loaded = a.programs.get('forward')!;
    expect(loaded.kernels.map((k) => k.wgsl)).toEqual(forward.kernels.map((k) => k.wgsl));
    expect({ ...loaded, kernels: [] }).toEqual({ ...forward, kernels: [] });
    expect(a.params.map((p) => Array.from(p.tensor.data))).toEqual(model.initialParams().map((t) => Array.from(t.data)));
    expect(a.data.map((d) => d.name)).toEqual(['x', 'y']);
  });

  test('kernels compiled with subgroups are refused on a device without them, saying what to do', async () => {
    expect(manifest().limits.subgroups).toBeUndefined();
    const a = await loadArtifact(source(withManifest((m) => (m.limits.subgroups = true))));
    const gpu = await gpuBackend();
    await expect(ArtifactModel.create(a, { ...gpu, limits: { ...gpu.limits, subgroups: false } })).rejects.toThrow(
      /compiled for an adapter with subgroups and this one has none; compile the model again/,
    );
  });

  test('a corrupted kernel file is refused', async () => {
    const name = [...files.keys()].find((f) => f.endsWith('.wgsl'))!;
    const bad = new Map(files);
    const bytes = new Uint8Array(files.get(name)!);
    bytes[10] ^= 1;
    bad.set(name, bytes);
    await expect(loadArtifact(source(bad))).rejects.toThrow(new ArtifactError(`out: ${name} is corrupted: its SHA-256 differs from the one in manifest.json (compile the model again)`));
  });

  test('another version of the format is refused, saying what to do', async () => {
    await expect(loadArtifact(source(withManifest((m) => (m.version = 2))))).rejects.toThrow(
      'out/manifest.json: version is 2, but this runtime reads version 1: upgrade axonic, or compile the model again with this version (axonic compile MODEL.axon -o DIR)',
    );
    await expect(loadArtifact(source(withManifest((m) => (m.format = 'onnx'))))).rejects.toThrow(/format must be 'axonic-artifact', got "onnx"/);
  });

  test('a malformed manifest names the field', async () => {
    await expect(loadArtifact(source(withManifest((m) => (m.schedules.forward.program.kernels[1].dispatch.kind = 'spiral'))))).rejects.toThrow(
      "out/manifest.json: schedules.forward.program.kernels[1].dispatch.kind must be one of 'linear', 'grid', 'parts', got \"spiral\"",
    );
    await expect(loadArtifact(source(withManifest((m) => (m.schedules.forward.program.steps[0].kernel = 9))))).rejects.toThrow(/steps\[0\]\.kernel names kernel 9, but there are 2/);
    await expect(loadArtifact(source(withManifest((m) => delete m.schedules.forward)))).rejects.toThrow(/schedules has no forward schedule/);
    const notJson = new Map([...files, ['manifest.json', new TextEncoder().encode('{"format": ')]]);
    await expect(loadArtifact(source(notJson))).rejects.toThrow(/manifest\.json is not valid JSON .*: the artifact is corrupted/);
  });

  test('parameters that do not match the manifest are refused', async () => {
    const params = decodeSafetensors(files.get('params.safetensors')!).tensors.slice(0, 3);
    const bytes = encodeSafetensors(params);
    const hash = await sha256(bytes);
    const bad = withManifest((m) => (m.params.sha256 = hash));
    bad.set('params.safetensors', bytes);
    await expect(loadArtifact(source(bad))).rejects.toThrow(/params\.safetensors holds a\.w, a\.b, b\.w, but manifest\.json lists/);
  });

  test('a missing folder or manifest says what an artifact is', async () => {
    await expect(loadArtifact(source(new Map()))).rejects.toThrow(/cannot read the manifest manifest\.json: no such file \(is this an artifact\?/);
  });
});
