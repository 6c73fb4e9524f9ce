import { isDType } from '../../src/ir/dtype.ts';
import { AxonicError } from '../../src/ir/errors.ts';
import type { SizeExpr } from '../../src/ir/program.ts';
import {
  ARTIFACT_FORMAT, ARTIFACT_VERSION,
  type BindingInfo, type BufferManifest, type KernelManifest, type Manifest, type PortInfo, type ProgramManifest, type ScheduleManifest, type TensorInfo,
} from './manifest.ts';

/** An artifact that cannot be run as it is: a malformed or corrupted file, another format version, a missing piece. */
export class ArtifactError extends AxonicError {
  override name = 'ArtifactError';
}

type Json = Record<string, unknown>;

const KERNEL_LIMIT_KEYS = [
  'maxStorageBuffersPerShaderStage', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize',
] as const;
const ROLES = ['param', 'input', 'output', 'cotangent', 'gradient', 'loss'];
const BINDING_TYPES = ['uniform', 'read-only-storage', 'storage'];
const DIM_NAME = /^[A-Za-z_]\w*$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** Checks that parsed JSON is a manifest this runtime can run, naming the first field that is not. */
export function validateManifest(json: unknown, file = 'manifest.json'): Manifest {
  const fail = (path: string, why: string): never => {
    throw new ArtifactError(`${file}: ${path} ${why}`);
  };
  const obj = (v: unknown, path: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : fail(path, `must be an object, got ${show(v)}`));
  const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, `must be a list, got ${show(v)}`));
  const str = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, `must be a string, got ${show(v)}`));
  const int = (v: unknown, path: string, min = 0): number =>
    Number.isSafeInteger(v) && (v as number) >= min ? (v as number) : fail(path, `must be an integer of at least ${min}, got ${show(v)}`);
  const oneOf = <T extends string>(v: unknown, path: string, options: readonly T[]): T =>
    options.includes(v as T) ? (v as T) : fail(path, `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${show(v)}`);

  const m = obj(json, 'the manifest');
  if (m.format !== ARTIFACT_FORMAT) fail('format', `must be '${ARTIFACT_FORMAT}', got ${show(m.format)}: this is not an axonic artifact`);
  if (m.version !== ARTIFACT_VERSION) {
    const newer = typeof m.version === 'number' && m.version > ARTIFACT_VERSION;
    fail('version', `is ${show(m.version)}, but this runtime reads version ${ARTIFACT_VERSION}: ${newer ? 'upgrade axonic, or compile' : 'compile'} the model again with this version (axonic compile MODEL.axon -o DIR)`);
  }
  str(m.generator, 'generator');
  str(m.model, 'model');
  str(m.source, 'source');
  const limits = obj(m.limits, 'limits');
  for (const k of KERNEL_LIMIT_KEYS) int(limits[k], `limits.${k}`, 1);
  const dims = arr(m.dims, 'dims').map((d, i) => (DIM_NAME.test(str(d, `dims[${i}]`)) ? (d as string) : fail(`dims[${i}]`, `is not a dim name: ${show(d)}`)));

  const shape = (v: unknown, path: string) =>
    arr(v, path).map((d, i) => (typeof d === 'string' ? (dims.includes(d) ? d : fail(`${path}[${i}]`, `names the dim '${d}', which dims does not list`)) : int(d, `${path}[${i}]`)));
  const tensor = (v: unknown, path: string): TensorInfo => {
    const t = obj(v, path);
    const dtype = str(t.dtype, `${path}.dtype`);
    if (!isDType(dtype)) return fail(`${path}.dtype`, `must be f32, i32, u32 or bool, got ${show(dtype)}`);
    return { name: str(t.name, `${path}.name`), dtype, shape: shape(t.shape, `${path}.shape`) };
  };
  const fileRef = (v: unknown, path: string) => {
    const f = obj(v, path);
    const name = str(f.file, `${path}.file`);
    if (name.startsWith('/') || name.split('/').includes('..')) fail(`${path}.file`, `must be a path inside the artifact, got ${show(name)}`);
    if (!HEX64.test(str(f.sha256, `${path}.sha256`))) fail(`${path}.sha256`, 'must be 64 hex digits');
    return { file: name, sha256: f.sha256 as string };
  };
  const unique = (names: readonly string[], path: string) => {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) fail(path, `names '${dup}' twice`);
  };

  const params = obj(m.params, 'params');
  const paramTensors = arr(params.tensors, 'params.tensors').map((t, i) => tensor(t, `params.tensors[${i}]`));
  unique(paramTensors.map((t) => t.name), 'params.tensors');
  for (const t of paramTensors) if (t.shape.some((d) => typeof d === 'string')) fail(`params.tensors (${t.name})`, 'must have known sizes');

  const schedules = obj(m.schedules, 'schedules');
  if (!('forward' in schedules)) fail('schedules', 'has no forward schedule');
  for (const [name, s] of Object.entries(schedules)) validateSchedule(s, `schedules.${name}`, { obj, arr, str, int, oneOf, fail, tensor, shape, fileRef, paramTensors });
  if (m.train !== undefined) {
    const t = obj(m.train, 'train');
    if (!('train_step' in schedules)) fail('train', 'is given but schedules has no train_step');
    int(t.steps, 'train.steps');
    if (t.batch !== undefined) int(t.batch, 'train.batch', 1);
    int(t.seed, 'train.seed');
    const opt = obj(t.optimizer, 'train.optimizer');
    str(opt.kind, 'train.optimizer.kind');
    if (typeof opt.lr !== 'number') fail('train.optimizer.lr', `must be a number, got ${show(opt.lr)}`);
    str(t.rule, 'train.rule');
    arr(t.data, 'train.data').forEach((d, i) => {
      tensor(d, `train.data[${i}]`);
      if (typeof (d as Json).stored !== 'boolean') fail(`train.data[${i}].stored`, 'must be true or false');
    });
    if (t.file !== undefined) fileRef(t.file, 'train.file');
  }
  return { ...(m as unknown as Manifest), params: { ...fileRef(params, 'params'), tensors: paramTensors } };
}

interface Readers {
  obj(v: unknown, path: string): Json;
  arr(v: unknown, path: string): unknown[];
  str(v: unknown, path: string): string;
  int(v: unknown, path: string, min?: number): number;
  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T;
  fail(path: string, why: string): never;
  tensor(v: unknown, path: string): TensorInfo;
  shape(v: unknown, path: string): (string | number)[];
  fileRef(v: unknown, path: string): { file: string; sha256: string };
  paramTensors: readonly TensorInfo[];
}

function validateSchedule(v: unknown, path: string, r: Readers): void {
  const s = r.obj(v, path) as unknown as ScheduleManifest;
  const port = (p: unknown, at: string): PortInfo => ({ ...r.tensor(p, at), role: r.oneOf(r.obj(p, at).role, `${at}.role`, ROLES as PortInfo['role'][]) });
  const inputs = r.arr(s.inputs, `${path}.inputs`).map((p, i) => port(p, `${path}.inputs[${i}]`));
  const outputs = r.arr(s.outputs, `${path}.outputs`).map((p, i) => port(p, `${path}.outputs[${i}]`));
  for (const p of inputs)
    if (p.role === 'param' && !r.paramTensors.some((t) => t.name === p.name)) r.fail(`${path}.inputs (${p.name})`, 'is a param that params.tensors does not list');
  const prog = r.obj(s.program, `${path}.program`) as unknown as ProgramManifest;
  const at = `${path}.program`;
  r.arr(prog.dims, `${at}.dims`).forEach((d, i) => r.str(d, `${at}.dims[${i}]`));
  const ids = new Map<number, BufferManifest>();
  r.arr(prog.buffers, `${at}.buffers`).forEach((b, i) => {
    const o = r.obj(b, `${at}.buffers[${i}]`) as unknown as BufferManifest;
    const id = r.int(o.id, `${at}.buffers[${i}].id`);
    if (ids.has(id)) r.fail(`${at}.buffers[${i}].id`, `repeats the id ${id}`);
    ids.set(id, o);
    r.tensor({ ...o, name: `buffer ${i}` }, `${at}.buffers[${i}]`);
    const kind = r.oneOf(o.kind, `${at}.buffers[${i}].kind`, ['input', 'const', 'temp']);
    if (kind === 'const' && typeof o.data !== 'string') r.fail(`${at}.buffers[${i}].data`, 'must hold the base64 values of a const buffer');
  });
  const kernels = r.arr(prog.kernels, `${at}.kernels`).map((k, i) => validateKernel(k, `${at}.kernels[${i}]`, r));
  const bufferId = (id: unknown, where: string) => {
    const n = r.int(id, where);
    if (!ids.has(n)) r.fail(where, `names buffer ${n}, which buffers does not declare`);
    return n;
  };
  const steps = (list: unknown, where: string): void =>
    r.arr(list, where).forEach((st, i) => {
      const p = `${where}[${i}]`;
      const o = r.obj(st, p);
      const kind = r.oneOf(o.kind, `${p}.kind`, ['dispatch', 'copy', 'loop']);
      if (kind === 'dispatch') {
        const k = r.int(o.kernel, `${p}.kernel`);
        if (k >= kernels.length) r.fail(`${p}.kernel`, `names kernel ${k}, but there are ${kernels.length}`);
        const bufs = r.arr(o.buffers, `${p}.buffers`);
        const wanted = kernels[k].bindings.length - 1;
        if (bufs.length !== wanted) r.fail(`${p}.buffers`, `binds ${bufs.length} buffers to kernel ${k}, which has ${wanted} storage bindings`);
        bufs.forEach((b, j) => bufferId(b, `${p}.buffers[${j}]`));
      } else if (kind === 'copy') {
        bufferId(o.from, `${p}.from`);
        bufferId(o.to, `${p}.to`);
      } else {
        r.int(o.trips, `${p}.trips`);
        for (const key of ['init', 'stateIn', 'stateOut', 'results']) r.arr(o[key], `${p}.${key}`).forEach((b, j) => bufferId(b, `${p}.${key}[${j}]`));
        steps(o.body, `${p}.body`);
      }
    });
  steps(prog.steps, `${at}.steps`);
  const ins = r.arr(prog.inputs, `${at}.inputs`).map((b, i) => bufferId(b, `${at}.inputs[${i}]`));
  const outs = r.arr(prog.outputs, `${at}.outputs`).map((b, i) => bufferId(b, `${at}.outputs[${i}]`));
  if (ins.length !== inputs.length) r.fail(`${path}.inputs`, `lists ${inputs.length} inputs, but the program takes ${ins.length}`);
  if (outs.length !== outputs.length) r.fail(`${path}.outputs`, `lists ${outputs.length} outputs, but the program gives ${outs.length}`);
  const same = (p: PortInfo, b: BufferManifest) => p.dtype === b.dtype && JSON.stringify(p.shape) === JSON.stringify(b.shape);
  inputs.forEach((p, i) => same(p, ids.get(ins[i])!) || r.fail(`${path}.inputs[${i}]`, `(${p.name}) does not match the type of program buffer ${ins[i]}`));
  outputs.forEach((p, i) => same(p, ids.get(outs[i])!) || r.fail(`${path}.outputs[${i}]`, `(${p.name}) does not match the type of program buffer ${outs[i]}`));
}

function validateKernel(v: unknown, path: string, r: Readers): KernelManifest {
  const k = r.obj(v, path);
  r.str(k.name, `${path}.name`);
  r.fileRef(k, path);
  r.str(k.entryPoint, `${path}.entryPoint`);
  const bindings = r.arr(k.bindings, `${path}.bindings`).map((b, i) => {
    const o = r.obj(b, `${path}.bindings[${i}]`);
    if (r.int(o.binding, `${path}.bindings[${i}].binding`) !== i) r.fail(`${path}.bindings[${i}].binding`, `must be ${i}`);
    return { binding: i, type: r.oneOf(o.type, `${path}.bindings[${i}].type`, BINDING_TYPES as BindingInfo['type'][]) };
  });
  const types = bindings.map((b) => b.type);
  const firstWrite = types.indexOf('storage');
  const ordered = types[0] === 'uniform' && types.slice(1).every((t, i) => t !== 'uniform' && (firstWrite < 0 || i + 1 < firstWrite || t === 'storage'));
  if (!ordered) r.fail(`${path}.bindings`, 'must be the uniform, then read-only storage, then storage buffers');
  const d = r.obj(k.dispatch, `${path}.dispatch`);
  const size = (e: unknown, p: string) => {
    const o = r.obj(e, p) as unknown as SizeExpr;
    r.int(o.constant, `${p}.constant`);
    r.int(o.divisor, `${p}.divisor`, 1);
    r.arr(o.symbols, `${p}.symbols`).forEach((s, i) => r.str(s, `${p}.symbols[${i}]`));
  };
  const kind = r.oneOf(d.kind, `${path}.dispatch.kind`, ['linear', 'grid', 'parts']);
  if (kind === 'linear') size(d.count, `${path}.dispatch.count`);
  else if (kind === 'grid') for (const a of ['x', 'y', 'z']) size(d[a], `${path}.dispatch.${a}`);
  else r.arr(d.parts, `${path}.dispatch.parts`).forEach((part, i) => { for (const a of ['x', 'y', 'z']) size(r.obj(part, `${path}.dispatch.parts[${i}]`)[a], `${path}.dispatch.parts[${i}].${a}`); });
  return { ...(k as unknown as KernelManifest), bindings };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 60) ?? String(v));
