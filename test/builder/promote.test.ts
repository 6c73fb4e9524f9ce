import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import type { DType } from '../../src/ir/index.ts';
import { eval1, expectTensor, ht } from './helpers.ts';

const typeOf = (fn: (t: ax.Tensor) => ax.Tensor, dtype: DType) => ax.trace(fn, ax.spec(dtype, [2])).outputs[0].type.dtype;

describe('type promotion', () => {
  test.each([
    ['i32 * 2 stays i32', (t: ax.Tensor) => t.mul(2), 'i32', 'i32'],
    ['f32 * 2 stays f32', (t: ax.Tensor) => t.mul(2), 'f32', 'f32'],
    ['u32 + 1 stays u32', (t: ax.Tensor) => t.add(1), 'u32', 'u32'],
    ['i32 * 2.5 is f32 (a fractional literal is a float)', (t: ax.Tensor) => t.mul(2.5), 'i32', 'f32'],
    ['bool + 1 is i32', (t: ax.Tensor) => ax.add(t, 1), 'bool', 'i32'],
    ['bool and true stays bool', (t: ax.Tensor) => ax.logicalAnd(t, true), 'bool', 'bool'],
    ['i32 + f32 tensor is f32', (t: ax.Tensor) => t.add(t.astype('f32')), 'i32', 'f32'],
    ['bool + i32 tensor is i32', (t: ax.Tensor) => ax.add(t, t.astype('i32')), 'bool', 'i32'],
    ['i32 / i32 is true division in f32', (t: ax.Tensor) => t.div(t), 'i32', 'f32'],
    ['comparisons give bool', (t: ax.Tensor) => t.gt(0), 'f32', 'bool'],
  ] as const)('%s', (_, fn, input, expected) => {
    expect(typeOf(fn, input)).toBe(expected);
  });

  test('weakly typed literals keep integer arithmetic exact', () => {
    expectTensor(eval1((t) => t.mul(3).add(1), ht([2], [7, -4], 'i32')), 'i32', [2], [22, -11]);
    expectTensor(eval1((t) => t.mul(2.5), ht([2], [2, 3], 'i32')), 'f32', [2], [5, 7.5]);
  });

  test('mixing i32 and u32 is an error asking for an explicit cast', () => {
    const f = (a: ax.Tensor, b: ax.Tensor) => a.add(b);
    expect(() => ax.trace(f, ax.spec('i32', [2]), ax.spec('u32', [2]))).toThrow(/add: cannot mix i32 and u32 implicitly; cast one operand with astype/);
    expect(() => ax.trace(f, ax.spec('i32', [2]), ax.spec('u32', [2]))).toThrow(ax.ShapeError);
    const g = ax.trace((a: ax.Tensor, b: ax.Tensor) => a.add(b.astype('i32')), ax.spec('i32', [2]), ax.spec('u32', [2]));
    expect(g.outputs[0].type.dtype).toBe('i32');
  });

  test('a literal that does not fit the integer dtype is an error', () => {
    expect(() => ax.trace((t: ax.Tensor) => t.add(-1), ax.spec('u32', [2]))).toThrow(/the literal -1 does not fit in u32/);
    expect(() => ax.trace((t: ax.Tensor) => t.add(2 ** 31), ax.spec('i32', [2]))).toThrow(/does not fit in i32/);
  });

  test('matmul and einsum promote like elementwise ops', () => {
    const g = ax.trace((a: ax.Tensor, b: ax.Tensor) => [ax.matmul(a, b), ax.einsum('ij,jk->ik', a, b)], ax.spec('i32', [2, 2]), ax.spec('f32', [2, 2]));
    expect(g.outputs.map((v) => v.type.dtype)).toEqual(['f32', 'f32']);
  });
});
