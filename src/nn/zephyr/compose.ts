import { add, random, type Operand, type Tensor } from '../../builder/index.ts';

/** `chain(fs)(x) = fs[n−1](… fs[1](fs[0](x)))`; `chain([])` is the identity. */
export const chain =
  <T>(fs: readonly ((x: T) => T)[]) =>
  (x: T): T =>
    fs.reduce((acc, f) => f(acc), x);

/** `skip(f)(x) = x + f(x)`: a residual connection (numbers add as numbers, anything else with ax.add). */
export function skip<T extends Operand>(f: (x: T) => T): (x: T) => T | Tensor {
  return (x) => {
    const y = f(x);
    return typeof x === 'number' && typeof y === 'number' ? ((x + y) as T) : add(x, y);
  };
}

/** Each function with its first argument bound. */
export type Threaded<F extends readonly unknown[]> = {
  [K in keyof F]: F[K] extends (first: any, ...rest: infer R) => infer O ? (...rest: R) => O : never;
};

const bindFirst =
  (f: (first: any, ...rest: any[]) => unknown, first: unknown) =>
  (...rest: unknown[]) =>
    f(first, ...rest);

/**
 * `thread(fs, t, split)`: threads `t` through the functions' first arguments. For i < n − 1,
 * `[t, tᵢ] = split(t, i)` and `fs[i]` is bound to `tᵢ`; the last function gets what is left of `t`.
 */
export function thread<T, F extends readonly ((first: T, ...rest: any[]) => unknown)[]>(
  fs: F,
  t: T,
  split: (t: T, i: number) => readonly [rest: T, mine: T],
): Threaded<F> {
  let carry = t;
  return fs.map((f, i) => {
    if (i === fs.length - 1) return bindFirst(f, carry);
    const [rest, mine] = split(carry, i);
    carry = rest;
    return bindFirst(f, mine);
  }) as unknown as Threaded<F>;
}

/**
 * Keys: `fs[i]` gets the second half of a split of the carried key, the last function the carry
 * (`threadKey([f, g, h], k)`: f ← split(k)[1], g ← split(split(k)[0])[1], h ← split(split(k)[0])[0]).
 */
export const threadKey = <F extends readonly ((key: Tensor, ...rest: any[]) => unknown)[]>(fs: F, key: Operand): Threaded<F> =>
  thread(fs, key as Tensor, (k) => {
    const [rest, mine] = random.split(k);
    return [rest, mine] as const;
  });

/** Every function gets `t` itself. */
export const threadIdentity = <T, F extends readonly ((first: T, ...rest: any[]) => unknown)[]>(fs: F, t: T): Threaded<F> =>
  thread(fs, t, (x) => [x, x] as const);

/**
 * `fs[i]` gets `params[i]` (decision D-ZP-3: upstream's split nests, binding fs[1] to params[0][2]).
 */
export const threadParams = <F extends readonly ((params: any, ...rest: any[]) => unknown)[]>(
  fs: F,
  params: { readonly [key: string]: any },
): Threaded<F> => fs.map((f, i) => bindFirst(f, params[i])) as unknown as Threaded<F>;
