import { astype, customVjp, greaterEqual, isnan, where, type Operand, type Tensor } from '../../builder/index.ts';
import { liftF32 } from '../../builder/operand.ts';
import { InputError } from '../../ir/index.ts';

/**
 * The machinery shared by every surrogate gradient (SEMANTICS.md 4.5, D-NR-10): a surrogate
 * function g, a spiking forward H(x) whose VJP is x̄ = ȳ·g(x), and, where g has a closed-form
 * antiderivative P, a non-spiking forward P(x) with the same VJP. Both forwards are custom_vjp
 * nodes, so the rule lives in the IR: it prints, parses, runs on the reference interpreter and
 * on WebGPU, and survives grad of grad.
 */

/** Numeric options: every one is a finite number, > 0 unless listed as allowed to be 0. */
export type NumericOptions = Record<string, number>;

/** What one member of the family defines; `O` holds its numeric options with their defaults. */
export interface SurrogateDefinition<O extends NumericOptions> {
  /** The factory's name under ax.surrogate (camelCase of neurai's class). */
  readonly name: string;
  readonly defaults: Readonly<O>;
  /** Options that may be 0 (all others must be > 0). */
  readonly zeroAllowed?: readonly (keyof O)[];
  /** g(x), the surrogate derivative of the spike, on an f32 tensor. */
  derivative(x: Tensor, o: Readonly<O>): Tensor;
  /** ∫ g over the real line, in closed form. */
  integral(o: Readonly<O>): number;
}

/** A member with a non-spiking forward: the exact antiderivative P(x) = ∫_{−∞}^{x} g. */
export interface SmoothDefinition<O extends NumericOptions> extends SurrogateDefinition<O> {
  antiderivative(x: Tensor, o: Readonly<O>): Tensor;
}

/**
 * A configured surrogate gradient. Calling it applies its forward: the spike H(x) (H(0) = 1,
 * NaN stays NaN), or the antiderivative P(x) for a smooth surrogate made with `spiking: false`.
 * Either way the VJP is x̄ = ȳ·g(x). The input is the centred membrane potential u − V_th.
 */
export interface Surrogate<O extends NumericOptions = NumericOptions> {
  (x: Operand): Tensor;
  /** The factory's name, e.g. 'sigmoid'. */
  readonly name: string;
  /** The resolved numeric options (defaults filled in). */
  readonly options: Readonly<O>;
  /** Whether calling it spikes (true) or applies the antiderivative (false). */
  readonly spiking: boolean;
  /** ∫ g over the real line (the total "mass" of the surrogate gradient). */
  readonly integral: number;
  /** Forward H(x), backward x̄ = ȳ·g(x), whatever `spiking` says. */
  spike(x: Operand): Tensor;
  /** g(x) itself, as ordinary differentiable ops (for plots, tests, custom rules). */
  derivative(x: Operand): Tensor;
  /** e.g. `sigmoid(alpha=4, spiking=true)`. */
  toString(): string;
}

/** A surrogate whose g has a closed-form antiderivative, so it also has a non-spiking forward. */
export interface SmoothSurrogate<O extends NumericOptions = NumericOptions> extends Surrogate<O> {
  /** Forward P(x) = ∫_{−∞}^{x} g (so P' = g exactly), backward x̄ = ȳ·g(x). */
  primitive(x: Operand): Tensor;
  /** P(x) itself, as ordinary differentiable ops (no custom rule). */
  antiderivative(x: Operand): Tensor;
}

/** Options a smooth surrogate's factory accepts: its numeric options and `spiking`. */
export type SmoothOptions<O extends NumericOptions> = Partial<O> & { spiking?: boolean };

/** H(x) with H(0) = 1; NaN stays NaN (SEMANTICS.md section 0, D-NR-14). */
export function heaviside(x: Operand): Tensor {
  const t = liftF32('surrogate.heaviside', x);
  return where(isnan(t), t, astype(greaterEqual(t, 0), 'f32'));
}

function resolve<O extends NumericOptions>(
  def: SurrogateDefinition<O>,
  given: Record<string, unknown>,
  extraKeys: readonly string[],
  hint: string,
): O {
  const label = `ax.surrogate.${def.name} options`;
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    throw new InputError(label, 'an options object', given === null ? 'null' : typeof given);
  const known = [...Object.keys(def.defaults), ...extraKeys];
  for (const key of Object.keys(given))
    if (!known.includes(key))
      throw new InputError(label, `only the keys ${known.join(', ')}`, `the key '${key}'`, hint);
  const out = { ...def.defaults } as Record<string, number>;
  for (const key of Object.keys(def.defaults)) {
    const v = given[key];
    if (v === undefined) continue;
    const zeroOk = def.zeroAllowed?.includes(key) ?? false;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk))
      throw new InputError(`${label}.${key}`, `a finite number ${zeroOk ? '>= 0' : '> 0'}`, String(v));
    out[key] = v;
  }
  return out as O;
}

const describe = (name: string, o: NumericOptions, spiking: boolean | undefined) =>
  `${name}(${[...Object.entries(o).map(([k, v]) => `${k}=${v}`), ...(spiking === undefined ? [] : [`spiking=${spiking}`])].join(', ')})`;

/** The parts every surrogate has: the spike op and g, with options bound. */
function common<O extends NumericOptions>(def: SurrogateDefinition<O>, o: O) {
  const derivative = (x: Operand): Tensor => def.derivative(liftF32(`surrogate.${def.name}`, x), o);
  const spikeOp = customVjp((x: Tensor) => heaviside(x), ([x], _y, ct) => ct.mul(def.derivative(x, o)));
  const spike = (x: Operand): Tensor => spikeOp(liftF32(`surrogate.${def.name}`, x));
  return { derivative, spike, integral: def.integral(o) };
}

/** The factory of a spiking-only surrogate (its forward is always H). */
export function spikingSurrogate<O extends NumericOptions>(def: SurrogateDefinition<O>) {
  return (options: Partial<O> = {}): Surrogate<O> => {
    const o = resolve(def, options, [], `${def.name} is spiking only: it has no non-spiking (antiderivative) forward`);
    const { derivative, spike, integral } = common(def, o);
    const text = describe(def.name, o, undefined);
    return named(def.name, (x: Operand) => spike(x), {
      options: Object.freeze(o),
      spiking: true,
      integral,
      spike,
      derivative,
      toString: () => text,
    });
  };
}

/** The factory of a surrogate with an antiderivative: `spiking` (default true) picks the forward. */
export function smoothSurrogate<O extends NumericOptions>(def: SmoothDefinition<O>) {
  return (options: SmoothOptions<O> = {}): SmoothSurrogate<O> => {
    const o = resolve(def, options, ['spiking'], '');
    const spiking = options.spiking ?? true;
    if (typeof spiking !== 'boolean')
      throw new InputError(`ax.surrogate.${def.name} options.spiking`, 'a boolean', String(spiking));
    const { derivative, spike, integral } = common(def, o);
    const antiderivative = (x: Operand): Tensor => def.antiderivative(liftF32(`surrogate.${def.name}`, x), o);
    const primitiveOp = customVjp((x: Tensor) => def.antiderivative(x, o), ([x], _y, ct) => ct.mul(def.derivative(x, o)));
    const primitive = (x: Operand): Tensor => primitiveOp(liftF32(`surrogate.${def.name}`, x));
    const text = describe(def.name, o, spiking);
    return named(def.name, (x: Operand) => (spiking ? spike(x) : primitive(x)), {
      options: Object.freeze(o),
      spiking,
      integral,
      spike,
      derivative,
      primitive,
      antiderivative,
      toString: () => text,
    });
  };
}

/** The callable with its members; `name` is a read-only function property, so it is redefined. */
function named<F extends (x: Operand) => Tensor, P extends object>(name: string, fn: F, members: P): F & P & { readonly name: string } {
  Object.defineProperty(fn, 'name', { value: name });
  return Object.assign(fn, members);
}
