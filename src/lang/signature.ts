import { isHostTensor } from '../builder/concrete.ts';
import type { Operand } from '../builder/operand.ts';
import { Tensor } from '../builder/tensor.ts';
import { hostTensor, isDType, type DType, type HostTensor } from '../ir/index.ts';
import type { Span } from './ast.ts';
import { didYouMean, fail, type DiagnosticCode } from './diagnostics.ts';
import { Callable, describe, DTypeValue, Tuple, type ArgValue, type CallSite, type LangValue } from './values.ts';

/** One parameter of a builtin: `name`, `name?` (optional) or `*name` (the rest of the positional arguments). */
export interface ParamSpec {
  readonly name: string;
  readonly optional: boolean;
  readonly rest: boolean;
}

export interface Signature {
  readonly name: string;
  readonly params: readonly ParamSpec[];
}

/** `sig('sum', 'x', 'axis?', 'keepdims?')`, `sig('einsum', 'spec', '*operands')`. */
export function sig(name: string, ...params: string[]): Signature {
  return {
    name,
    params: params.map((p) => ({ name: p.replace(/^\*|\?$/g, ''), optional: p.endsWith('?') || p.startsWith('*'), rest: p.startsWith('*') })),
  };
}

export const formatSignature = (s: Signature): string =>
  `${s.name}(${s.params.map((p) => (p.rest ? `*${p.name}` : p.optional ? `${p.name}?` : p.name)).join(', ')})`;

/**
 * Binds a call's arguments to a signature: positional ones in order, keywords by name. Too many,
 * missing, unknown or repeated arguments are arity diagnostics at the call (or at the argument).
 */
export function bindArgs(signature: Signature, args: readonly ArgValue[], site: CallSite): BoundArgs {
  const bound = new Map<string, ArgValue>();
  const rest: ArgValue[] = [];
  const positional = signature.params.filter((p) => !p.rest);
  const restParam = signature.params.find((p) => p.rest);
  let next = 0;
  const shown = formatSignature(signature);
  for (const a of args) {
    if (a.name === undefined) {
      if (bound.size > next)
        fail('arity', `a positional argument follows a keyword argument in the call of ${signature.name}`, site.file, a.span);
      if (next < positional.length) bound.set(positional[next++].name, a);
      else if (restParam) rest.push(a);
      else
        fail('arity', `${signature.name} takes ${positional.length} argument${positional.length === 1 ? '' : 's'}, got ${args.filter((x) => !x.name).length}`, site.file, a.span, {
          help: `its signature is ${shown}`,
        });
      continue;
    }
    const param = positional.find((p) => p.name === a.name);
    if (!param) {
      const hint = didYouMean(a.name, positional.map((p) => p.name));
      fail('arity', `${signature.name} has no parameter '${a.name}'`, site.file, a.span, { label: hint, help: `its signature is ${shown}` });
    }
    if (bound.has(a.name)) fail('arity', `argument '${a.name}' of ${signature.name} is given twice`, site.file, a.span);
    bound.set(a.name, a);
  }
  const missing = positional.filter((p) => !p.optional && !bound.has(p.name));
  if (missing.length)
    fail('arity', `${signature.name} needs argument${missing.length > 1 ? 's' : ''} ${missing.map((p) => p.name).join(', ')}`, site.file, site.call, {
      help: `its signature is ${shown}`,
    });
  return new BoundArgs(signature.name, site, bound, rest);
}

/** A nested list of numbers or booleans as a concrete array: integers give i32, booleans bool, else f32 (as jnp.array). */
export function listToHost(v: readonly LangValue[], file: CallSite['file'], span: Span, dtype?: DType): HostTensor {
  const shape: number[] = [];
  const flat: (number | boolean)[] = [];
  const walk = (x: LangValue, depth: number) => {
    if (Array.isArray(x)) {
      if (shape.length === depth) shape.push(x.length);
      else if (shape[depth] !== x.length)
        fail('value', `this list is not rectangular: a list at depth ${depth + 1} has ${x.length} items where another has ${shape[depth]}`, file, span);
      for (const item of x) walk(item, depth + 1);
      return;
    }
    if (typeof x !== 'number' && typeof x !== 'boolean') fail('type', `an array literal holds numbers or booleans, not ${describe(x)}`, file, span);
    if (depth !== shape.length) fail('value', 'this list is not rectangular: numbers and lists are mixed at one depth', file, span);
    flat.push(x);
  };
  walk(v, 0);
  const kind = dtype ?? (flat.length && flat.every((x) => typeof x === 'boolean') ? 'bool' : flat.every((x) => Number.isInteger(x)) ? 'i32' : 'f32');
  return hostTensor(kind, shape, flat.map(Number));
}

/** A call's arguments by parameter name, with conversions that report at the argument. */
export class BoundArgs {
  constructor(
    readonly callee: string,
    readonly site: CallSite,
    private readonly bound: ReadonlyMap<string, ArgValue>,
    readonly rest: readonly ArgValue[],
  ) {}

  has(name: string): boolean {
    return this.bound.has(name);
  }
  value(name: string): LangValue | undefined {
    return this.bound.get(name)?.value;
  }
  spanOf(name: string): Span {
    return this.bound.get(name)?.span ?? this.site.call;
  }
  error(name: string, message: string, code: DiagnosticCode = 'type'): never {
    fail(code, message, this.site.file, this.spanOf(name));
  }

  /** An array operand: a tensor, a number, a boolean, a concrete array or a list literal. */
  operand(name: string): Operand {
    return this.toOperand(this.value(name), this.spanOf(name), `argument ${name} of ${this.callee}`);
  }
  toOperand(v: LangValue | undefined, span: Span, what: string): Operand {
    if (v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean' || isHostTensor(v)) return v;
    if (Array.isArray(v)) return listToHost(v, this.site.file, span);
    fail('type', `${what} must be an array or a number, got ${describe(v)}`, this.site.file, span);
  }
  /** The rest arguments (or a single list argument) as operands. */
  operands(name: string): Operand[] {
    const v = this.value(name);
    const span = this.spanOf(name);
    if (!Array.isArray(v) && !(v instanceof Tuple)) this.error(name, `${name} of ${this.callee} must be a list of arrays, got ${describe(v)}`);
    const items = Array.isArray(v) ? v : (v as Tuple).items;
    return items.map((x, i) => this.toOperand(x, span, `item ${i} of ${name}`));
  }
  number(name: string, fallback?: number): number {
    const v = this.value(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number') this.error(name, `${name} of ${this.callee} must be a number, got ${describe(v)}`);
    return v;
  }
  int(name: string, fallback?: number, min = -Infinity): number {
    const v = this.number(name, fallback);
    if (!Number.isInteger(v)) this.error(name, `${name} of ${this.callee} must be an integer, got ${v}`, 'value');
    if (v < min) this.error(name, `${name} of ${this.callee} must be at least ${min}, got ${v}`, 'value');
    return v;
  }
  bool(name: string, fallback: boolean): boolean {
    const v = this.value(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.error(name, `${name} of ${this.callee} must be true or false, got ${describe(v)}`);
    return v;
  }
  string(name: string, fallback?: string): string {
    const v = this.value(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string') this.error(name, `${name} of ${this.callee} must be a string, got ${describe(v)}`);
    return v;
  }
  ints(name: string, fallback?: number[]): number[] {
    const v = this.value(name);
    if (v === undefined && fallback) return fallback;
    if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d)))
      this.error(name, `${name} of ${this.callee} must be a list of integers like [2, 3], got ${describe(v)}`);
    return v as number[];
  }
  /** An axis or a list of axes; undefined when absent (all axes). */
  axis(name: string): number | number[] | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d))) return v as number[];
    this.error(name, `${name} of ${this.callee} must be an integer axis or a list of them, got ${describe(v)}`);
  }
  dtype(name: string, fallback?: DType): DType {
    const v = this.value(name);
    if (v === undefined && fallback) return fallback;
    if (v instanceof DTypeValue) return v.dtype;
    if (typeof v === 'string' && isDType(v)) return v;
    this.error(name, `${name} of ${this.callee} must be a dtype (f32, i32, u32 or bool), got ${describe(v)}`);
  }
  /** A function of one tensor (a builtin, a fn, a lambda), as the builder's layers take activations. */
  unary(name: string, call: (f: Callable, x: Tensor) => LangValue): ((x: Tensor) => Tensor) | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!(v instanceof Callable)) this.error(name, `${name} of ${this.callee} must be a function like relu, got ${describe(v)}`);
    const site = this.site;
    return (x: Tensor) => {
      const y = call(v, x);
      if (!(y instanceof Tensor)) fail('type', `${name} of ${this.callee} must return a tensor, got ${describe(y)}`, site.file, this.spanOf(name));
      return y;
    };
  }
}
