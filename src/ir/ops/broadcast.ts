import { ShapeError } from '../errors.ts';
import { hostSize, type HostTensor } from '../host-tensor.ts';
import { formatType, type Dim, type TensorType } from '../shape.ts';

/**
 * NumPy broadcasting of operand shapes (right-aligned; a dim of 1 stretches). Symbolic dims
 * broadcast only against themselves or 1: distinct names are distinct sizes.
 */
export function broadcastShapes(op: string, types: readonly TensorType[]): Dim[] {
  const rank = Math.max(...types.map((t) => t.shape.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const t of types) {
      const j = i - (rank - t.shape.length);
      if (j < 0) continue;
      const d = t.shape[j];
      if (d === 1 || d === dim) continue;
      if (dim === 1) dim = d;
      else
        throw new ShapeError(op, `cannot broadcast ${dim} against ${d} (axis ${i - rank})`, types.map(formatType));
    }
    out.push(dim);
  }
  return out;
}

/** For each operand, the flat index of the element that output element `i` reads. */
export function broadcastIndexers(outShape: readonly number[], inShapes: readonly (readonly number[])[]): ((i: number) => number)[] {
  const rank = outShape.length;
  return inShapes.map((s) => {
    if (hostSize(s) === hostSize(outShape) && s.length <= rank && s.every((d, j) => d === outShape[j + rank - s.length]))
      return (i: number) => i;
    if (hostSize(s) === 1) return () => 0;
    const strides = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let j = s.length - 1; j >= 0; j--) {
      if (s[j] !== 1) strides[j + rank - s.length] = acc;
      acc *= s[j];
    }
    return (i: number) => {
      let flat = 0;
      for (let ax = rank - 1; ax >= 0; ax--) {
        const c = i % outShape[ax];
        i = (i - c) / outShape[ax];
        flat += c * strides[ax];
      }
      return flat;
    };
  });
}

export function broadcastedShape(inputs: readonly HostTensor[]): number[] {
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  const out = new Array<number>(rank).fill(1);
  for (const t of inputs)
    t.shape.forEach((d, j) => {
      const ax = j + rank - t.shape.length;
      if (d !== 1) out[ax] = d;
    });
  return out;
}

