import { describe, expect, test } from 'vitest';
import * as autodiff from '../../src/builder/autodiff.ts';
import * as customVjp from '../../src/builder/custom-vjp.ts';
import * as einsum from '../../src/builder/einsum.ts';
import * as jacobian from '../../src/builder/jacobian.ts';
import * as loops from '../../src/builder/loop.ts';
import * as scans from '../../src/builder/scan.ts';
import * as whiles from '../../src/builder/while-loop.ts';
import * as nn from '../../src/builder/nn.ts';
import * as binary from '../../src/builder/ops-binary.ts';
import * as create from '../../src/builder/ops-create.ts';
import * as linalg from '../../src/builder/ops-linalg.ts';
import * as reduce from '../../src/builder/ops-reduce.ts';
import * as shape from '../../src/builder/ops-shape.ts';
import * as unary from '../../src/builder/ops-unary.ts';
import * as random from '../../src/builder/random.ts';
import * as vmap from '../../src/builder/vmap.ts';
import * as ax from '../../src/index.ts';

/**
 * The eager wrappers keep the exported ax functions' TypeScript types exactly (checked by tsc:
 * this file does not compile otherwise) and wrap every op a module exports.
 */

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** true when every name K of M has, in `api`, exactly the type it has in M (false, not boolean, when one differs). */
type SameTypes<M, Api, K extends keyof M> = [{ [N in K]: N extends keyof Api ? Equal<M[N], Api[N]> : false }[K]] extends [true] ? true : false;

const INTERNAL = ['toBool', 'checkShape', 'contractionOperands'] as const;
type Internal = (typeof INTERNAL)[number];
type Ops<M> = Exclude<keyof M, Internal>;
type Api = typeof ax;

const typesKept: true[] = [
  true satisfies SameTypes<typeof unary, Api, Ops<typeof unary>>,
  true satisfies SameTypes<typeof binary, Api, Ops<typeof binary>>,
  true satisfies SameTypes<typeof reduce, Api, Ops<typeof reduce>>,
  true satisfies SameTypes<typeof shape, Api, Ops<typeof shape>>,
  true satisfies SameTypes<typeof create, Api, Ops<typeof create>>,
  true satisfies SameTypes<typeof linalg, Api, Ops<typeof linalg>>,
  true satisfies SameTypes<typeof loops, Api, keyof typeof loops>,
  true satisfies SameTypes<typeof scans, Api, keyof typeof scans>,
  true satisfies SameTypes<typeof whiles, Api, 'whileLoop'>,
  true satisfies SameTypes<typeof autodiff, Api, keyof typeof autodiff>,
  true satisfies SameTypes<typeof jacobian, Api, keyof typeof jacobian>,
  true satisfies SameTypes<typeof customVjp, Api, keyof typeof customVjp>,
  true satisfies SameTypes<typeof vmap, Api, keyof typeof vmap>,
  true satisfies SameTypes<typeof einsum, Api, keyof typeof einsum>,
  true satisfies SameTypes<typeof nn, typeof ax.nn, keyof typeof nn>,
  true satisfies SameTypes<typeof random, typeof ax.random, keyof typeof random>,
  true satisfies Equal<typeof ax.var, typeof reduce.variance>,
];

describe('eager exports', () => {
  test('keep the types of the functions they wrap (a tsc check)', () => {
    expect(typesKept.every(Boolean)).toBe(true);
  });

  test('every op of the op modules is exported as its eager form, with its name and arity', () => {
    const modules: [Record<string, unknown>, Record<string, unknown>][] = [
      [unary, ax], [binary, ax], [reduce, ax], [shape, ax], [create, ax], [linalg, ax], [loops, ax], [scans, ax], [{ whileLoop: whiles.whileLoop }, ax], [einsum, ax],
      [nn, ax.nn], [{ ...random, key: undefined }, ax.random],
    ];
    for (const [module, api] of modules)
      for (const [name, fn] of Object.entries(module)) {
        if (typeof fn !== 'function' || (INTERNAL as readonly string[]).includes(name)) continue;
        const exported = api[name] as (...a: unknown[]) => unknown;
        expect(typeof exported, name).toBe('function');
        expect(exported, `${name} is wrapped`).not.toBe(fn);
        expect(exported.name, name).toBe(fn.name);
        expect(exported.length, name).toBe(fn.length);
      }
    // A key is made on the host, as before; vjp stays trace-only (its result holds a function of its trace).
    expect(ax.random.key).toBe(random.key);
    expect(ax.vjp).toBe(autodiff.vjp);
  });

  test('jit of an exported op still names its parameters in errors', async () => {
    const f = ax.jit(ax.sin, { backend: { kind: 'cpu', reason: 'test' }, specs: [ax.spec('f32', [2])] });
    await expect(f(ax.array([1, 2, 3]))).rejects.toThrow(/^argument x: expected f32\[2\], got f32\[3\]/);
  });
});
