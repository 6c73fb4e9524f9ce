import { compileProgram } from '../../passes/compile.ts';
import { DeviceArray } from '../../runtime/device-array.ts';
import { getBackend, type Backend, type GpuBackend } from '../../runtime/device.ts';
import { autotune as tuneGraph, tunedLimits } from '../../runtime/autotune.ts';
import { Executable } from '../../runtime/executor.ts';
import { evaluate } from '../../runtime/reference.ts';
import { bindDims, formatShape, formatType, hostTensor, InputError, type HostTensor } from '../ir/index.ts';
import { missingArgument, plainArrayArgument, structureError } from './call-errors.ts';
import { isConcrete } from './concrete.ts';
import { explainLimit } from './limit-errors.ts';
import { Spec } from './spec.ts';
import { Tensor } from './tensor.ts';
import { argumentPaths, traceFunction, type ArgTree, type TracedFunction, type TraceableFn } from './trace.ts';
import { TraceError } from './trace-context.ts';
import { flatten, numLeaves, treeDefKey, unflatten, type Tree, type TreeDef } from './tree.ts';

export interface JitOptions {
  /**
   * Argument types, one tree of `ax.spec` per positional argument, dims may be names ('N'). Then
   * one program serves every binding of the names, and calls are checked against the specs.
   * Without specs, the function is traced and compiled once per argument structure and shapes.
   */
  specs?: readonly ArgTree[];
  /** Where to run (default: `getBackend()`, the shared WebGPU device or the CPU fallback). */
  backend?: Backend | Promise<Backend>;
  /**
   * Positional arguments whose arrays the call may overwrite (JAX's donate_argnums): results of
   * the same shape are computed in place in their buffers when every other read of them comes
   * first (a training step's parameters and optimizer state). A donated array cannot be used
   * after the call; read the result instead.
   */
  donateArgnums?: number | readonly number[];
  /**
   * Measure a few matmul kernel variants for each new shape class at the first compile and keep
   * the fastest (runtime/autotune.ts; winners persist per adapter in the tuning cache). Default:
   * AXONIC_AUTOTUNE=1. Without it, winners already in the cache are still used.
   */
  autotune?: boolean;
}

/** What a jit function accepts per argument leaf. JS numbers are f32 scalars, booleans bool. */
export type JitArgument = DeviceArray | HostTensor | number | boolean;

/** A traced function's parameter types with each Tensor replaced by what a call may pass. */
export type JitArgs<T> = T extends Tensor
  ? JitArgument
  : T extends readonly unknown[] | Record<string, unknown>
    ? { [K in keyof T]: JitArgs<T[K]> }
    : T;

/** A traced function's result type with each leaf replaced by the DeviceArray a call returns. */
export type JitResult<T> = [Tree<Tensor>] extends [T]
  ? Tree<DeviceArray> // an untyped tree (grad's result): mapping it member by member would never end
  : T extends Tensor | number | boolean
  ? DeviceArray
  : T extends readonly unknown[] | Record<string, unknown>
    ? { [K in keyof T]: JitResult<T[K]> }
    : T;

export interface JitFunction<F extends TraceableFn = TraceableFn> {
  (...args: JitArgs<Parameters<F>>): Promise<JitResult<ReturnType<F>>>;
  /** How many times the function has been traced (once per distinct signature). */
  readonly traceCount: number;
  /** How many programs have been compiled for a WebGPU device (once per signature and device). */
  readonly compileCount: number;
}

/** One traced signature and its compiled form per backend. */
interface Entry {
  readonly traced: TracedFunction;
  readonly executables: WeakMap<GpuBackend, Promise<Executable>>;
  /** Flat input positions of the donated arguments' leaves. */
  readonly donate: readonly number[];
  readonly autotune: boolean;
}

/** The flat leaf positions of the positional arguments `argnums` (the args tree is an array of them). */
function leafPositions(def: TreeDef, argnums: readonly number[]): number[] {
  if (def.kind !== 'array') return [];
  const out: number[] = [];
  let at = 0;
  def.children.forEach((child, i) => {
    const n = numLeaves(child);
    if (argnums.includes(i)) for (let k = 0; k < n; k++) out.push(at + k);
    at += n;
  });
  return out;
}

function toArgument(leaf: unknown, path: string): DeviceArray | HostTensor {
  if (typeof leaf === 'number') return hostTensor('f32', [], [leaf]);
  if (typeof leaf === 'boolean') return hostTensor('bool', [], [Number(leaf)]);
  if (isConcrete(leaf)) return leaf;
  if (leaf instanceof Tensor)
    throw new TraceError(`argument ${path} is a traced Tensor: a jit function cannot be called while tracing (call fn itself)`);
  if (leaf instanceof Spec) throw new InputError(path, 'an array or a number', String(leaf), 'specs go in jit options, not in calls');
  throw new InputError(path, 'an array or a number', typeof leaf);
}

const describeArg = (a: DeviceArray | HostTensor): string => `${a.dtype}${formatShape(a.shape)}`;

/** Checks a call against declared specs; throws InputError naming the argument path. */
function checkAgainst(fn: TraceableFn, traced: TracedFunction, def: TreeDef, args: readonly (DeviceArray | HostTensor)[]): void {
  const inputs = traced.graph.inputs;
  if (treeDefKey(def) !== treeDefKey(traced.inDef))
    throw structureError(fn, traced.inDef, def, inputs.map((v) => v.type));
  args.forEach((a, i) => {
    const declared = inputs[i].type;
    if (a.dtype !== declared.dtype)
      throw new InputError(traced.inPaths[i], formatType(declared), describeArg(a), `dtype ${a.dtype} differs from ${declared.dtype}`);
  });
  const bound = bindDims(inputs.map((v) => v.type.shape), args.map((a) => a.shape));
  if ('error' in bound) {
    const i = bound.index;
    throw new InputError(traced.inPaths[i], formatType(inputs[i].type), describeArg(args[i]), bound.error);
  }
}

async function compileFor(backend: GpuBackend, graph: TracedFunction['graph'], entry: Entry, args: readonly (DeviceArray | HostTensor)[]): Promise<Executable> {
  const bound = bindDims(graph.inputs.map((v) => v.type.shape), args.map((a) => a.shape));
  const binding = 'binding' in bound ? bound.binding : undefined;
  const limits = entry.autotune ? (await tuneGraph(backend, graph, { binding })).limits : await tunedLimits(backend);
  return Executable.create(backend, compileProgram(graph, limits, { donate: entry.donate }));
}

async function runOn(
  backend: Backend,
  entry: Entry,
  args: readonly (DeviceArray | HostTensor)[],
  onCompile: () => void,
): Promise<DeviceArray[]> {
  const { graph, inPaths } = entry.traced;
  // Eager results may still be computing; a failed one fails this call rather than feed it stale data.
  await DeviceArray.ready(args.filter((a): a is DeviceArray => a instanceof DeviceArray));
  if (backend.kind === 'cpu') {
    const hosts = await Promise.all(args.map((a) => (a instanceof DeviceArray ? (a.residentHost() ?? a.toHostTensor()) : a)));
    return evaluate(graph, hosts).map((t) => DeviceArray.fromHostTensor(backend, t));
  }
  try {
    let exe = entry.executables.get(backend);
    if (!exe) {
      onCompile();
      exe = compileFor(backend, graph, entry, args);
      exe.catch(() => entry.executables.delete(backend));
      entry.executables.set(backend, exe);
    }
    return await (await exe).runChecked(args, inPaths);
  } catch (e) {
    const bound = bindDims(graph.inputs.map((v) => v.type.shape), args.map((a) => a.shape));
    throw explainLimit(e, graph, inPaths, backend.limits.maxStorageBufferBindingSize, 'binding' in bound ? bound.binding : undefined);
  }
}

/**
 * `ax.jit(f)`: an async function computing f on concrete arrays. Arguments (trees of arrays and
 * numbers) are flattened; each distinct signature (structure, dtypes, shapes; or the declared
 * `specs`) is traced once and compiled for the backend (WebGPU, or the CPU reference interpreter
 * when there is no adapter). Results are DeviceArrays in the structure f returns.
 */
export function jit<F extends TraceableFn>(fn: F, opts: JitOptions = {}): JitFunction<F> {
  const cache = new Map<string, Entry>();
  let traceCount = 0;
  let compileCount = 0;
  const argnums = opts.donateArgnums === undefined ? [] : typeof opts.donateArgnums === 'number' ? [opts.donateArgnums] : opts.donateArgnums;
  const autotune = opts.autotune ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.AXONIC_AUTOTUNE === '1';
  const traceEntry = (specs: readonly ArgTree[]): Entry => {
    traceCount++;
    const traced = traceFunction(fn, specs);
    return { traced, executables: new WeakMap(), donate: leafPositions(traced.inDef, argnums), autotune };
  };
  let declared: Entry | undefined;

  const call = async (...callArgs: Tree<JitArgument>[]): Promise<Tree<DeviceArray>> => {
    const { leaves, def } = flatten<unknown>(callArgs as Tree<unknown>);
    const paths = argumentPaths(fn, def);
    const args = leaves.map((leaf, i) => toArgument(leaf, paths[i]));
    let entry: Entry | undefined;
    if (opts.specs) {
      entry = declared ??= traceEntry(opts.specs);
      checkAgainst(fn, entry.traced, def, args);
    } else {
      const key = `${treeDefKey(def)}|${args.map(describeArg).join(';')}`;
      entry = cache.get(key);
      if (!entry) {
        try {
          entry = traceEntry([...(unflatten(def, args) as ArgTree[])]);
        } catch (e) {
          throw missingArgument(fn, callArgs.length, e) ?? plainArrayArgument(fn, callArgs, e) ?? e;
        }
        cache.set(key, entry);
      }
    }
    const outputs = await runOn(await (opts.backend ?? getBackend()), entry, args, () => compileCount++);
    return unflatten(entry.traced.outDef, outputs);
  };
  Object.defineProperties(call, {
    traceCount: { get: () => traceCount },
    compileCount: { get: () => compileCount },
  });
  return call as unknown as JitFunction<F>;
}
