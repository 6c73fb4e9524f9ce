import { AxonicError, DeviceError, InputError } from '../src/ir/errors.ts';
import type { HostTensor } from '../src/ir/host-tensor.ts';
import type { Program } from '../src/ir/program.ts';
import { bindDims, formatShape, formatType } from '../src/ir/shape.ts';
import { BindingState } from './binding-state.ts';
import { poolFor, type BufferPool } from './buffer-pool.ts';
import { DeviceArray } from './device-array.ts';
import { checkDevice, closeErrorScopes, openErrorScopes, type GpuBackend } from './device.ts';
import { compileKernel, type CompiledKernel } from './pipelines.ts';
import { ownArguments, recordInChunks, type ChunkHost } from './chunked-run.ts';
import { planProgram, type PlanStep, type ProgramPlan } from './program-plan.ts';
import { stats } from './stats.ts';
import { uploadTensor } from './transfer.ts';

/** Bindings (dims) whose temps stay allocated; a program called with many batch sizes keeps the latest. */
const MAX_BINDING_STATES = 4;

export type Argument = DeviceArray | HostTensor;

/**
 * A program ready to run on one device: pipelines compiled, constants uploaded. `run` records
 * every step into one command encoder and submits once; nothing in it awaits.
 */
export class Executable {
  private readonly pool: BufferPool;
  private readonly states = new Map<string, BindingState>();
  private lastState: BindingState | undefined;
  private readonly consts: (GPUBuffer | undefined)[] = [];
  /** Buffer of each program buffer index during one run (reused across runs). */
  private readonly bufs: GPUBuffer[];
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private boundPipeline: GPUComputePipeline | undefined;
  private isDisposed = false;
  /** The last chunked run of this executable (see runInChunks): the next one starts after it. */
  private chunked: Promise<unknown> = Promise.resolve();
  /** While `profile` runs: the query set each dispatch writes its start and end times into. */
  private timing: { readonly set: GPUQuerySet; readonly kernels: number[]; readonly capacity: number } | undefined;

  private constructor(
    readonly backend: GpuBackend,
    readonly program: Program,
    private readonly plan: ProgramPlan,
    private readonly kernels: readonly CompiledKernel[],
  ) {
    this.pool = poolFor(backend);
    this.bufs = new Array<GPUBuffer>(program.buffers.length);
    program.buffers.forEach((b, i) => {
      if (b.kind === 'const') this.consts[i] = uploadTensor(backend, b.dtype, b.data!, `const buffer ${b.id}`);
    });
  }

  /** Validates the program and compiles its kernels (in parallel, through the device's pipeline cache). */
  static async create(backend: GpuBackend, program: Program): Promise<Executable> {
    if ((backend as { kind: string }).kind !== 'webgpu')
      throw new AxonicError('Executable needs a WebGPU backend: on the CPU backend, run the graph with evaluate()');
    checkDevice(backend);
    const plan = planProgram(program, backend.limits);
    const kernels = await Promise.all(program.kernels.map((k) => compileKernel(backend, k)));
    return new Executable(backend, program, plan, kernels);
  }

  /**
   * Runs the program once; returns its outputs (fresh arrays that stay valid across later runs).
   * Nothing here awaits: a WebGPU error that the call raises (a validation error, running out of
   * memory) rejects every read of its outputs, and `runChecked` awaits it.
   */
  run(args: readonly Argument[], argNames?: readonly string[]): DeviceArray[] {
    if (this.isDisposed) throw new AxonicError('Executable.run after dispose(): create the executable again');
    checkDevice(this.backend);
    const state = this.stateFor(this.bindArguments(args, argNames));
    if (this.plan.readsBack) return this.runInChunks(args, argNames, state);
    const scopes = openErrorScopes(this.backend.device);
    let outputs: DeviceArray[] = [];
    try {
      outputs = this.record(args, argNames, state);
    } finally {
      const failure = closeErrorScopes(this.backend.device, scopes, `a call of ${this.describe()}`);
      for (const o of outputs) o.awaitBefore(failure);
    }
    return outputs;
  }

  /** `run`, then waits until WebGPU has validated the call: its errors reject this promise. */
  async runChecked(args: readonly Argument[], argNames?: readonly string[]): Promise<DeviceArray[]> {
    const outputs = this.run(args, argNames);
    try {
      await DeviceArray.ready(outputs);
    } catch (e) {
      for (const o of outputs) o.dispose();
      throw e;
    }
    return outputs;
  }

  /**
   * Runs the program once with a GPU timestamp around every dispatch (each in a pass of its
   * own, so this run is slower than `run`): the time each kernel took, in dispatch order, in ms.
   * Needs the adapter's timestamp-query feature.
   */
  async profile(args: readonly Argument[], argNames?: readonly string[]): Promise<{ kernel: string; ms: number }[]> {
    const { device } = this.backend;
    if (this.plan.readsBack) throw new AxonicError('Executable.profile does not time programs with a whileLoop (their runs submit in chunks)');
    if (!device.features.has('timestamp-query'))
      throw new DeviceError('Executable.profile needs the timestamp-query feature, which this adapter does not offer');
    const capacity = 2048; // WebGPU allows 4096 queries per set: two per dispatch.
    const set = device.createQuerySet({ type: 'timestamp', count: 2 * capacity });
    this.timing = { set, kernels: [], capacity };
    let outputs: DeviceArray[];
    let kernels: number[];
    try {
      outputs = this.run(args, argNames);
      kernels = this.timing.kernels;
    } finally {
      this.timing = undefined;
    }
    const n = Math.min(kernels.length, capacity);
    const resolved = device.createBuffer({ size: 16 * Math.max(n, 1), usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const staging = device.createBuffer({ size: 16 * Math.max(n, 1), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    if (n > 0) encoder.resolveQuerySet(set, 0, 2 * n, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, 16 * Math.max(n, 1));
    device.queue.submit([encoder.finish()]);
    await DeviceArray.ready(outputs);
    await staging.mapAsync(GPUMapMode.READ);
    const times = new BigUint64Array(staging.getMappedRange());
    const result = kernels.slice(0, n).map((k, i) => ({ kernel: this.program.kernels[k].name, ms: Number(times[2 * i + 1] - times[2 * i]) / 1e6 }));
    staging.unmap();
    for (const b of [staging, resolved]) b.destroy();
    set.destroy();
    for (const o of outputs) o.dispose();
    return result;
  }

  private describe(): string {
    const names = this.program.kernels.slice(0, 3).map((k) => k.name);
    const more = this.program.kernels.length > 3 ? `, … (${this.program.kernels.length} kernels)` : '';
    return `the program with kernels ${names.join(', ')}${more}`;
  }

  private record(args: readonly Argument[], argNames: readonly string[] | undefined, state: BindingState): DeviceArray[] {
    const { plan, program, bufs } = this;
    const uploaded: GPUBuffer[] = [];
    const outputs: GPUBuffer[] = [];
    try {
      plan.inputs.forEach((index, k) => (bufs[index] = this.inputBuffer(args[k], uploaded, argNames?.[k] ?? `#${k}`)));
      this.consts.forEach((b, i) => b && (bufs[i] = b));
      state.temps.forEach((b, i) => b && (bufs[i] = b));
      plan.outputs.forEach((index, k) => {
        const donor = plan.outputDonor[k];
        if (donor >= 0) {
          // Computed in place: the output takes the donated argument's buffer.
          const buffer = bufs[plan.inputs[donor]];
          const up = uploaded.indexOf(buffer);
          if (up >= 0) uploaded.splice(up, 1);
          else (args[donor] as DeviceArray).surrender();
          outputs.push(buffer);
          return;
        }
        const b = program.buffers[index];
        const fresh = this.pool.acquireStorage(state.bytes[index], `output ${k} (${b.dtype}${formatShape(state.shapes[index])})`);
        outputs.push(fresh);
        if (plan.outputDirect[k]) bufs[index] = fresh;
      });
    } catch (e) {
      for (const b of [...uploaded, ...outputs]) this.pool.release(b);
      throw e;
    }

    const encoder = (this.encoder = this.backend.device.createCommandEncoder());
    try {
      this.encodeSteps(plan.steps, 0, state);
      plan.outputs.forEach(
        (index, k) => plan.outputDirect[k] || plan.outputDonor[k] >= 0 || this.copy(bufs[index], outputs[k], state.bytes[index]),
      );
      this.endPass();
      this.backend.device.queue.submit([encoder.finish()]);
      stats.submissions++;
    } catch (e) {
      for (const b of outputs) this.pool.release(b);
      throw e;
    } finally {
      this.encoder = this.pass = this.boundPipeline = undefined;
      // Safe right after submit: later uses of these buffers are ordered after this submission.
      for (const b of uploaded) this.pool.release(b);
    }

    return Array.from(plan.outputs, (index, k) =>
      DeviceArray.adopt(this.backend, program.buffers[index].dtype, state.shapes[index], outputs[k]),
    );
  }

  /**
   * A run that reads a while loop's flag back between submissions. Copies of the arguments are
   * taken now (the caller may dispose them before the run ends); then, after the previous
   * chunked run of this executable (they share its temps), the steps are recorded and submitted
   * a chunk at a time. The outputs are arrays whose values exist once the run has ended.
   */
  private runInChunks(args: readonly Argument[], argNames: readonly string[] | undefined, state: BindingState): DeviceArray[] {
    const host = this.chunkHost();
    const owned = ownArguments(host, args, argNames, state);
    const job = this.chunked.then(() => recordInChunks(host, owned, state));
    this.chunked = job.catch(() => undefined);
    return Array.from(this.plan.outputs, (index, k) =>
      DeviceArray.later(this.program.buffers[index].dtype, state.shapes[index], job.then((outputs) => outputs[k])),
    );
  }

  /** What chunked-run.ts uses of this executable. */
  private chunkHost(): ChunkHost {
    return {
      backend: this.backend,
      program: this.program,
      plan: this.plan,
      pool: this.pool,
      bufs: this.bufs,
      consts: this.consts,
      setEncoder: (encoder) => {
        this.encoder = encoder;
        this.pass = this.boundPipeline = undefined;
      },
      encoder: () => this.encoder!,
      endPass: () => this.endPass(),
      encodeSteps: (steps, ctx, state) => this.encodeSteps(steps, ctx, state),
      copy: (from, to, bytes) => this.copy(from, to, bytes),
      copySlices: (...a) => this.copySlices(...a),
      inputBuffer: (arg, uploaded, name) => this.inputBuffer(arg, uploaded, name),
      describe: () => this.describe(),
    };
  }

  /** Frees cached temps and constants (after the chunked runs in flight); pipelines stay cached for other executables. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.plan.readsBack) void this.chunked.then(() => this.release());
    else this.release();
  }

  private release(): void {
    for (const s of this.states.values()) s.release();
    this.states.clear();
    this.lastState = undefined;
    for (const b of this.consts) if (b) this.pool.release(b);
    this.consts.length = 0;
    this.bufs.length = 0;
  }

  private bindArguments(args: readonly Argument[], argNames?: readonly string[]): Map<string, number> {
    const { program } = this;
    const decls = this.plan.inputs;
    const nameOf = (k: number) => argNames?.[k] ?? `#${k}`;
    const declared = (k: number) => formatType(program.buffers[decls[k]]);
    if (args.length !== decls.length)
      throw new InputError(
        'list',
        `${decls.length} arguments (${[...decls].map((_, k) => `${nameOf(k)}: ${declared(k)}`).join(', ')})`,
        `${args.length} arguments`,
      );
    const actual = (k: number) => `${args[k].dtype}${formatShape(args[k].shape)}`;
    for (const donor of this.plan.outputDonor)
      if (donor >= 0 && args.some((a, k) => k !== donor && a === args[donor]))
        throw new InputError(nameOf(donor), declared(donor), 'an array passed again as another argument',
          'a donated argument is overwritten by the call, so it cannot be another argument too');
    args.forEach((a, k) => {
      if (a instanceof DeviceArray && a.disposed)
        throw new InputError(nameOf(k), declared(k), `a disposed ${actual(k)} array`, 'dispose() was called on it before this call');
      if (a.dtype !== program.buffers[decls[k]].dtype)
        throw new InputError(nameOf(k), declared(k), actual(k), `dtype ${a.dtype} differs from ${program.buffers[decls[k]].dtype}`);
    });
    const bound = bindDims(
      [...decls].map((i) => program.buffers[i].shape),
      args.map((a) => a.shape),
    );
    if ('error' in bound) throw new InputError(nameOf(bound.index), declared(bound.index), actual(bound.index), bound.error);
    return bound.binding;
  }

  private stateFor(binding: Map<string, number>): BindingState {
    const key = this.program.dims.map((d) => binding.get(d)).join(',');
    if (this.lastState?.key === key) return this.lastState;
    let state = this.states.get(key);
    if (state) {
      this.states.delete(key); // re-inserted below: Map order is recency order
    } else {
      if (this.states.size >= MAX_BINDING_STATES) {
        const [oldestKey, oldest] = this.states.entries().next().value!;
        // A chunked run in flight may still use the oldest temps: they go after it.
        if (this.plan.readsBack) void this.chunked.then(() => oldest.release());
        else oldest.release();
        this.states.delete(oldestKey);
      }
      state = new BindingState(key, this.program, this.plan, binding, this.backend, this.pool);
    }
    this.states.set(key, state);
    return (this.lastState = state);
  }

  private inputBuffer(arg: Argument, uploaded: GPUBuffer[], name: string): GPUBuffer {
    if (arg instanceof DeviceArray) {
      if (arg.onGpu) {
        if (arg.backend.kind === 'webgpu' && arg.backend.device === this.backend.device) return arg.gpuBuffer();
        throw new DeviceError(
          `argument ${name} lives on another WebGPU device: read it with data() and pass the values instead`,
        );
      }
      const host = arg.residentHost()!;
      return this.upload(host.dtype, host.data, uploaded, name);
    }
    return this.upload(arg.dtype, arg.data, uploaded, name);
  }

  private upload(dtype: HostTensor['dtype'], data: ArrayLike<number>, uploaded: GPUBuffer[], name: string): GPUBuffer {
    const buffer = uploadTensor(this.backend, dtype, data, `argument ${name}`);
    uploaded.push(buffer);
    return buffer;
  }

  private encodeSteps(steps: readonly PlanStep[], ctx: number, state: BindingState): void {
    const map = this.plan.contextMaps[ctx];
    const bufs = this.bufs;
    for (const step of steps) {
      switch (step.kind) {
        case 'dispatch':
          this.dispatch(step, ctx, state);
          break;
        case 'copy':
          this.copy(bufs[map[step.from]], bufs[map[step.to]], state.bytes[step.from]);
          break;
        case 'loop': {
          for (let i = 0; i < step.init.length; i++)
            this.copy(bufs[map[step.init[i]]], bufs[map[step.stateIn[i]]], state.bytes[step.init[i]]);
          const even = step.childContexts[2 * ctx];
          const odd = step.childContexts[2 * ctx + 1];
          for (let t = 0; t < step.trips; t++) {
            const child = t & 1 ? odd : even;
            const slice = step.reverse ? step.trips - 1 - t : t;
            if (step.xsSlice.length) this.copySlices(step.xsStacked, map, step.xsSlice, this.plan.contextMaps[child], slice, true, state);
            this.encodeSteps(step.body, child, state);
            if (step.ysSlice.length) this.copySlices(step.ysStacked, map, step.ysSlice, this.plan.contextMaps[child], slice, false, state);
          }
          const final = step.trips & 1 ? step.stateOut : step.stateIn;
          for (let i = 0; i < final.length; i++)
            this.copy(bufs[map[final[i]]], bufs[map[step.results[i]]], state.bytes[final[i]]);
          break;
        }
      }
    }
  }

  private dispatch(step: PlanStep & { kind: 'dispatch' }, ctx: number, state: BindingState): void {
    const w = state.workgroups;
    const k = step.kernel;
    const x = w[3 * k];
    const y = w[3 * k + 1];
    const z = w[3 * k + 2];
    if (x === 0 || y === 0 || z === 0) return;
    const t = this.timing;
    if (t && t.kernels.length < t.capacity) {
      this.endPass();
      const i = t.kernels.push(k) - 1;
      this.pass = this.encoder!.beginComputePass({
        timestampWrites: { querySet: t.set, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
      });
    }
    const pass = (this.pass ??= this.encoder!.beginComputePass());
    const { pipeline } = this.kernels[k];
    if (this.boundPipeline !== pipeline) {
      pass.setPipeline(pipeline);
      this.boundPipeline = pipeline;
    }
    pass.setBindGroup(0, this.bindGroup(step, ctx, state));
    pass.dispatchWorkgroups(x, y, z);
    stats.dispatches++;
    if (t) this.endPass();
  }

  /** The cached bind group of (step, context) when it was built from the same buffers, else a new one. */
  private bindGroup(step: PlanStep & { kind: 'dispatch' }, ctx: number, state: BindingState): GPUBindGroup {
    const map = this.plan.contextMaps[ctx];
    const { slots } = step;
    const cached = step.groups[ctx];
    if (cached && cached.uniform === state.uniform) {
      let same = true;
      for (let j = 0; j < slots.length && same; j++) same = cached.buffers[j] === this.bufs[map[slots[j]]];
      if (same) return cached.group;
    }
    const buffers = Array.from(slots, (index) => this.bufs[map[index]]);
    const group = this.backend.device.createBindGroup({
      layout: this.kernels[step.kernel].layout,
      entries: [
        { binding: 0, resource: { buffer: state.uniform } },
        ...buffers.map((buffer, j) => ({ binding: j + 1, resource: { buffer } })),
      ],
    });
    stats.bindGroupsCreated++;
    step.groups[ctx] = { uniform: state.uniform, buffers, group };
    return group;
  }

  /**
   * A scan trip's slice copies: slice k of each stacked buffer into its per-trip buffer
   * (`into` true, before the body), or each per-trip buffer into slice k (after it).
   */
  private copySlices(
    stacked: Int32Array, outer: Int32Array, slices: Int32Array, inner: Int32Array, k: number, into: boolean, state: BindingState,
  ): void {
    for (let i = 0; i < slices.length; i++) {
      const bytes = state.bytes[slices[i]];
      const [whole, part] = [this.bufs[outer[stacked[i]]], this.bufs[inner[slices[i]]]];
      if (into) this.copy(whole, part, bytes, k * bytes, 0);
      else this.copy(part, whole, bytes, 0, k * bytes);
    }
  }

  /** Copies must sit outside compute passes: ends the open pass (the next dispatch opens one). */
  private copy(from: GPUBuffer, to: GPUBuffer, bytes: number, fromOffset = 0, toOffset = 0): void {
    if ((from === to && fromOffset === toOffset) || bytes === 0) return;
    this.endPass();
    this.encoder!.copyBufferToBuffer(from, fromOffset, to, toOffset, bytes);
  }

  private endPass(): void {
    if (!this.pass) return;
    this.pass.end();
    this.pass = undefined;
    this.boundPipeline = undefined;
  }
}
