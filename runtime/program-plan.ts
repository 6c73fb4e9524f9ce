import { LimitError, VerifyError } from '../src/ir/errors.ts';
import type { BufferDecl, KernelDecl, KernelLimits, Program, SizeExpr, Step } from '../src/ir/program.ts';
import { isSymbol, numElements, sameSize, sizeOf } from '../src/ir/shape.ts';

/** A bind group built for one dispatch in one context, with the buffers it was built from. */
export interface CachedGroup {
  readonly uniform: GPUBuffer;
  readonly buffers: readonly GPUBuffer[];
  readonly group: GPUBindGroup;
}

/** Program steps with buffer ids turned into indices into `Program.buffers`. */
export type PlanStep =
  | {
      readonly kind: 'dispatch';
      readonly kernel: number;
      readonly slots: Int32Array;
      /** Bind group per context id (sparse: only the contexts this step runs in). */
      readonly groups: (CachedGroup | undefined)[];
    }
  | { readonly kind: 'copy'; readonly from: number; readonly to: number }
  | {
      readonly kind: 'loop';
      readonly trips: number;
      readonly init: Int32Array;
      readonly stateIn: Int32Array;
      readonly stateOut: Int32Array;
      readonly results: Int32Array;
      /** A scan's slices (see LoopStep): stacked and per-trip buffer indices, pairwise. */
      readonly xsStacked: Int32Array;
      readonly xsSlice: Int32Array;
      readonly ysSlice: Int32Array;
      readonly ysStacked: Int32Array;
      readonly reverse: boolean;
      /** A while loop's flag (an index into the state) and read-back interval; flag −1 for other loops. */
      readonly flag: number;
      readonly checkEvery: number;
      /** Whether running this step reads a flag back, here or in a nested loop (so the run is asynchronous). */
      readonly readsBack: boolean;
      readonly body: readonly PlanStep[];
      /** Child context of iteration parity p inside context c, at index 2c + p. */
      readonly childContexts: number[];
    };

/**
 * A validated program, ready to encode. A context is one combination of ping-pong parities of
 * the enclosing loops; its map sends each buffer index to the index whose buffer it stands for.
 * Context 0 is the top level (identity). Bind groups are cached per (step, context), so a loop
 * of any trip count builds at most two per dispatch and nesting level.
 */
export interface ProgramPlan {
  readonly steps: readonly PlanStep[];
  readonly contextMaps: readonly Int32Array[];
  readonly inputs: Int32Array;
  readonly outputs: Int32Array;
  /** Per output position: written straight into a fresh buffer (else copied into one at the end). */
  readonly outputDirect: readonly boolean[];
  /** Per output position: the input position whose (donated) buffer it was computed in, or -1. */
  readonly outputDonor: readonly number[];
  /** Whether a run reads flags back between submissions (a while loop somewhere): it is asynchronous. */
  readonly readsBack: boolean;
}

export function planProgram(program: Program, limits: KernelLimits): ProgramPlan {
  if (program.version !== 1) fail(`program version ${String(program.version)} is not supported (expected 1)`);
  const indexOf = new Map<number, number>();
  program.buffers.forEach((b, i) => {
    if (indexOf.has(b.id)) fail(`buffer id ${b.id} is declared twice`);
    indexOf.set(b.id, i);
  });
  const index = (id: number, where: string): number => {
    const i = indexOf.get(id);
    if (i === undefined) fail(`${where} refers to buffer ${id}, which is not declared`);
    return i;
  };
  const indices = (ids: readonly number[], where: string) => Int32Array.from(ids, (id) => index(id, where));

  checkDims(program);
  program.kernels.forEach((k) => checkKernel(k, limits));
  program.buffers.forEach(checkConst);

  const contextMaps: Int32Array[] = [Int32Array.from(program.buffers, (_, i) => i)];
  const sameSizes = (a: number, b: number, where: string) => {
    const [da, db] = [program.buffers[a], program.buffers[b]];
    if (!sameSize(sizeOf(da.shape), sizeOf(db.shape)))
      fail(`${where}: buffers ${da.id} and ${db.id} differ in size (${da.shape} vs ${db.shape})`);
  };

  const convert = (steps: readonly Step[], where: string): PlanStep[] =>
    steps.map((s, n): PlanStep => {
      const at = `${where} step ${n}`;
      switch (s.kind) {
        case 'dispatch': {
          const kernel = program.kernels[s.kernel];
          if (!kernel) fail(`${at} dispatches kernel ${s.kernel}, which does not exist`);
          if (s.buffers.length !== kernel.reads + kernel.writes)
            fail(`${at} binds ${s.buffers.length} buffers to kernel '${kernel.name}', which takes ${kernel.reads + kernel.writes}`);
          return { kind: 'dispatch', kernel: s.kernel, slots: indices(s.buffers, at), groups: [] };
        }
        case 'copy': {
          const from = index(s.from, at);
          const to = index(s.to, at);
          sameSizes(from, to, at);
          return { kind: 'copy', from, to };
        }
        case 'loop': {
          if (!Number.isInteger(s.trips) || s.trips < 0) fail(`${at}: trips must be a non-negative integer, got ${s.trips}`);
          const n = s.init.length;
          if (s.stateIn.length !== n || s.stateOut.length !== n || s.results.length !== n)
            fail(`${at}: init, stateIn, stateOut and results must have equal lengths`);
          const loop = {
            kind: 'loop' as const,
            trips: s.trips,
            init: indices(s.init, at),
            stateIn: indices(s.stateIn, at),
            stateOut: indices(s.stateOut, at),
            results: indices(s.results, at),
            xsStacked: indices((s.xs ?? []).map((p) => p.stacked), at),
            xsSlice: indices((s.xs ?? []).map((p) => p.slice), at),
            ysSlice: indices((s.ys ?? []).map((p) => p.slice), at),
            ysStacked: indices((s.ys ?? []).map((p) => p.stacked), at),
            reverse: s.reverse ?? false,
            flag: s.until?.flag ?? -1,
            checkEvery: s.until?.checkEvery ?? 0,
            readsBack: false,
            body: convert(s.body, `${at} body`),
            childContexts: [] as number[],
          };
          loop.readsBack = s.until !== undefined || loop.body.some((b) => b.kind === 'loop' && b.readsBack);
          if (s.until) {
            const { flag, checkEvery } = s.until;
            if (!(Number.isInteger(flag) && flag >= 0 && flag < n)) fail(`${at}: the until flag ${flag} is not a carried value`);
            if (program.buffers[loop.stateIn[flag]].dtype !== 'bool') fail(`${at}: the until flag must be a bool state`);
            if (!(Number.isInteger(checkEvery) && checkEvery >= 1)) fail(`${at}: checkEvery must be a positive integer, got ${checkEvery}`);
          }
          for (let i = 0; i < n; i++)
            for (const other of [loop.stateIn[i], loop.stateOut[i], loop.results[i]]) sameSizes(loop.init[i], other, at);
          const stacks = (stacked: Int32Array, slice: Int32Array, what: string) =>
            stacked.forEach((b, i) => {
              const [whole, part] = [program.buffers[b], program.buffers[slice[i]]];
              if (!sameSize(sizeOf(whole.shape), sizeOf([s.trips, ...part.shape])))
                fail(`${at}: ${what} ${i}: buffer ${whole.id} [${whole.shape}] is not ${s.trips} slices of buffer ${part.id} [${part.shape}]`);
            });
          stacks(loop.xsStacked, loop.xsSlice, 'xs');
          stacks(loop.ysStacked, loop.ysSlice, 'ys');
          return loop;
        }
      }
    });
  const steps = convert(program.steps, 'top level');
  assignContexts(steps, 0, contextMaps);

  const inputs = indices(program.inputs, 'inputs');
  inputs.forEach((i) => program.buffers[i].kind !== 'input' && fail(`input buffer ${program.buffers[i].id} is not of kind 'input'`));
  program.buffers.forEach(
    (b, i) => b.kind === 'input' && !inputs.includes(i) && fail(`input buffer ${b.id} is not in the program's inputs`),
  );
  const outputs = indices(program.outputs, 'outputs');
  const outputDirect = [...outputs].map(
    (i, k) => program.buffers[i].kind === 'temp' && outputs.indexOf(i) === k,
  );
  const outputDonor = [...outputs].map(() => -1);
  for (const d of program.donated ?? []) {
    if (!(d.output >= 0 && d.output < outputs.length && d.input >= 0 && d.input < inputs.length))
      fail(`donation ${d.input} -> ${d.output} names no such input or output`);
    if (program.outputs[d.output] !== program.inputs[d.input])
      fail(`donated output ${d.output} is not computed in the buffer of input ${d.input}`);
    if (outputDonor.includes(d.input)) fail(`input ${d.input} is donated to two outputs`);
    outputDonor[d.output] = d.input;
  }
  const readsBack = steps.some((s) => s.kind === 'loop' && s.readsBack);
  return { steps, contextMaps, inputs, outputs, outputDirect, outputDonor, readsBack };
}

/** Creates the contexts of every loop reachable in context `ctx` (each parity of each loop). */
function assignContexts(steps: readonly PlanStep[], ctx: number, maps: Int32Array[]): void {
  for (const step of steps) {
    if (step.kind !== 'loop') continue;
    for (const parity of [0, 1]) {
      const parent = maps[ctx];
      const swapped = Int32Array.from(parent.keys());
      if (parity === 1)
        step.stateIn.forEach((a, i) => {
          const b = step.stateOut[i];
          [swapped[a], swapped[b]] = [b, a];
        });
      const child = maps.length;
      maps.push(swapped.map((i) => parent[i]));
      step.childContexts[2 * ctx + parity] = child;
      assignContexts(step.body, child, maps);
    }
  }
}

function checkDims(program: Program): void {
  const known = new Set(program.dims);
  const check = (d: string, where: string) =>
    known.has(d) || fail(`${where} uses dimension ${d}, which is not in the program's dims [${program.dims}]`);
  for (const b of program.buffers) for (const d of b.shape) if (isSymbol(d)) check(d, `buffer ${b.id}`);
  for (const k of program.kernels) {
    const d = k.dispatch;
    const exprs =
      d.kind === 'linear' ? [d.count] : d.kind === 'grid' ? [d.x, d.y, d.z] : d.parts.flatMap((p) => [p.x, p.y, p.z]);
    for (const e of exprs) {
      for (const s of e.symbols) check(s, `kernel '${k.name}' dispatch`);
      if (!(e.divisor > 0)) fail(`kernel '${k.name}' has a dispatch divisor of ${e.divisor}`);
    }
  }
  const bound = new Set(program.inputs.flatMap((id) => program.buffers.find((b) => b.id === id)?.shape ?? []));
  for (const d of program.dims)
    if (!bound.has(d)) fail(`dimension ${d} appears in no input shape, so a call cannot bind it`);
}

function checkKernel(k: KernelDecl, limits: KernelLimits): void {
  const storage = k.reads + k.writes;
  if (storage > limits.maxStorageBuffersPerShaderStage)
    throw new LimitError(
      `kernel '${k.name}' binds ${storage} storage buffers, more than this adapter's ` +
        `maxStorageBuffersPerShaderStage of ${limits.maxStorageBuffersPerShaderStage}: ` +
        'compile the program for this adapter\'s limits so fusion splits the kernel',
    );
}

function checkConst(b: BufferDecl): void {
  if (b.kind !== 'const') return;
  if (b.shape.some(isSymbol)) fail(`const buffer ${b.id} has a symbolic shape [${b.shape}]`);
  const n = numElements(b.shape as number[]);
  if (!b.data || b.data.length !== n) fail(`const buffer ${b.id} needs ${n} values, has ${b.data?.length ?? 'none'}`);
}

/** ceil(constant · product of the bound symbols / divisor). */
export function evalSize(e: SizeExpr, binding: ReadonlyMap<string, number>): number {
  let n = e.constant;
  for (const s of e.symbols) n *= binding.get(s)!;
  return Math.ceil(n / e.divisor);
}

function fail(message: string): never {
  throw new VerifyError(`invalid program: ${message}`);
}
