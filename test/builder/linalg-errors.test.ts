import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';

/**
 * Bad shapes are ShapeErrors that name the linalg function, say what was expected and list every
 * operand's type, at the user's call site; symbolic batch axes are fine.
 */
type Tensor = ax.Tensor;
const f32 = (...shape: (number | string)[]) => ax.spec('f32', shape);

/** The ShapeError that tracing `fn` at `specs` throws. */
function shapeErrorOf(fn: (...xs: Tensor[]) => unknown, ...specs: ax.Spec[]): ax.ShapeError {
  try {
    ax.trace(fn as (...xs: Tensor[]) => Tensor, ...specs);
  } catch (e) {
    expect(e).toBeInstanceOf(ax.ShapeError);
    return e as ax.ShapeError;
  }
  throw new Error('expected a ShapeError');
}

describe('linalg shape errors', () => {
  test.each([
    ['cholesky', (a: Tensor) => ax.linalg.cholesky(a)],
    ['inv', (a: Tensor) => ax.linalg.inv(a)],
    ['det', (a: Tensor) => ax.linalg.det(a)],
    ['slogdet', (a: Tensor) => ax.linalg.slogdet(a).sign],
    ['lu', (a: Tensor) => ax.linalg.lu(a).lu],
  ] as const)('%s of a non-square matrix or of a vector', (name, fn) => {
    const wide = shapeErrorOf(fn, f32(2, 3, 4));
    expect(wide.op).toBe(`linalg.${name}`);
    expect(wide.operands).toEqual(['f32[2,3,4]']);
    expect(wide.message).toContain('square in its last two axes, got 3 x 4');
    expect(wide.message).toContain('linalg-errors.test.ts');
    expect(shapeErrorOf(fn, f32(5)).message).toContain('got rank 1');
  });

  test('solve: b that does not match a names both shapes', () => {
    const vector = shapeErrorOf((a, b) => ax.linalg.solve(a, b), f32(3, 3), f32(4));
    expect(vector.op).toBe('linalg.solve');
    expect(vector.operands).toEqual(['f32[3,3]', 'f32[4]']);
    expect(vector.message).toContain('b must have 3 entries');
    const matrix = shapeErrorOf((a, b) => ax.linalg.solve(a, b), f32(2, 3, 3), f32(2, 4, 1));
    expect(matrix.operands).toEqual(['f32[2,3,3]', 'f32[2,4,1]']);
    expect(matrix.message).toContain('[..., 3, k]');
    const batch = shapeErrorOf((a, b) => ax.linalg.solve(a, b), f32(2, 3, 3), f32(5, 3, 1));
    expect(batch.message).toContain('batch axes do not broadcast');
    expect(batch.operands).toEqual(['f32[2,3,3]', 'f32[5,3,1]']);
  });

  test('triangularSolve: b with the wrong side, rank or batch names both shapes', () => {
    const left = shapeErrorOf((a, b) => ax.linalg.triangularSolve(a, b, { leftSide: true }), f32(3, 3), f32(2, 3));
    expect(left.op).toBe('linalg.triangularSolve');
    expect(left.operands).toEqual(['f32[3,3]', 'f32[2,3]']);
    expect(left.message).toContain('needs b with 3 rows');
    const right = shapeErrorOf((a, b) => ax.linalg.triangularSolve(a, b), f32(3, 3), f32(3, 2));
    expect(right.message).toContain('needs b with 3 columns');
    expect(shapeErrorOf((a, b) => ax.linalg.triangularSolve(a, b), f32(3, 3), f32(3)).message).toContain('got rank 1');
    expect(shapeErrorOf((a, b) => ax.linalg.triangularSolve(a, b), f32(2, 3, 3), f32(4, 2, 3)).message).toContain('batch axes do not broadcast');
  });

  test('a symbolic matrix size is an error (the loops need a trip count); symbolic batch axes are fine', () => {
    expect(shapeErrorOf((a) => ax.linalg.inv(a), f32('N', 'N')).message).toContain('known matrix size');
    const g = ax.trace(
      (a: Tensor, b: Tensor) => [ax.linalg.solve(a, b), ax.linalg.det(a), ax.linalg.cholesky(a)],
      f32('B', 4, 4),
      f32('B', 4, 2),
    );
    expect(g.outputs.map((v) => v.type.shape)).toEqual([['B', 4, 2], ['B'], ['B', 4, 4]]);
  });
});
