import { describe, expect, test } from 'vitest';
import { formatValues } from '../../runtime/format-values.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('formatValues prints like NumPy', () => {
  test('scalars, vectors and the shortest f32 decimals', () => {
    expect(formatValues('f32', [], [2.5])).toBe('2.5');
    expect(formatValues('f32', [2], [2, 3])).toBe('[2, 3]');
    // Shortest decimal that reads back as the same float32 (0.1f is 0.100000001490116...).
    expect(formatValues('f32', [3], [Math.fround(0.1), Math.fround(1 / 3), Math.fround(1e30)])).toBe('[       0.1, 0.33333334,      1e+30]');
    expect(formatValues('f32', [4], [NaN, Infinity, -Infinity, -0])).toBe('[      NaN,  Infinity, -Infinity,        -0]');
    expect(formatValues('i32', [3], [-7, 0, 2147483647])).toBe('[        -7,          0, 2147483647]');
    expect(formatValues('bool', [2], [1, 0])).toBe('[ true, false]');
    expect(formatValues('f32', [0], [])).toBe('[]');
  });

  test('matrices one row per line, 3-D blocks separated by a blank line, columns aligned', () => {
    expect(formatValues('i32', [2, 3], [1, 2, 3, 40, 50, 60])).toBe('[[ 1,  2,  3],\n [40, 50, 60]]');
    expect(formatValues('i32', [2, 2, 2], range(8))).toBe('[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]');
  });

  test('long rows wrap at 75 columns, continuation lines indented under the first element', () => {
    const text = formatValues('i32', [40], range(40).map((i) => i * 100));
    const lines = text.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(75);
    expect(lines[1].startsWith(' ')).toBe(true);
    expect(text.replace(/\s+/g, ' ')).toBe(`[${range(40).map((i) => String(i * 100).padStart(4)).join(', ')}]`.replace(/\s+/g, ' '));
  });

  test('past 1000 elements every long axis shows 3 items at each end around ...', () => {
    expect(formatValues('i32', [2000], range(2000))).toBe('[   0,    1,    2, ..., 1997, 1998, 1999]');
    const m = formatValues('i32', [100, 100], range(10000));
    expect(m.split('\n')).toEqual([
      '[[   0,    1,    2, ...,   97,   98,   99],',
      ' [ 100,  101,  102, ...,  197,  198,  199],',
      ' [ 200,  201,  202, ...,  297,  298,  299],',
      ' ...,',
      ' [9700, 9701, 9702, ..., 9797, 9798, 9799],',
      ' [9800, 9801, 9802, ..., 9897, 9898, 9899],',
      ' [9900, 9901, 9902, ..., 9997, 9998, 9999]]',
    ]);
    // A short axis of a large array is shown whole.
    expect(formatValues('i32', [2, 1000], range(2000)).split('\n')).toEqual([
      '[[   0,    1,    2, ...,  997,  998,  999],',
      ' [1000, 1001, 1002, ..., 1997, 1998, 1999]]',
    ]);
  });
});
