import { formatShape } from '../src/ir/shape.ts';
import type { BindingState } from './binding-state.ts';
import type { BufferPool } from './buffer-pool.ts';
import { DeviceArray } from './device-array.ts';
import { closeErrorScopes, openErrorScopes, type GpuBackend } from './device.ts';
import type { Argument } from './executor.ts';
import type { PlanStep, ProgramPlan } from './program-plan.ts';
import type { Program } from '../src/ir/program.ts';
import { stats } from './stats.ts';

/**
 * A run of a program that reads a while loop's flag back (see LoopStep.until): the steps are
 * recorded as an ordinary run records them, but a while loop's trips go in chunks of checkEvery,
 * each chunk ends its submission with a copy of the flag, and the run awaits that one word
 * before it records the next chunk or moves on. Each submission has error scopes of its own.
 */

/** What a chunked run uses of its Executable (which owns the encoder and the buffers). */
export interface ChunkHost {
  readonly backend: GpuBackend;
  readonly program: Program;
  readonly plan: ProgramPlan;
  readonly pool: BufferPool;
  /** Buffer of each program buffer index during the run. */
  readonly bufs: GPUBuffer[];
  readonly consts: readonly (GPUBuffer | undefined)[];
  /** The encoder the Executable records into (undefined: none). */
  setEncoder(encoder: GPUCommandEncoder | undefined): void;
  encoder(): GPUCommandEncoder;
  endPass(): void;
  encodeSteps(steps: readonly PlanStep[], ctx: number, state: BindingState): void;
  copy(from: GPUBuffer, to: GPUBuffer, bytes: number): void;
  copySlices(stacked: Int32Array, outer: Int32Array, slices: Int32Array, inner: Int32Array, k: number, into: boolean, state: BindingState): void;
  /** The argument's buffer, uploading a host argument into `uploaded`. */
  inputBuffer(arg: Argument, uploaded: GPUBuffer[], name: string): GPUBuffer;
  describe(): string;
}

/**
 * Each argument in a buffer the run owns, taken at call time (the caller may dispose the
 * argument before the run ends): its upload, a copy of it, or a donated argument's own buffer.
 */
export function ownArguments(host: ChunkHost, args: readonly Argument[], argNames: readonly string[] | undefined, state: BindingState): GPUBuffer[] {
  const { plan, pool, backend } = host;
  const owned: GPUBuffer[] = [];
  const scopes = openErrorScopes(backend.device);
  const encoder = backend.device.createCommandEncoder();
  try {
    plan.inputs.forEach((index, k) => {
      const name = argNames?.[k] ?? `#${k}`;
      const uploaded: GPUBuffer[] = [];
      const buffer = host.inputBuffer(args[k], uploaded, name);
      if (uploaded.length) return owned.push(buffer);
      if (plan.outputDonor.includes(k)) {
        (args[k] as DeviceArray).surrender();
        return owned.push(buffer);
      }
      const copy = pool.acquireStorage(state.bytes[index], `a copy of argument ${name}`);
      if (state.bytes[index] > 0) encoder.copyBufferToBuffer(buffer, 0, copy, 0, state.bytes[index]);
      owned.push(copy);
    });
    backend.device.queue.submit([encoder.finish()]);
  } catch (e) {
    for (const b of owned) pool.release(b);
    throw e;
  } finally {
    void closeErrorScopes(backend.device, scopes, `copying the arguments of ${host.describe()}`).catch(() => undefined);
  }
  return owned;
}

/** Records and submits the run chunk by chunk; resolves to its outputs once the last chunk is submitted. */
export async function recordInChunks(host: ChunkHost, inputs: readonly GPUBuffer[], state: BindingState): Promise<DeviceArray[]> {
  const { plan, program, bufs, pool } = host;
  const outputs: GPUBuffer[] = [];
  const run = new ChunkedRun(host, state);
  try {
    plan.inputs.forEach((index, k) => (bufs[index] = inputs[k]));
    host.consts.forEach((b, i) => b && (bufs[i] = b));
    state.temps.forEach((b, i) => b && (bufs[i] = b));
    plan.outputs.forEach((index, k) => {
      const donor = plan.outputDonor[k];
      const b = program.buffers[index];
      const buffer = donor >= 0 ? inputs[donor] : pool.acquireStorage(state.bytes[index], `output ${k} (${b.dtype}${formatShape(state.shapes[index])})`);
      outputs.push(buffer);
      if (donor < 0 && plan.outputDirect[k]) bufs[index] = buffer;
    });
    run.open();
    await run.encode(plan.steps, 0);
    plan.outputs.forEach(
      (index, k) => plan.outputDirect[k] || plan.outputDonor[k] >= 0 || host.copy(bufs[index], outputs[k], state.bytes[index]),
    );
    run.submit();
  } catch (e) {
    run.abandon();
    outputs.forEach((b, k) => plan.outputDonor[k] < 0 && pool.release(b));
    throw e;
  } finally {
    // Safe after the last submission: later uses of these buffers are ordered after it.
    inputs.forEach((b, k) => plan.outputDonor.includes(k) || pool.release(b));
  }
  const checked = Promise.all(run.failures).then(() => undefined);
  return Array.from(plan.outputs, (index, k) => {
    const out = DeviceArray.adopt(host.backend, program.buffers[index].dtype, state.shapes[index], outputs[k]);
    out.awaitBefore(checked);
    return out;
  });
}

/** The submissions of one chunked run: the open one's error scopes, and every one's validation. */
class ChunkedRun {
  readonly failures: Promise<void>[] = [];
  private scopes: number | undefined;

  constructor(
    private readonly host: ChunkHost,
    private readonly state: BindingState,
  ) {}

  open(): void {
    this.scopes = openErrorScopes(this.host.backend.device);
    this.host.setEncoder(this.host.backend.device.createCommandEncoder());
  }

  submit(): void {
    const { host } = this;
    const scopes = this.scopes!;
    this.scopes = undefined;
    try {
      host.endPass();
      host.backend.device.queue.submit([host.encoder().finish()]);
      stats.submissions++;
    } finally {
      host.setEncoder(undefined);
      this.failures.push(closeErrorScopes(host.backend.device, scopes, `a call of ${host.describe()}`));
    }
  }

  /** After a failure: closes the open submission, if any, without submitting it. */
  abandon(): void {
    if (this.scopes === undefined) return;
    this.host.setEncoder(undefined);
    this.failures.push(closeErrorScopes(this.host.backend.device, this.scopes, `a call of ${this.host.describe()}`));
    this.scopes = undefined;
  }

  /** The steps as Executable.encodeSteps records them, except loops that read back. */
  async encode(steps: readonly PlanStep[], ctx: number): Promise<void> {
    for (const step of steps) {
      if (step.kind !== 'loop' || !step.readsBack) this.host.encodeSteps([step], ctx, this.state);
      else await this.encodeLoop(step, ctx);
    }
  }

  /**
   * A loop that reads back, here or in its body: trips recorded as encodeSteps records them; a
   * while loop's go in chunks of checkEvery, and after each chunk the flag of the current state
   * is read, stopping the loop once it is false.
   */
  private async encodeLoop(step: PlanStep & { kind: 'loop' }, ctx: number): Promise<void> {
    const { host, state } = this;
    const maps = host.plan.contextMaps;
    const map = maps[ctx];
    const bufs = host.bufs;
    for (let i = 0; i < step.init.length; i++) host.copy(bufs[map[step.init[i]]], bufs[map[step.stateIn[i]]], state.bytes[step.init[i]]);
    const nested = step.body.some((s) => s.kind === 'loop' && s.readsBack);
    let t = 0;
    while (t < step.trips) {
      const end = step.flag >= 0 ? Math.min(t + step.checkEvery, step.trips) : step.trips;
      for (; t < end; t++) {
        const child = step.childContexts[2 * ctx + (t & 1)];
        const slice = step.reverse ? step.trips - 1 - t : t;
        if (step.xsSlice.length) host.copySlices(step.xsStacked, map, step.xsSlice, maps[child], slice, true, state);
        if (nested) await this.encode(step.body, child);
        else host.encodeSteps(step.body, child, state);
        if (step.ysSlice.length) host.copySlices(step.ysStacked, map, step.ysSlice, maps[child], slice, false, state);
      }
      if (step.flag < 0 || t >= step.trips) break;
      // After t trips the state is in stateOut when t is odd (the ping-pong of encodeSteps).
      const holder = (t & 1 ? step.stateOut : step.stateIn)[step.flag];
      if (!(await this.readFlag(bufs[map[holder]]))) break;
    }
    const final = t & 1 ? step.stateOut : step.stateIn;
    for (let i = 0; i < final.length; i++) host.copy(bufs[map[final[i]]], bufs[map[step.results[i]]], state.bytes[final[i]]);
  }

  /** Submits what is recorded with a copy of the flag and reads it back: the only wait of the run. */
  private async readFlag(flag: GPUBuffer): Promise<boolean> {
    const { host } = this;
    const staging = host.pool.acquireStaging(4);
    host.endPass();
    host.encoder().copyBufferToBuffer(flag, 0, staging, 0, 4);
    this.submit();
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const go = new Uint32Array(staging.getMappedRange(0, 4))[0] !== 0;
      staging.unmap();
      stats.readbacks++;
      return go;
    } finally {
      host.pool.release(staging);
      this.open();
    }
  }
}
