import { AxonicError } from '../../ir/index.ts';

/**
 * zephyr's placeholders (SEMANTICS 2.2) with TypeScript's types kept.
 *
 * `flexible(fn)` makes `fn` hole-aware: called with the placeholder `_` in place of some
 * arguments it does not run but returns a partial whose parameters are the holes, in order and
 * with their types (`linear(_, _, 256)` is `(params, x) => Tensor`). Partials are hole-aware too,
 * so they chain: `g(_, b, _, _)(a, _, d)(c) === g(a, b, c, d)`.
 *
 * Keyword arguments are an options object: `fn`'s last parameter, declared with a default value
 * (`opts: LinearOptions = {}`) — JS counts the parameters before the first default, and that count
 * (`fn.length`) is where the options object goes. A property of the options object may be `_` (a
 * keyword hole); a later call fills it by passing an options object after the positional
 * arguments, which merges over the earlier one (later calls win):
 * `g(a, b, { offset: _ })({ offset: 1 })`. While any positional or keyword hole is left, calls
 * return partials. Holes nested deeper (inside arrays or inner objects) are not holes.
 */
export class Hole {
  // A private member makes the type nominal: no other object type is a Hole.
  private declare readonly nominal: never;
  toString(): string {
    return '_';
  }
}

/** The placeholder. */
export const _ = new Hole();

export const isHole = (x: unknown): x is Hole => x instanceof Hole;

/** A partial application was called with arguments it cannot place. */
export class PartialError extends AxonicError {
  override name = 'PartialError';
}

type Fn = (...args: any[]) => any;

/** The required (positional) prefix of a parameter list, labels kept. */
export type PositionalOf<P extends readonly unknown[]> = P extends readonly [unknown, ...infer Rest]
  ? P extends readonly [...infer First, ...Rest]
    ? [...First, ...PositionalOf<Rest>]
    : never
  : [];

/** The options (keyword) type: the first optional parameter after the positional ones, if any. */
export type OptionsOf<P extends readonly unknown[]> = P['length'] extends PositionalOf<P>['length']
  ? {}
  : NonNullable<P[PositionalOf<P>['length']]>;

type WithHoles<P extends readonly unknown[]> = { [K in keyof P]: P[K] | Hole };
type OptionsWithHoles<O> = { [K in keyof O]?: O[K] | Hole };

/** Whether an argument type is the placeholder (`any`, say from an untyped params key, is not). */
type IsHole<T> = 0 extends 1 & T ? false : [T] extends [Hole] ? true : false;

/** The parameters still open after a call with `A`: those where `A` holds `_`, labels kept. */
export type Remaining<P extends readonly unknown[], A extends readonly unknown[]> = P extends readonly [unknown, ...infer PR]
  ? P extends readonly [...infer First, ...PR]
    ? A extends readonly [infer A0, ...infer AR]
      ? IsHole<A0> extends true
        ? [...First, ...Remaining<PR, AR>]
        : Remaining<PR, AR>
      : []
    : never
  : [];

type HoleKeys<K> = { [k in keyof K]-?: IsHole<K[k]> extends true ? k : never }[keyof K];
type FilledKeys<K> = { [k in keyof K]-?: IsHole<K[k]> extends true ? never : k }[keyof K];

type Outcome<P extends readonly unknown[], O, R, A extends readonly unknown[], K, H extends PropertyKey> = [
  Remaining<P, A>,
  Exclude<H | HoleKeys<K>, FilledKeys<K>>,
] extends [[], never]
  ? R
  : Flexible<Remaining<P, A>, O, R, Exclude<H | HoleKeys<K>, FilledKeys<K>>>;

/**
 * A hole-aware function with positional parameters `P`, options `O` and result `R`; `H` names the
 * keyword holes still open (a call that leaves one open returns a partial).
 */
export interface Flexible<P extends readonly unknown[], O, R, H extends PropertyKey = never> {
  <const A extends WithHoles<P>>(...args: A): Outcome<P, O, R, A, {}, H>;
  <const A extends WithHoles<P>, const K extends OptionsWithHoles<O>>(...args: [...A, K]): Outcome<P, O, R, A, K, H>;
}

/** `fn` made hole-aware (see the module comment). */
export type FlexibleOf<F extends Fn> = Flexible<PositionalOf<Parameters<F>>, OptionsOf<Parameters<F>>, ReturnType<F>>;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

const hasKeywordHole = (options: unknown): boolean => isPlainObject(options) && Object.values(options).some(isHole);

function call(fn: Fn, positional: number, args: readonly unknown[]): unknown {
  if (args.length > positional + 1)
    throw new PartialError(
      `${fn.name || 'a flexible function'} takes ${positional} positional argument(s) and an options object, got ${args.length} arguments`,
    );
  const holes = args.filter(isHole).length;
  if (holes === 0 && !hasKeywordHole(args[positional])) return fn(...args);
  return partial(fn, positional, args, holes);
}

/** The partial of `fn` called with `given`, which holds `holes` holes. */
function partial(fn: Fn, positional: number, given: readonly unknown[], holes: number): Fn {
  return (...more: unknown[]) => {
    if (more.length < holes || more.length > holes + 1)
      throw new PartialError(
        `this partial of ${fn.name || 'a flexible function'} fills ${holes} hole(s)` +
          ` (and optionally takes an options object), got ${more.length} arguments`,
      );
    let next = 0;
    const args = given.map((arg) => (isHole(arg) ? more[next++] : arg));
    if (more.length > holes) {
      const extra = more[holes];
      if (!isPlainObject(extra))
        throw new PartialError(`the argument after the ${holes} hole filler(s) must be an options object, got ${String(extra)}`);
      const earlier = args[positional];
      while (args.length < positional) args.push(undefined);
      args[positional] = { ...(isPlainObject(earlier) ? earlier : {}), ...extra };
    }
    return call(fn, positional, args);
  };
}

/**
 * `flexible(fn)`: `fn` accepting `_` holes (see the module comment). The options object, if any,
 * must be `fn`'s last parameter, declared with a default value.
 *
 *     const linear = flexible((params: Params, x: Tensor, outDim: number, opts: LinearOptions = {}) => …);
 *     const layer = linear(_, _, 256);          // (params: Params, x: Tensor) => Tensor
 */
export function flexible<F extends Fn>(fn: F): FlexibleOf<F> {
  const positional = fn.length;
  const aware = (...args: unknown[]) => call(fn, positional, args);
  Object.defineProperty(aware, 'name', { value: fn.name });
  return aware as unknown as FlexibleOf<F>;
}
