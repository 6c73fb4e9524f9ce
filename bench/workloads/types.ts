import type { Env } from '../setup.ts';

/** What a contender's check found after timing. */
export interface Check {
  /** Max relative error against float64 (what is compared: the case's `checks` text). */
  readonly err: number;
  /** W2: the loss of every step this contender ran, for the cross-library agreement. */
  readonly losses?: readonly number[];
}

/** One library's implementation of one case, set up with its inputs on its device. */
export interface Contender {
  /** 'axonic', 'jax-js', 'tfjs', or a reference kernel ('copy f32'). */
  readonly name: string;
  /** One run: issue the work, then resolve when the GPU is done (onSubmittedWorkDone), no read-back. */
  run(): Promise<void>;
  /** After timing: reads the results back and compares them with float64. */
  check(): Promise<Check>;
  dispose(): Promise<void> | void;
  /** How the implementation is written, when the README should say (e.g. W4's loop). */
  readonly note?: string;
}

export type Unit = 'GFLOP/s' | 'steps/s' | 'GB/s' | 'ms';

/** One row group of a workload: a size, run by every contender in the same interleaved loop. */
export interface Case {
  readonly workload: string;
  readonly size: string;
  readonly unit: Unit;
  /** The case's metric from one run's time in milliseconds. */
  metric(ms: number): number;
  /** What the float64 check compares. */
  readonly checks: string;
  /** The contenders (inputs are made when called, so only one case's data is alive at a time). */
  contenders(): readonly ContenderFactory[];
  /** Contenders whose rate every row is also shown relative to (W3: the copy kernels). */
  readonly relativeTo?: readonly string[];
}

export interface ContenderFactory {
  readonly name: string;
  create(env: Env): Promise<Contender>;
}

export interface WorkloadOptions {
  /** --size values for this workload (numbers: n for W1, batch for W2, log2 elements or count for W3). */
  readonly sizes?: readonly number[];
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  cases(opts: WorkloadOptions): Case[];
}
