import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';

describe('pytrees', () => {
  const params = {
    layers: [
      { w: 1, b: 2 },
      { w: 3, b: 4 },
    ],
    scale: 5,
    frozen: null,
  };

  test('flatten lists leaves depth first with keys in insertion order; unflatten round-trips', () => {
    const { leaves, def } = ax.flatten(params);
    expect(leaves).toEqual([1, 2, 3, 4, 5]);
    expect(ax.numLeaves(def)).toBe(5);
    expect(ax.unflatten(def, leaves)).toEqual(params);
    expect(ax.leafPaths(def, 'params')).toEqual([
      'params.layers[0].w',
      'params.layers[0].b',
      'params.layers[1].w',
      'params.layers[1].b',
      'params.scale',
    ]);
  });

  test('key order is part of the structure', () => {
    expect(ax.sameStructure(ax.flatten({ a: 1, b: 2 }).def, ax.flatten({ b: 1, a: 2 }).def)).toBe(false);
    expect(ax.sameStructure(ax.flatten([1, { a: 2 }]).def, ax.flatten([7, { a: 8 }]).def)).toBe(true);
  });

  test('arrays, HostTensors and specs are leaves, not containers', () => {
    const arr = ax.array([1, 2]);
    const host = ax.hostTensor('f32', [2], [1, 2]);
    const s = ax.spec('f32', [2]);
    const { leaves } = ax.flatten({ arr, nested: [host, s, true] });
    expect(leaves).toEqual([arr, host, s, true]);
  });

  test('treeMap over one and several trees', () => {
    expect(ax.treeMap((v: number) => v * 10, params)).toEqual({
      layers: [
        { w: 10, b: 20 },
        { w: 30, b: 40 },
      ],
      scale: 50,
      frozen: null,
    });
    expect(ax.treeMap((a: number, b: number) => a - b, [1, [2, 3]], [1, [1, 1]])).toEqual([0, [1, 2]]);
    expect(() => ax.treeMap((a: number, b: number) => a + b, [1, 2], [1, [2]])).toThrow(ax.TreeError);
    expect(ax.treeLeaves([[1], { x: [2, 3] }])).toEqual([1, 2, 3]);
  });

  test('values that are neither containers nor leaves are named by path', () => {
    expect(() => ax.flatten({ a: [1, new Map()] } as never)).toThrow(/\.a\[1\] is a Map object/);
    expect(() => ax.flatten({ s: 'text' } as never)).toThrow(/\.s is string text/);
    expect(() => ax.unflatten(ax.flatten([1, 2]).def, [1])).toThrow(/2 leaves, got 1/);
  });
});
