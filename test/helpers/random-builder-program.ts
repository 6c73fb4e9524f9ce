import fc from 'fast-check';
import * as ax from '../../src/index.ts';
import { evalShape, fillTensor, type Dim, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { chance, fastCheckChooser, pick, seededChooser, type Chooser } from './random-chooser.ts';
import { BuildState, elementsOf, MAX_ELEMENTS, MAX_N, SYMBOL } from './random-builder-state.ts';

export { N_SIZES, SYMBOL } from './random-builder-state.ts';
import { BUILDER_STEPS } from './random-builder-steps.ts';

/**
 * Random functions over ax.Tensors: 10–30 ax functions applied to a pool of live tensors, each
 * step choosing operands whose shapes fit. Every choice comes from a Chooser and is recorded on
 * the first trace, so the function replays the same program on every later trace (ax.jit's).
 */

/** f32 inputs are multiples of 1/128 in [-2.34, 2.34] (exact in float32), or now and then a special value. */
const INPUT_BOUND = 300 / 128;
/** The optional i32 index input holds values in [-3, 9]: negative ones and ones past the end. */
const INDEX_RANGE = [-3, 9] as const;

/** Chooser wrappers: record every choice on the first build, replay them on later ones. */
function recording(c: Chooser, log: number[]): Chooser {
  return {
    int: (min, max) => {
      const v = c.int(min, max);
      log.push(v);
      return v;
    },
  };
}

function replaying(log: readonly number[]): Chooser {
  let i = 0;
  return {
    int: (min, max) => {
      const v = log[i++];
      if (v === undefined || v < min || v > max) throw new Error(`random program replay diverged at choice ${i - 1}`);
      return v;
    },
  };
}

export interface BuilderProgramOptions {
  /** Whether input shapes use the symbolic dim N (then jit runs with specs). */
  readonly symbolic: boolean;
  readonly minSteps?: number;
  readonly maxSteps?: number;
}

export interface BuilderProgram {
  /** One spec per positional argument of `fn`. */
  readonly specs: readonly ax.Spec[];
  /** The random function: the same program on every trace. */
  readonly fn: (...xs: ax.Tensor[]) => ax.Tensor[];
  /** `ax.trace(fn, ...specs)`. */
  readonly graph: Graph;
  /** The ax functions applied, in order (composites count once, by name). */
  readonly applied: readonly string[];
  readonly symbolic: boolean;
  /** Arguments for `fn` (with N bound to `n` in symbolic programs). */
  inputs(n?: number): HostTensor[];
}

/** Applies the steps to the inputs and returns the outputs: the last tensor and a few others. */
function build(c: Chooser, xs: readonly ax.Tensor[], specs: readonly ax.Spec[], minSteps: number, maxSteps: number) {
  const s = new BuildState(c);
  xs.forEach((t, i) => {
    s.pool.push({ t, bound: specs[i].dtype === 'i32' ? Math.max(...INDEX_RANGE.map(Math.abs)) : INPUT_BOUND });
  });
  const names = Object.keys(BUILDER_STEPS) as (keyof typeof BUILDER_STEPS)[];
  const steps = c.int(minSteps, maxSteps);
  // A draw may find no operand that fits (e.g. squeeze without a size-1 axis); it retries.
  for (let done = 0, tries = 0; done < steps; tries++) {
    if (tries > steps * 50) throw new Error('generator bug: steps keep failing');
    if (BUILDER_STEPS[pick(c, names)](s)) done++;
  }
  const outputs = [s.pool[s.pool.length - 1].t];
  for (let k = c.int(1, 3); k > 0; k--) {
    const t = pick(c, s.pool).t;
    if (!outputs.includes(t)) outputs.push(t);
  }
  return { outputs, applied: s.applied };
}

/** Input specs: f32 tensors over a small vocabulary of dims (so shapes meet), maybe an i32 index vector. */
function inputSpecs(c: Chooser, symbolic: boolean): ax.Spec[] {
  const vocab: Dim[] = Array.from({ length: c.int(2, 3) }, () => c.int(1, 6));
  if (symbolic) vocab.push(SYMBOL);
  const shape = (first?: Dim): Dim[] => {
    const dims: Dim[] = Array.from({ length: c.int(1, 3) }, () => pick(c, vocab));
    if (first !== undefined) dims[0] = first;
    while (elementsOf(dims) > MAX_ELEMENTS / 4) dims.pop();
    return dims;
  };
  const specs = Array.from({ length: c.int(1, 3) }, (_, i) => ax.spec('f32', shape(symbolic && i === 0 ? SYMBOL : undefined)));
  if (chance(c, 35)) specs.push(ax.spec('i32', [c.int(1, 5)]));
  return specs;
}

/** Special values that inputs draw now and then: the GPU must propagate them as the reference does. */
const F32_SPECIALS = [NaN, Infinity, -Infinity, -0, Math.fround(1e-40)];

function inputData(specs: readonly ax.Spec[], seed: number, n: number): HostTensor[] {
  const c = seededChooser(seed + n);
  const binding = new Map([[SYMBOL, n]]);
  return specs.map((sp) => {
    const shape = evalShape(sp.shape, binding);
    return sp.dtype === 'i32'
      ? fillTensor('i32', shape, () => c.int(INDEX_RANGE[0], INDEX_RANGE[1]))
      : fillTensor('f32', shape, () => (chance(c, 12) ? pick(c, F32_SPECIALS) : c.int(-300, 300) / 128));
  });
}

/** Builds one random program; the chooser is consulted only here (the function replays it). */
export function randomBuilderProgram(c: Chooser, options: BuilderProgramOptions): BuilderProgram {
  const { symbolic, minSteps = 10, maxSteps = 30 } = options;
  const specs = inputSpecs(c, symbolic);
  const dataSeed = c.int(0, 0x3fffffff);
  const log: number[] = [];
  let applied: string[] = [];
  const graph = ax.trace((...xs: ax.Tensor[]) => {
    const built = build(recording(c, log), xs, specs, minSteps, maxSteps);
    applied = built.applied;
    return built.outputs;
  }, ...specs);
  const fn = (...xs: ax.Tensor[]) => build(replaying(log), xs, specs, minSteps, maxSteps).outputs;
  return {
    specs,
    fn,
    graph,
    applied,
    symbolic,
    inputs: (n = MAX_N) => inputData(specs, dataSeed, n),
    [fc.toStringMethod]: () => `${specs.join(', ')}\n${ax.printGraph(graph)}`,
  } as BuilderProgram;
}

/** fast-check arbitrary of random builder programs (shrinks through the choices). */
export const arbitraryBuilderProgram = (options: BuilderProgramOptions): fc.Arbitrary<BuilderProgram> =>
  fc.gen().map((g) => randomBuilderProgram(fastCheckChooser(g), options));
