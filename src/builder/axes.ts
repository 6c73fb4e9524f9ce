import { formatType, ShapeError, type TensorType } from '../ir/index.ts';
import { callSite } from './location.ts';

/** Normalises a possibly negative axis of a rank-`rank` operand; ShapeError when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number, x: TensorType): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank)
    throw new ShapeError(op, `axis ${axis} is out of range for rank ${rank}`, [formatType(x)], callSite());
  return a;
}

/**
 * The axes a reduction runs over, sorted and unique: all axes when `axis` is undefined or null,
 * else the given axis or axes (negative ones counted from the end). Repeats are an error.
 */
export function normalizeAxes(op: string, x: TensorType, axis?: number | readonly number[] | null): number[] {
  const rank = x.shape.length;
  if (axis === undefined || axis === null) return [...Array(rank).keys()];
  const list = typeof axis === 'number' ? [axis] : axis;
  const axes = list.map((a) => normalizeAxis(op, a, rank, x)).sort((a, b) => a - b);
  if (axes.some((a, i) => i > 0 && axes[i - 1] === a))
    throw new ShapeError(op, `axis [${list}] names an axis twice`, [formatType(x)], callSite());
  return axes;
}

export type Axis = number | readonly number[] | null | undefined;
