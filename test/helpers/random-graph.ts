import fc from 'fast-check';
import {
  evalShape, fillTensor, GraphBuilder, numElements, opDef, ShapeError,
  type Dim, type DType, type Graph, type HostTensor, type OpAttrs, type OpName, type Shape,
  type TensorType, type Value,
} from '../../src/ir/index.ts';
import { chance, fastCheckChooser, pick, seededChooser, type Chooser } from './random-chooser.ts';
import { STEPS } from './random-graph-steps.ts';

/** Symbolic dims the generator may use; each program binds them to sizes 1–4. */
export const RANDOM_SYMBOLS = ['N', 'M'] as const;

export interface RandomProgramOptions {
  /** Primitives the generator may apply (default: every primitive). */
  readonly ops?: readonly OpName[];
  readonly minSteps?: number;
  readonly maxSteps?: number;
  /** No value may hold more elements than this under the program's binding. */
  readonly maxElements?: number;
  /** Whether f32 literals may be -0, ±inf, nan or 1e-30 (default true). */
  readonly specialValues?: boolean;
}

export interface RandomProgram {
  readonly graph: Graph;
  /** Sizes of the symbolic dims (all of them appear in the graph's input types). */
  readonly binding: ReadonlyMap<string, number>;
  /** Concrete arguments for that binding. */
  readonly inputs: readonly HostTensor[];
  /** Every primitive applied, in order, loop bodies included. */
  readonly applied: readonly OpName[];
}

const DEFAULTS: Required<Omit<RandomProgramOptions, 'ops'>> = {
  minSteps: 10,
  maxSteps: 40,
  maxElements: 256,
  specialValues: true,
};

const F32_LITERALS = [0.5, -1, 2, 0.1, 3, -0.25, 1];
const F32_SPECIALS = [-0, Infinity, -Infinity, NaN, 1e-30];
const F32_INPUT_SPECIALS = [NaN, Infinity, -Infinity, -0, Math.fround(1e-40)];

/**
 * The state of one generated program: its builder, the values defined so far (operand
 * candidates) and the choices. Steps (random-graph-steps.ts) read and extend it.
 */
export class ProgramGen {
  readonly b = new GraphBuilder();
  readonly values: Value[] = [];

  constructor(
    readonly c: Chooser,
    readonly binding: ReadonlyMap<string, number>,
    readonly opts: Required<Omit<RandomProgramOptions, 'ops'>>,
    readonly applied: OpName[] = [],
  ) {}

  elements(shape: Shape): number {
    return numElements(evalShape(shape, this.binding));
  }

  /** Symbols already bound by an input: only those may appear in other types. */
  boundSymbols(): string[] {
    const seen = new Set<string>();
    for (const v of this.b.inputs) for (const d of v.type.shape) if (typeof d === 'string') seen.add(d);
    return [...seen];
  }

  dim(forInput = false): Dim {
    const symbols = forInput ? [...RANDOM_SYMBOLS] : this.boundSymbols();
    return symbols.length && chance(this.c, 30) ? pick(this.c, symbols) : this.c.int(1, 4);
  }

  shape(minRank: number, maxRank: number, forInput = false): Dim[] {
    return Array.from({ length: this.c.int(minRank, maxRank) }, () => this.dim(forInput));
  }

  dtype(): DType {
    const r = this.c.int(1, 100);
    return r <= 55 ? 'f32' : r <= 70 ? 'i32' : r <= 82 ? 'u32' : 'bool';
  }

  literal(dtype: DType): number {
    switch (dtype) {
      case 'f32':
        return this.opts.specialValues && chance(this.c, 20) ? pick(this.c, F32_SPECIALS) : pick(this.c, F32_LITERALS);
      case 'i32':
        return this.c.int(-5, 5);
      case 'u32':
        return this.c.int(0, 7);
      case 'bool':
        return this.c.int(0, 1);
    }
  }

  input(type: TensorType): Value {
    const v = this.b.input(type);
    this.values.push(v);
    return v;
  }

  /** A loop body's generator: same choices and binding, its own builder and values. */
  nested(): ProgramGen {
    return new ProgramGen(this.c, this.binding, this.opts, this.applied);
  }

  /** The op's result types for these operand types, or undefined where its rule refuses them. */
  resultTypes<K extends OpName>(op: K, types: readonly TensorType[], attrs: OpAttrs[K]): TensorType[] | undefined {
    try {
      return opDef(op).infer(types, attrs, []);
    } catch (e) {
      if (e instanceof ShapeError) return undefined;
      throw e;
    }
  }

  accepts<K extends OpName>(op: K, types: readonly TensorType[], attrs: OpAttrs[K]): boolean {
    return this.resultTypes(op, types, attrs) !== undefined;
  }

  /**
   * Adds a node unless a result would exceed `maxElements`. A ShapeError here is a generator bug
   * (steps only build well-typed applications), so it propagates.
   */
  apply<K extends OpName>(op: K, inputs: readonly Value[], attrs: OpAttrs[K], regions: readonly Graph[] = []): Value[] | undefined {
    const types = opDef(op).infer(inputs.map((v) => v.type), attrs, regions);
    if (types.some((t) => this.elements(t.shape) > this.opts.maxElements)) return undefined;
    const loc = chance(this.c, 15) ? { file: 'random.axon', line: this.c.int(1, 200), col: this.c.int(1, 80) } : undefined;
    const outs = this.b.add(op, inputs, attrs, { regions, loc });
    this.values.push(...outs);
    this.applied.push(op);
    return outs;
  }

  apply1<K extends OpName>(op: K, inputs: readonly Value[], attrs: OpAttrs[K]): Value | undefined {
    return this.apply(op, inputs, attrs)?.[0];
  }

  /** A splat constant: `value` over `shape` (which may be symbolic). */
  splat(dtype: DType, shape: Shape, value = this.literal(dtype)): Value | undefined {
    return this.apply1('constant', [], { shape, dtype, value: [value] });
  }
}

/** Builds one random well-typed program from a chooser. */
export function randomProgram(c: Chooser, options: RandomProgramOptions = {}): RandomProgram {
  const { ops, ...rest } = options;
  const opts = { ...DEFAULTS, ...rest };
  const allowed = ops ?? (Object.keys(STEPS) as OpName[]);
  const binding = new Map(RANDOM_SYMBOLS.map((s) => [s, c.int(1, 4)]));
  const gen = new ProgramGen(c, binding, opts);
  const inputCount = c.int(1, 3);
  for (let i = 0; i < inputCount; i++) gen.input({ dtype: gen.dtype(), shape: gen.shape(0, 3, true) });

  const steps = c.int(opts.minSteps, opts.maxSteps);
  // Some draws find no operand that fits (e.g. select before any bool exists); they retry.
  for (let done = 0, tries = 0; done < steps && tries < steps * 20; tries++) {
    const op = pick(c, allowed);
    if (STEPS[op](gen)) done++;
  }

  const last = gen.values[gen.values.length - 1];
  const outputs = [last];
  for (let k = c.int(0, 2); k > 0; k--) {
    const v = pick(c, gen.values);
    if (!outputs.includes(v)) outputs.push(v);
  }
  const graph = gen.b.build(outputs, 'random');
  return { graph, binding, inputs: randomInputs(c, graph, binding, opts.specialValues), applied: gen.applied };
}

/** Reproducible from a number: the form a WebGPU test can replay. */
export const randomProgramFromSeed = (seed: number, options: RandomProgramOptions = {}): RandomProgram =>
  randomProgram(seededChooser(seed), options);

/** fast-check arbitrary of random programs (shrinks through the choices). */
export const arbitraryProgram = (options: RandomProgramOptions = {}): fc.Arbitrary<RandomProgram> =>
  fc.gen().map((g) => randomProgram(fastCheckChooser(g), options));

/**
 * Arguments for a graph's inputs under a binding: f32 values are exact in float32, and with
 * `special` about one in twelve is a special value (NaN, an infinity, -0, a subnormal).
 */
export function randomInputs(c: Chooser, graph: Graph, binding: ReadonlyMap<string, number>, special = true): HostTensor[] {
  return graph.inputs.map(({ type }) => {
    const shape = evalShape(type.shape, binding);
    switch (type.dtype) {
      case 'f32':
        return fillTensor('f32', shape, () => (special && chance(c, 8) ? pick(c, F32_INPUT_SPECIALS) : c.int(-300, 300) / 128));
      case 'i32':
        return fillTensor('i32', shape, () => c.int(-20, 20));
      case 'u32':
        return fillTensor('u32', shape, () => c.int(0, 40));
      case 'bool':
        return fillTensor('bool', shape, () => c.int(0, 1));
    }
  });
}
