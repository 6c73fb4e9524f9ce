import type { DType } from '../../src/ir/dtype.ts';
import type { BufferDecl, KernelDecl, KernelLimits, Step } from '../../src/ir/program.ts';
import type { Shape } from '../../src/ir/shape.ts';

/**
 * The manifest of an ahead-of-time artifact (`axonic compile model.axon -o out/`): everything the
 * runtime needs to run a compiled model, as JSON. Beside it: one WGSL file per kernel and the
 * parameters in safetensors. Bump ARTIFACT_VERSION for any change a version-1 reader would
 * misread; readers refuse other versions.
 *
 *     out/manifest.json                 this schema
 *     out/params.safetensors            the parameters, by name
 *     out/data.safetensors              the train block's data, when the file gives it
 *     out/kernels/<schedule>/<k>-<name>.wgsl
 */
export const ARTIFACT_FORMAT = 'axonic-artifact';
export const ARTIFACT_VERSION = 1;

export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType;
  /** Sizes and symbolic dims (names bound from the inputs at run time). */
  readonly shape: Shape;
}

/**
 * What an input or output of a schedule is: a parameter (supplied from params.safetensors unless
 * the caller gives one), a model input, an output, a cotangent of an output, a parameter's
 * gradient, or the training loss.
 */
export type PortRole = 'param' | 'input' | 'output' | 'cotangent' | 'gradient' | 'loss';

export interface PortInfo extends TensorInfo {
  readonly role: PortRole;
}

/** A kernel's bind group 0: binding 0 the sizes uniform, then its read-only and its read-write storage buffers. */
export interface BindingInfo {
  readonly binding: number;
  readonly type: 'uniform' | 'read-only-storage' | 'storage';
}

export interface KernelManifest {
  readonly name: string;
  /** The WGSL file, relative to the artifact's folder. */
  readonly file: string;
  /** SHA-256 of the file's bytes, hex: a corrupted file is refused. */
  readonly sha256: string;
  readonly entryPoint: string;
  readonly bindings: readonly BindingInfo[];
  /** Workgroup counts as formulas in the symbolic dims (see SizeExpr in src/ir/program.ts). */
  readonly dispatch: KernelDecl['dispatch'];
}

/** A buffer; a `const` buffer's values are base64 of its little-endian 32-bit words (bool as u32 0/1). */
export interface BufferManifest extends Omit<BufferDecl, 'data'> {
  readonly data?: string;
}

/** The Program of one schedule (src/ir/program.ts), its kernels' WGSL moved to files. */
export interface ProgramManifest {
  readonly dims: readonly string[];
  readonly buffers: readonly BufferManifest[];
  readonly kernels: readonly KernelManifest[];
  readonly steps: readonly Step[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** One entry point: forward, backward (the VJP of forward for the parameters) or train_step. */
export interface ScheduleManifest {
  readonly inputs: readonly PortInfo[];
  readonly outputs: readonly PortInfo[];
  readonly program: ProgramManifest;
}

export interface FileRef {
  readonly file: string;
  readonly sha256: string;
}

/** The train block: how `axonic train` runs train_step. */
export interface TrainManifest {
  readonly steps: number;
  /** Rows per step; absent: all rows every step. */
  readonly batch?: number;
  readonly epochs?: number;
  readonly seed: number;
  readonly optimizer: { readonly kind: string; readonly lr: number };
  readonly rule: string;
  /** The data train_step reads, in its input order; `stored` ones are in `file`. */
  readonly data: readonly (TensorInfo & { readonly stored: boolean })[];
  readonly file?: FileRef;
}

export interface Manifest {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly version: typeof ARTIFACT_VERSION;
  /** The compiler that wrote it. */
  readonly generator: string;
  readonly model: string;
  /** The model file's name. */
  readonly source: string;
  /** The adapter limits the kernels were generated within; the runtime refuses a device with less. */
  readonly limits: KernelLimits;
  /** Every symbolic dim of every schedule. */
  readonly dims: readonly string[];
  readonly params: FileRef & { readonly tensors: readonly TensorInfo[] };
  readonly schedules: Readonly<Record<string, ScheduleManifest>>;
  readonly train?: TrainManifest;
}
