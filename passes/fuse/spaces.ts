import { delinearize, linearize, u32, visitExpr, type KExpr, type Shape } from '../../src/ir/index.ts';
import { identityCoords } from '../kernel-exprs.ts';

/** A value's coordinates in its own shape, as coordinates of a same-size space. */
export function toSpace(coords: readonly KExpr[], shape: Shape, space: Shape): KExpr[] {
  if (shape.length === space.length && shape.every((d, i) => d === space[i])) return [...coords];
  const squeezed = shape.map((d, i) => [d, i] as const).filter(([d]) => d !== 1);
  const spaceDims = space.filter((d) => d !== 1);
  if (squeezed.length === spaceDims.length && squeezed.every(([d], i) => d === spaceDims[i])) {
    let next = 0;
    return space.map((d) => (d === 1 ? u32(0) : coords[squeezed[next++][1]]));
  }
  return delinearize(linearize(coords, shape), space);
}

/** How many different buffers the expressions load. */
export function distinctLoads(exprs: readonly KExpr[]): number {
  const buffers = new Set<number>();
  for (const e of exprs) visitExpr(e, (x) => x.k === 'load' && buffers.add(x.input));
  return buffers.size;
}

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Same element count, up to size-1 axes (a reduction with keepdims lays out like its space). */
export function sameElements(a: Shape, b: Shape): boolean {
  const squeeze = (s: Shape) => s.filter((d) => d !== 1);
  return sameShape(squeeze(a), squeeze(b));
}

/** The identity coordinates of `space`, as coordinates of a same-size `shape`. */
export function toSpaceInverse(space: Shape, shape: Shape): KExpr[] {
  return toSpace(identityCoords(space.length), space, shape);
}

