import { describe, expect, expectTypeOf, test } from 'vitest';
import * as ax from '../../src/index.ts';

/**
 * grad's static types: the gradient has the type of the argument it differentiates (a Tensor per
 * leaf, the same tree around them), as JAX's grad returns a pytree like the primal. Checked by
 * tsc (the type assertions) and once at run time (the structure really is that tree).
 */
type T = ax.Tensor;
interface Mlp {
  w: T;
  b: T;
  layers: [T, T];
}
const loss = (p: Mlp, x: T) => ax.sum(ax.matmul(x, p.w).add(p.b)).add(ax.sum(p.layers[0].mul(p.layers[1])));

describe('grad keeps the argument types', () => {
  test('a Tensor argument gives a Tensor; numbers may be passed where Tensors are declared', () => {
    const check = (x: T) => {
      expectTypeOf(ax.grad(ax.tanh)(x)).toEqualTypeOf<T>();
      expectTypeOf(ax.grad(ax.grad(ax.tanh))(0.5)).toEqualTypeOf<T>();
      expectTypeOf(ax.grad((v: T) => ax.sum(v))(2)).toEqualTypeOf<T>();
    };
    expect(ax.trace(check as never, ax.spec('f32', [])).outputs.length).toBe(0);
  });

  test('a tree argument gives the same tree; argnums pick arguments, a list gives a tuple', () => {
    const seen: string[] = [];
    const check = (p: Mlp, x: T) => {
      const g = ax.grad(loss)(p, x);
      expectTypeOf(g).toEqualTypeOf<{ w: T; b: T; layers: [T, T] }>();
      expectTypeOf(ax.grad(loss, { argnums: 1 })(p, x)).toEqualTypeOf<T>();
      const both = ax.grad(loss, { argnums: [1, 0] })(p, x);
      expectTypeOf(both).toEqualTypeOf<[T, { w: T; b: T; layers: [T, T] }]>();
      const [value, grads] = ax.valueAndGrad(loss)(p, x);
      expectTypeOf(value).toEqualTypeOf<T>();
      expectTypeOf(grads).toEqualTypeOf<{ w: T; b: T; layers: [T, T] }>();
      const [gAux, aux] = ax.grad((q: Mlp, y: T) => [loss(q, y), { norm: ax.sum(q.w) }] as const, { hasAux: true })(p, x);
      expectTypeOf(gAux).toEqualTypeOf<{ w: T; b: T; layers: [T, T] }>();
      expectTypeOf(aux).toEqualTypeOf<{ readonly norm: T }>();
      seen.push(Object.keys(g).join(','), String(g.layers.length), both[0].shape.join(','), both[1].w.shape.join(','));
      return g.w;
    };
    const spec = (...s: number[]) => ax.spec('f32', s);
    ax.trace(check as never, { w: spec(3, 2), b: spec(2), layers: [spec(4), spec(4)] } as never, spec(5, 3));
    expect(seen).toEqual(['w,b,layers', '2', '5,3', '3,2']);
  });
});
