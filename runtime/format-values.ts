import type { DType } from '../src/ir/dtype.ts';

/**
 * NumPy's print options: an array of more than SUMMARY_THRESHOLD elements is summarised, showing
 * EDGE_ITEMS at each end of every longer axis with `...` between; rows wrap at LINE_WIDTH.
 */
export const SUMMARY_THRESHOLD = 1000;
export const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;

/** The shortest decimal that reads back as the same f32 (NumPy prints float32 this way). */
function formatF32(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0';
  const f = Math.fround(v);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(f.toPrecision(digits));
    if (Math.fround(shortest) === f) return String(shortest);
  }
  return String(Number(f.toPrecision(9)));
}

function formatElement(dtype: DType, v: number): string {
  if (dtype === 'f32') return formatF32(v);
  if (dtype === 'bool') return v ? 'true' : 'false';
  return String(v);
}

/** Indices shown along an axis of length n; null stands for the `...` of a summary. */
function shownIndices(n: number, summarise: boolean): (number | null)[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

/** `[a, b, c]` with items wrapped onto lines that start with `indent` once a line is full. */
function row(items: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const piece = line ? `${line}, ${item}` : item;
    if (line && indent.length + piece.length + 2 > LINE_WIDTH) {
      lines.push(line + ',');
      line = item;
    } else line = piece;
  }
  lines.push(line);
  return `[${lines.join('\n' + indent)}]`;
}

/**
 * The values of a row-major array of this dtype and shape as NumPy prints them: nested brackets,
 * one row per line, elements right-aligned to a common width, `...` in summarised axes. A scalar
 * prints as its element alone.
 */
export function formatValues(dtype: DType, shape: readonly number[], data: ArrayLike<number>): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const summarise = size > SUMMARY_THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const shown = shape.map((n) => shownIndices(n, summarise));

  // Every element that will be shown, formatted once, so that columns share one width.
  const cells = new Map<number, string>();
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      cells.set(offset, formatElement(dtype, data[offset]));
      return;
    }
    for (const i of shown[axis]) if (i !== null) collect(axis + 1, offset + i * strides[axis]);
  };
  collect(0, 0);
  let width = 0;
  for (const s of cells.values()) width = Math.max(width, s.length);
  const cell = (offset: number) => cells.get(offset)!.padStart(width);

  const block = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return cell(offset);
    const inner = indent + ' ';
    if (axis === shape.length - 1)
      return row(shown[axis].map((i) => (i === null ? '...' : cell(offset + i * strides[axis]))), inner);
    // Rows of a matrix end with one newline, matrices of a 3-D array with two (NumPy's layout).
    const separator = ',' + '\n'.repeat(shape.length - axis - 1) + inner;
    const parts = shown[axis].map((i) => (i === null ? '...' : block(axis + 1, offset + i * strides[axis], inner)));
    return `[${parts.join(separator)}]`;
  };
  return block(0, 0, '');
}
