import { Tensor } from '../builder/tensor.ts';
import { isHostTensor } from '../builder/concrete.ts';
import type { Operand } from '../builder/operand.ts';
import type { Initializer as ZephyrInitializer } from '../nn/zephyr/initializers.ts';
import type { Template } from '../nn/zephyr/skeleton.ts';
import { formatShape, formatType, type DType, type HostTensor } from '../ir/index.ts';
import type { Span } from './ast.ts';
import type { SourceFile } from './source.ts';

/**
 * What an expression of a model file evaluates to. Tensors are the builder's traced values;
 * numbers, booleans, strings and lists stay static (JS values, folded while lowering, as the
 * numbers of a TypeScript function under ax.trace are); callables are functions, layers and
 * methods; a HostTensor is a concrete array (training data, a parameter's initial value).
 */
export type LangValue =
  | Tensor
  | HostTensor
  | number
  | boolean
  | string
  | readonly LangValue[]
  | Tuple
  | Callable
  | DTypeValue
  | Namespace
  | Initializer
  | LayerSpec
  | TrainSetting
  | Hole;

/** `(a, b)`: several results of a function or method, or a tuple pattern's right side. */
export class Tuple {
  constructor(readonly items: readonly LangValue[]) {}
}

/** A parameter's initial value as a function of a key and a shape (`normal(std = 0.1)`: zephyr's initialisers). */
export class Initializer {
  constructor(
    readonly name: string,
    readonly make: ZephyrInitializer,
  ) {}
}

/**
 * What a layer constructor returns (`linear(256, act = relu)`): how the layer applies its
 * parameters to its input, and how those parameters start. A model member binds one to a name;
 * its parameters live under that name (`hidden.weights`).
 */
export abstract class LayerSpec {
  /** The constructor's name, for messages ("linear"). */
  abstract readonly kind: string;
  /**
   * Applies the layer. `params` is the member's node of the parameter tree: a zephyr skeleton
   * while parameters are declared by use (zephyr.validate records them), the traced tensors after.
   */
  abstract apply(params: any, inputs: readonly ArgValue[], site: CallSite): LangValue;
  /**
   * The initial values of the parameters this layer declared (`templates`, in order) from one
   * key. Layers that leave it out initialise like zephyr.trace: each template's own initialiser
   * with its own subkey of `key`.
   */
  init?(key: Operand, templates: readonly Template[]): Tensor[];
}

/** An optimizer or a learning rule of a train block: `gd(lr = 0.1)`, `bp`. */
export class TrainSetting {
  constructor(
    readonly role: 'optimizer' | 'rule',
    readonly kind: string,
    readonly options: ReadonlyMap<string, LangValue>,
  ) {}
}

/** `_`: "no cotangent" in a vjp rule. */
export class Hole {}

export class DTypeValue {
  constructor(readonly dtype: DType) {}
}

/** The declarations of an imported file (`import "x.axon" as X`), or a builtin family (`pyneurons`). */
export class Namespace {
  constructor(
    readonly name: string,
    readonly members: ReadonlyMap<string, LangValue>,
  ) {}
}

/** Where a call happens: diagnostics point at it, and the ops it builds carry its location. */
export interface CallSite {
  readonly file: SourceFile;
  /** The span errors point at (the callee's name). */
  readonly span: Span;
  /** The span of the whole call. */
  readonly call: Span;
}

/** One argument as written: its value, its keyword (if any) and where it is. */
export interface ArgValue {
  readonly name?: string;
  readonly value: LangValue;
  readonly span: Span;
}

/** Anything that can be called: a builtin, a `fn`, a lambda, a method, a layer, a layer or model constructor. */
export abstract class Callable {
  abstract readonly name: string;
  /** What `describe` says about it ("function relu", "layer a"). */
  abstract readonly what: string;
  /** How many parameters it declares, where that changes what a caller passes (a loop body may take the index). */
  readonly arity?: number;
  abstract call(args: readonly ArgValue[], site: CallSite): LangValue;
}

export const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/** A phrase naming the kind of a value, for messages: "a number (3)", "a tensor f32[N,2]". */
export function describe(v: LangValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v instanceof Tensor) return `a tensor ${formatType(v)}`;
  if (isHostTensor(v)) return `an array ${v.dtype}${formatShape(v.shape)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'string') return `the string "${v}"`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Tuple) return `a tuple of ${v.items.length}`;
  if (v instanceof Callable) return v.what;
  if (v instanceof DTypeValue) return `the dtype ${v.dtype}`;
  if (v instanceof Namespace) return `the module ${v.name}`;
  if (v instanceof Initializer) return `the initialiser ${v.name}`;
  if (v instanceof LayerSpec) return `a ${v.kind} layer`;
  if (v instanceof TrainSetting) return `the ${v.role} ${v.kind}`;
  return "'_'";
}

/** Calls `f` with plain positional values, all located at `site`. */
export function callWith(f: Callable, values: readonly LangValue[], site: CallSite): LangValue {
  return f.call(values.map((value) => ({ value, span: site.span })), site);
}
