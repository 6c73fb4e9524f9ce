import { coerce, hostArrayFor, type DType, type HostData } from '../src/ir/dtype.ts';
import { AxonicError, InputError } from '../src/ir/errors.ts';
import { hostTensor, type HostTensor } from '../src/ir/host-tensor.ts';
import { formatShape, numElements } from '../src/ir/shape.ts';
import { poolFor, type BufferPool } from './buffer-pool.ts';
import type { Backend, GpuBackend } from './device.ts';
import { formatValues } from './format-values.ts';
import { readBuffers, uploadTensor, type ReadSource } from './transfer.ts';

interface Owned {
  readonly pool: BufferPool;
  readonly buffer: GPUBuffer;
}

/** Arrays dropped without dispose() give their buffer back, so long training loops do not leak. */
const collected = new FinalizationRegistry<Owned>(({ pool, buffer }) => pool.release(buffer));

/**
 * The values last read from each GPU array (a copy), so that printing it shows them afterwards.
 * A WeakMap: the copy goes when the array does.
 */
const readValues = new WeakMap<DeviceArray, HostData>();

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * An array owned by the runtime: in a GPU buffer on the WebGPU backend, or a float64 host tensor
 * on the CPU backend. Results of `Executable.run` are DeviceArrays; read them with `data()`.
 *
 * An eager op's result (`DeviceArray.later`) is a DeviceArray at once, with its dtype and shape,
 * while its program still compiles and runs; its values and backend come when it is computed.
 * Every read waits for that, and fails with the op's error if it failed.
 */
export class DeviceArray {
  readonly shape: readonly number[];
  readonly size: number;
  private home: Backend | undefined;
  private gpu: Owned | undefined;
  private host: HostTensor | undefined;
  private isDisposed = false;
  private wasDonated = false;
  /** Settles when the call that computed the array has been validated; rejects if it failed. */
  private pending: Promise<void> | undefined;
  /** Of a `later` array: settles once its values exist (not waiting for validation); rejects if they never will. */
  private computing: Promise<void> | undefined;
  private isComputed = true;
  /** The error its computation or validation failed with, once known (for printing). */
  private failure: unknown;

  private constructor(
    home: Backend | undefined,
    readonly dtype: DType,
    shape: readonly number[],
  ) {
    this.home = home;
    this.shape = Object.freeze([...shape]);
    this.size = numElements(shape);
  }

  /** Where the array lives: the WebGPU device or the CPU (host arrays and the CPU backend). */
  get backend(): Backend {
    if (!this.home) throw this.notComputed('asking where it lives');
    return this.home;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /**
   * An array that `compute` produces (an eager op whose program is still compiling or running):
   * its dtype and shape are known now; its values and backend once `compute` resolves. Reads wait
   * for it and for the validation of the call that wrote it; they fail with `compute`'s error.
   */
  static later(dtype: DType, shape: readonly number[], compute: Promise<DeviceArray>): DeviceArray {
    const a = new DeviceArray(undefined, dtype, shape);
    a.isComputed = false;
    let validated: Promise<void> = Promise.resolve();
    a.computing = compute.then(async (source) => {
      // The source may itself be computed later (a run that reads back between submissions).
      await DeviceArray.whenComputed([source]);
      validated = DeviceArray.ready([source]);
      a.takeOver(source);
    });
    a.computing.catch(() => undefined);
    a.awaitBefore(a.computing.then(() => validated));
    return a;
  }

  /** Moves `source`'s storage into this `later` array; `source` is left disposed. */
  private takeOver(source: DeviceArray): void {
    if (source.dtype !== this.dtype || source.shape.join() !== this.shape.join())
      throw new AxonicError(`internal: ${source.describe()} computed for a ${this.describe()} array`);
    this.isComputed = true;
    if (this.isDisposed) return source.dispose();
    this.home = source.home;
    this.host = source.host;
    if (source.gpu) {
      collected.unregister(source);
      this.gpu = source.gpu;
      collected.register(this, this.gpu, this);
    }
    source.gpu = source.host = undefined;
    source.isDisposed = true;
  }

  /** Whether the values exist (false while an eager op's program compiles or runs). */
  get computed(): boolean {
    return this.isComputed;
  }

  /** Resolves once every array's values exist; rejects if one's computation failed. Unlike `ready`, does not wait for validation. */
  static async whenComputed(arrays: readonly DeviceArray[]): Promise<void> {
    await Promise.all(arrays.map((a) => a.computing));
  }

  /** Uploads host values (converted to the dtype; bool as 0/1). */
  static fromHost(backend: Backend, dtype: DType, shape: readonly number[], data: ArrayLike<number>): DeviceArray {
    checkShape(dtype, shape);
    const n = numElements(shape);
    if (data.length !== n)
      throw new InputError('data', `${n} elements for ${dtype}${formatShape(shape)}`, `${data.length} elements`);
    if (backend.kind === 'cpu') return DeviceArray.onHost(backend, hostTensor(dtype, shape, data));
    const buffer = uploadTensor(backend, dtype, data, `array ${dtype}${formatShape(shape)}`);
    return DeviceArray.adopt(backend, dtype, shape, buffer);
  }

  static fromHostTensor(backend: Backend, t: HostTensor): DeviceArray {
    return DeviceArray.fromHost(backend, t.dtype, t.shape, t.data);
  }

  /** Wraps a pooled buffer that holds the tensor; the array owns it from now on. */
  static adopt(backend: GpuBackend, dtype: DType, shape: readonly number[], buffer: GPUBuffer): DeviceArray {
    const a = new DeviceArray(backend, dtype, shape);
    a.gpu = { pool: poolFor(backend), buffer };
    collected.register(a, a.gpu, a);
    return a;
  }

  /** Wraps a host tensor (CPU backend); the array keeps it, not a copy. */
  static onHost(backend: Backend, t: HostTensor): DeviceArray {
    const a = new DeviceArray(backend, t.dtype, t.shape);
    a.host = t;
    return a;
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Whether the values live in a GPU buffer (else in a host tensor). */
  get onGpu(): boolean {
    return this.gpu !== undefined;
  }

  /** The GPU buffer holding the values (at least 16 bytes; may be larger than the tensor). */
  gpuBuffer(): GPUBuffer {
    this.checkAlive();
    if (!this.isComputed) throw this.notComputed('using its buffer');
    if (!this.gpu) throw new AxonicError(`${this.describe()} lives on the CPU backend and has no GPU buffer`);
    return this.gpu.buffer;
  }

  /** The host tensor of a CPU-resident array (not a copy: do not modify it). */
  residentHost(): HostTensor | undefined {
    this.checkAlive();
    if (!this.isComputed) throw this.notComputed('reading it on the host');
    return this.host;
  }

  private notComputed(doing: string): AxonicError {
    if (this.failure !== undefined) return new AxonicError(`${this.describe()} array was never computed: ${this.status()}`);
    return new AxonicError(
      `${this.describe()} array is still being computed: await DeviceArray.ready([array]) (or array.data()) before ${doing}`,
    );
  }

  /** Makes reads wait for `check` (the validation of the call that writes this array) and fail with it. */
  awaitBefore(check: Promise<void>): void {
    const previous = this.pending;
    this.pending = previous ? Promise.all([previous, check]).then(() => undefined) : check;
    // The rejection is delivered to readers; an array nobody reads must not crash the process.
    this.pending.catch((e: unknown) => (this.failure ??= e));
  }

  /** Resolves once the calls that computed these arrays are validated; rejects with their error. */
  static async ready(arrays: readonly DeviceArray[]): Promise<void> {
    await Promise.all(arrays.map((a) => a.pending));
  }

  /** The values as a typed array of the dtype (bool as 0/1 bytes). */
  async data(): Promise<HostData> {
    return (await readAll([this]))[0];
  }

  async toHostTensor(): Promise<HostTensor> {
    return hostTensor(this.dtype, this.shape, await this.data());
  }

  /**
   * Gives up the array's GPU buffer to a call that computes an output in place in it (a donated
   * argument): the array cannot be used afterwards, and its buffer is not returned to the pool.
   */
  surrender(): void {
    this.checkAlive();
    if (!this.gpu) throw new AxonicError(`${this} has no GPU buffer to donate`);
    collected.unregister(this);
    this.gpu = undefined;
    this.host = undefined;
    this.isDisposed = true;
    this.wasDonated = true;
  }

  /** Returns the buffer to the pool now; the array cannot be used afterwards. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    readValues.delete(this);
    if (this.gpu) {
      collected.unregister(this);
      this.gpu.pool.release(this.gpu.buffer);
      this.gpu = undefined;
    }
    this.host = undefined;
  }

  /** `f32[2,3]`, and where the array lives once that is known. */
  private describe(): string {
    return `${this.dtype}${formatShape(this.shape)}${this.home ? ` on ${this.home.kind}` : ''}`;
  }

  /**
   * `DeviceArray f32[2] on webgpu [2, 3]`: dtype, shape, where it lives and its values as NumPy
   * prints them (summarised past 1000 elements), on a new line from two dimensions up. Values are
   * shown when the host has them (host arrays, the CPU backend, GPU arrays once read); otherwise
   * the text says how to read them.
   */
  toString(): string {
    const head = `DeviceArray ${this.describe()}`;
    const values = this.isDisposed ? undefined : (this.host?.data ?? readValues.get(this));
    if (values) return `${head}${this.shape.length >= 2 ? '\n' : ' '}${formatValues(this.dtype, this.shape, values)}`;
    return `${head} (${this.status()})`;
  }

  private status(): string {
    if (this.isDisposed) return 'disposed';
    if (this.failure !== undefined) {
      const message = this.failure instanceof Error ? this.failure.message : String(this.failure);
      return `failed: ${message.split('\n')[0]}`;
    }
    if (!this.isComputed) return 'being computed; `await array.data()` reads its values';
    return 'values on the GPU; `await array.data()` reads them';
  }

  /** What `console.log` and `util.inspect` show in Node. */
  [INSPECT](): string {
    return this.toString();
  }

  checkAlive(): void {
    if (this.wasDonated)
      throw new AxonicError(
        `${this.dtype}${formatShape(this.shape)} array was donated to a call (donateArgnums), which reused its buffer for a result: use that result instead`,
      );
    if (this.isDisposed)
      throw new AxonicError(
        `${this.dtype}${formatShape(this.shape)} array was used after dispose(): dispose an array only once nothing reads it any more`,
      );
  }
}

function checkShape(dtype: DType, shape: readonly number[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new InputError('shape', 'non-negative integer dims', `${dtype}${formatShape(shape)}`);
}

/** Reads several arrays back with one submission (per device). */
export async function readAll(arrays: readonly DeviceArray[]): Promise<HostData[]> {
  await DeviceArray.ready(arrays);
  const results = new Array<HostData>(arrays.length);
  const perDevice = new Map<GpuBackend, { sources: ReadSource[]; indices: number[] }>();
  arrays.forEach((a, i) => {
    const host = a.residentHost();
    if (host) {
      results[i] = hostArrayFor(a.dtype, a.size);
      for (let k = 0; k < a.size; k++) results[i][k] = coerce(a.dtype, host.data[k]);
      return;
    }
    const backend = a.backend as GpuBackend;
    let group = perDevice.get(backend);
    if (!group) perDevice.set(backend, (group = { sources: [], indices: [] }));
    group.sources.push({ buffer: a.gpuBuffer(), dtype: a.dtype, size: a.size });
    group.indices.push(i);
  });
  await Promise.all(
    [...perDevice].map(async ([backend, { sources, indices }]) => {
      const data = await readBuffers(backend, sources);
      indices.forEach((index, k) => {
        results[index] = data[k];
        readValues.set(arrays[index], data[k].slice());
      });
    }),
  );
  return results;
}
