import type { DType } from './dtype.ts';
import type { Shape } from './shape.ts';

/**
 * A compiled program: the kernel stage of the IR and the shape of the AOT artifact. It is plain
 * data (JSON-serialisable): the runtime executes it without the compiler.
 *
 * Sizes are written in symbolic dims; the runtime binds them from the input shapes, writes them
 * into one uniform buffer (`u32` per name, in `dims` order) that every kernel reads, and
 * evaluates dispatch sizes from `SizeExpr`s.
 */
export interface Program {
  readonly version: 1;
  /** Symbolic dimension names, in the order of the sizes uniform. */
  readonly dims: readonly string[];
  readonly buffers: readonly BufferDecl[];
  readonly kernels: readonly KernelDecl[];
  readonly steps: readonly Step[];
  /** Buffer id of each program input, in argument order. */
  readonly inputs: readonly number[];
  /** Buffer id of each program output (one may appear twice, or be an input). */
  readonly outputs: readonly number[];
  /**
   * Outputs computed in place in the buffer of a donated input (JAX's donate_argnums): the
   * call hands that buffer to the output and the caller's argument array is used up.
   */
  readonly donated?: readonly { readonly output: number; readonly input: number }[];
}

export interface BufferDecl {
  readonly id: number;
  readonly dtype: DType;
  readonly shape: Shape;
  /**
   * input: written from the caller's argument; const: filled once from `data`;
   * temp: an intermediate (may be an output too).
   */
  readonly kind: 'input' | 'const' | 'temp';
  /** Element values of a `const` buffer (concrete shape). */
  readonly data?: readonly number[];
}

/** ceil(constant * product(symbols) / divisor): a size in symbolic dims. */
export interface SizeExpr {
  readonly constant: number;
  readonly symbols: readonly string[];
  readonly divisor: number;
}

export interface KernelDecl {
  readonly name: string;
  readonly wgsl: string;
  readonly entryPoint: string;
  /**
   * Binding layout in group 0: binding 0 is the sizes uniform; bindings 1..n are storage
   * buffers, the first `reads` read-only and the rest read-write (outputs).
   */
  readonly reads: number;
  readonly writes: number;
  /** Workgroup counts. `linear` kernels take one flat count that the runtime folds into x and y
   *  when it exceeds the adapter's per-dimension limit (the WGSL recombines them). */
  readonly dispatch:
    | { readonly kind: 'linear'; readonly count: SizeExpr }
    | { readonly kind: 'grid'; readonly x: SizeExpr; readonly y: SizeExpr; readonly z: SizeExpr }
    /**
     * Several kernels in one dispatch: the flat workgroup count is the sum of each part's
     * x·y·z, folded like a linear count; the WGSL hands each part its range.
     */
    | { readonly kind: 'parts'; readonly parts: readonly { readonly x: SizeExpr; readonly y: SizeExpr; readonly z: SizeExpr }[] };
  /** The kernel plan this WGSL was rendered from, for dumps. */
  readonly plan: string;
}

export type Step =
  /** Run kernel `kernel` with these buffers bound at bindings 1..n (reads then writes). */
  | { readonly kind: 'dispatch'; readonly kernel: number; readonly buffers: readonly number[] }
  /** Copy a whole buffer into another of the same size. */
  | { readonly kind: 'copy'; readonly from: number; readonly to: number }
  | LoopStep<Step>;

/**
 * Run `body` `trips` times. Iteration t reads the carried state from `stateIn` and writes it to
 * `stateOut`; odd iterations run with each stateIn[i] and stateOut[i] swapped (ping-pong), so no
 * copy happens between iterations. Before the loop, `init` is copied into `stateIn`; after it,
 * the final state (in stateOut when trips is odd, else in stateIn) is copied into `results`.
 * Every iteration is recorded into the same submission. Shared by kernel plans and programs.
 */
export interface LoopStep<S> {
  readonly kind: 'loop';
  readonly trips: number;
  readonly init: readonly number[];
  readonly stateIn: readonly number[];
  readonly stateOut: readonly number[];
  readonly results: readonly number[];
  readonly body: readonly S[];
  /**
   * A scan's per-trip slices. Before iteration t's body, slice k of each `xs[i].stacked` is copied
   * into `xs[i].slice`; after it, each `ys[i].slice` is copied into slice k of `ys[i].stacked`,
   * where k = t, or trips − 1 − t when `reverse`. A stacked buffer is [trips, ...slice shape]
   * row-major, so slice k is the k-th contiguous run of the slice's size. The offsets are known
   * when the trips are recorded, so each trip copies one slice: O(slice), not O(stack).
   */
  readonly xs?: readonly SliceCopy[];
  readonly ys?: readonly SliceCopy[];
  readonly reverse?: boolean;
  /**
   * A while loop: `trips` is the most it runs. Carried value `flag` (an index into the state, a
   * bool) says whether to go on; the runtime records `checkEvery` trips per submission and reads
   * the flag between them, stopping once it is false. The body must leave the state unchanged
   * once the flag is false (passes/guard-while.ts makes it so), so trips run past that point
   * change nothing and the final state is exact.
   */
  readonly until?: { readonly flag: number; readonly checkEvery: number };
}

/** One stacked buffer and the per-trip buffer that holds its current slice (see LoopStep). */
export interface SliceCopy {
  readonly stacked: number;
  readonly slice: number;
}

/** The adapter limits that shape code generation (read from `device.limits`). */
export interface KernelLimits {
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupSizeY: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBufferBindingSize: number;
  /**
   * How the adapter runs shaders, for tuning only (never for correctness): 'software' adapters
   * (lavapipe, SwiftShader) run a workgroup on one CPU thread and pay much per invocation.
   */
  readonly adapterKind?: 'software' | 'hardware';
  /**
   * Whether kernels may use subgroup operations: the device was created with the 'subgroups'
   * feature and its WGSL has the subgroup_id built-ins. Off in DEFAULT_LIMITS (portable code).
   */
  readonly subgroups?: boolean;
  /**
   * Measured matmul kernel winners per shape class on this adapter (runtime/autotune.ts; the
   * entries are passes/wgsl/matmul-tuning.ts's TunedMatmul). Tuning only, never correctness.
   */
  readonly matmulTuning?: Readonly<Record<string, { readonly version: number; readonly variant: object }>>;
}

/** WebGPU's guaranteed minimums: code generated for these runs on every adapter. */
export const DEFAULT_LIMITS: KernelLimits = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};
