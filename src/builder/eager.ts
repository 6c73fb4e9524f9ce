import { compileProgram } from '../../passes/compile.ts';
import { DeviceArray } from '../../runtime/device-array.ts';
import { getBackend, type GpuBackend } from '../../runtime/device.ts';
import { Executable } from '../../runtime/executor.ts';
import { evaluate } from '../../runtime/reference.ts';
import { formatType, hostTensor, isNodeOf, isSymbol, printGraph, type Graph, type HostTensor, type Node, type Value } from '../ir/index.ts';
import { HOST } from './array.ts';
import { isConcrete, type Concrete } from './concrete.ts';
import { explainLimit } from './limit-errors.ts';
import { sameParameters } from './param-names.ts';
import { Tensor } from './tensor.ts';
import { checkOwner, currentTrace, TraceError, withNewTrace } from './trace-context.ts';
import { flatten, isTreeNode, unflatten, type Tree } from './tree.ts';

/**
 * Eager mode, as in JAX: outside every trace, an ax function called on concrete arrays runs at
 * once, one call at a time. The call is traced synchronously into a small program whose inputs
 * are the call's concrete arrays (so the results' dtypes and shapes, and any shape error, are
 * known at once, located at the user's line), and returns DeviceArrays made by
 * `DeviceArray.later`: the program compiles (once per signature, cached) and runs asynchronously,
 * after its inputs are computed. Every consumer (data(), readAll, later eager ops, jit calls)
 * waits for that, and a failure reaches every array computed from the failed one. Inside a trace
 * the wrapped function is the original one, untouched.
 */

type AnyFn = (...args: any[]) => any;

/** Compiled eager programs kept per device, by the text of their graph; the oldest go first. */
const MAX_CACHED_PROGRAMS = 256;
const programs = new WeakMap<GpuBackend, Map<string, Promise<Executable>>>();

/** Counts for tests: eager calls traced, and programs compiled for WebGPU. */
export const eagerStats = { calls: 0, compiles: 0 };

const isContainer = (x: unknown): boolean =>
  x === null || x === undefined || Array.isArray(x) || isTreeNode(x) || (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype);

/**
 * Leaves of an eager call's arguments: concrete arrays (they become program inputs) and every
 * other non-container value (numbers, strings, functions, options of other classes), which stay
 * static: a number in an eager call is what it is in a traced one, an operand or an axis alike.
 */
const isEagerLeaf = (x: unknown): boolean => isConcrete(x) || x instanceof Tensor || !isContainer(x);

/** `fn` as an ax function: inside a trace, `fn` itself; outside, it runs eagerly on concrete arrays. */
export function eager<F extends AnyFn>(op: string, fn: F): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return currentTrace() ? fn.apply(this, args) : runEager(op, fn, args);
  };
  sameParameters(wrapped, fn);
  return wrapped as F;
}

/** A module's functions, each made eager (`prefix` names them in errors, e.g. 'nn.'). */
export function eagerAll<M extends object>(module: M, prefix = ''): M {
  const entries = Object.entries(module).map(([name, v]) => [name, typeof v === 'function' ? eager(prefix + name, v) : v]);
  return Object.fromEntries(entries) as M;
}

/** A transform (grad, vmap, ...) whose resulting function runs eagerly outside a trace. */
export function eagerTransform<T extends (...args: any[]) => AnyFn>(op: string, transform: T): T {
  return ((...args: unknown[]) => eager(op, transform(...args))) as T;
}

/** Where a result leaf of an eager call comes from: passed through, an input array, or a program output. */
type Slot = { kind: 'static'; leaf: unknown } | { kind: 'input'; index: number } | { kind: 'output'; index: number };

/** Traces `fn(...args)` with the concrete arrays among `args` as inputs; returns its results as DeviceArrays. */
export function runEager(op: string, fn: AnyFn, args: readonly unknown[]): unknown {
  eagerStats.calls++;
  const { leaves, def } = flatten<unknown>(args as Tree<unknown>, isEagerLeaf);
  const arrays: Concrete[] = [];
  const traced = withNewTrace((ctx) => {
    const inputs = leaves.map((leaf) => {
      if (!isConcrete(leaf)) return leaf;
      arrays.push(leaf);
      return new Tensor(ctx, ctx.builder.input({ dtype: leaf.dtype, shape: [...leaf.shape] }));
    });
    const result = fn(...(unflatten(def, inputs) as unknown[]));
    const out = flatten<unknown>(result as Tree<unknown>, isEagerLeaf);
    for (const leaf of out.leaves) if (leaf instanceof Tensor) checkOwner(op, leaf.ctx, ctx, `its result (${formatType(leaf)})`);
    return { ...out, inputs: ctx.builder.inputs.slice(), ctx };
  });

  // Results that are inputs (identity ops) are the input arrays; the rest are the program's outputs.
  const computedValues: Value[] = [];
  const slots = traced.leaves.map((leaf): Slot => {
    if (!(leaf instanceof Tensor)) return { kind: 'static', leaf };
    const input = traced.inputs.indexOf(leaf.value);
    if (input >= 0) return { kind: 'input', index: input };
    let k = computedValues.indexOf(leaf.value);
    if (k < 0) k = computedValues.push(leaf.value) - 1;
    return { kind: 'output', index: k };
  });
  let outputs: DeviceArray[] = [];
  if (computedValues.length > 0) {
    for (const v of computedValues)
      if (v.type.shape.some(isSymbol))
        throw new TraceError(
          `ax.${op}: outside a trace every dim must be a number, got ${formatType(v.type)}: give sizes, or trace with ax.trace`,
        );
    const numbers = new Set(leaves.filter((x): x is number => typeof x === 'number'));
    const { graph, scalars } = numbersAsInputs(traced.ctx.builder.build(computedValues, op), numbers);
    const job = execute(graph, [...arrays, ...scalars]);
    outputs = computedValues.map((v, k) => DeviceArray.later(v.type.dtype, v.type.shape as number[], job.then((o) => o[k])));
  }
  const results = slots.map((s) => {
    if (s.kind === 'static') return s.leaf;
    if (s.kind === 'output') return outputs[s.index];
    const a = arrays[s.index];
    return a instanceof DeviceArray ? a : DeviceArray.onHost(HOST, a);
  });
  return unflatten(traced.def, results);
}

/**
 * The program with each scalar constant whose value is one of the call's JS numbers turned into
 * an input, fed that value: `ax.add(x, i)` in a loop then compiles once, not once per i. Exact
 * (the input holds the constant's own dtype and value); limited to the call's numbers so that a
 * composite's internal constants stay literals and kernels gain few bindings.
 */
function numbersAsInputs(graph: Graph, numbers: ReadonlySet<number>): { graph: Graph; scalars: HostTensor[] } {
  const lifted = graph.nodes.filter(
    (n): n is Node<'constant'> => isNodeOf(n, 'constant') && n.attrs.shape.length === 0 && numbers.has(n.attrs.value[0]),
  );
  if (lifted.length === 0) return { graph, scalars: [] };
  return {
    graph: {
      ...graph,
      inputs: [...graph.inputs, ...lifted.map((n) => n.outputs[0])],
      nodes: graph.nodes.filter((n) => !lifted.includes(n as Node<'constant'>)),
    },
    scalars: lifted.map((n) => hostTensor(n.attrs.dtype, [], n.attrs.value)),
  };
}

/** Runs one eager program once its inputs are computed; the outputs also fail when an input did. */
async function execute(graph: Graph, args: readonly Concrete[]): Promise<DeviceArray[]> {
  const backend = await getBackend();
  const arrays = args.filter((a): a is DeviceArray => a instanceof DeviceArray);
  await DeviceArray.whenComputed(arrays);
  let outputs: DeviceArray[];
  if (backend.kind === 'cpu') {
    await DeviceArray.ready(arrays);
    const hosts = await Promise.all(args.map((a) => (a instanceof DeviceArray ? (a.residentHost() ?? a.toHostTensor()) : a)));
    outputs = evaluate(graph, hosts).map((t) => DeviceArray.fromHostTensor(backend, t));
  } else {
    const names = graph.inputs.map((_, i) => `operand ${i}`);
    try {
      outputs = (await executableFor(backend, graph)).run(args, names);
    } catch (e) {
      throw explainLimit(e, graph, names, backend.limits.maxStorageBufferBindingSize);
    }
  }
  // Without waiting for WebGPU to validate the inputs' calls, the outputs fail if those did.
  const inputsValid = DeviceArray.ready(arrays);
  for (const o of outputs) o.awaitBefore(inputsValid);
  return outputs;
}

/**
 * The compiled program of `graph` on this device, cached by the graph's text without source
 * locations: the same op on the same types compiles once, whichever line calls it (and whatever
 * its JS number operands, which numbersAsInputs made inputs). Evicted programs
 * are disposed once compiled; a caller holding one runs it before the disposal (promise
 * reactions run in order), since `run` is synchronous.
 */
function executableFor(backend: GpuBackend, graph: Graph): Promise<Executable> {
  let cache = programs.get(backend);
  if (!cache) programs.set(backend, (cache = new Map()));
  const key = printGraph(graph, { locations: false });
  let exe = cache.get(key);
  if (exe) {
    cache.delete(key); // re-inserted below: Map order is recency order
  } else {
    eagerStats.compiles++;
    exe = Executable.create(backend, compileProgram(graph, backend.limits));
    exe.catch(() => cache.delete(key));
    if (cache.size >= MAX_CACHED_PROGRAMS) {
      const [oldestKey, oldest] = cache.entries().next().value!;
      cache.delete(oldestKey);
      oldest.then((e) => e.dispose(), () => undefined);
    }
  }
  cache.set(key, exe);
  return exe;
}
