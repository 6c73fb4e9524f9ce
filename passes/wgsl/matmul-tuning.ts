import type { MatmulVariant } from './matmul-variants.ts';

/**
 * Measured matmul winners: shape class (matmulShapeClass) → the variant that ran fastest there
 * on one adapter. runtime/autotune.ts fills it; KernelLimits.matmulTuning carries it into the
 * compiler. An entry of another version is ignored (the kernels it was measured on changed).
 */
export const TUNING_VERSION = 2;

export interface TunedMatmul {
  readonly version: number;
  readonly variant: MatmulVariant;
  /** The winner's median time and the runner-up's, in ms, as measured (for reports). */
  readonly ms?: number;
  readonly runnerUpMs?: number;
}

export type MatmulTuning = Readonly<Record<string, TunedMatmul>>;
