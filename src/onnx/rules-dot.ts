import type { Rule } from './rule.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Whether dot_general is NumPy's matmul: leading batch axes on both sides in order, lhs
 * contracting its last axis and rhs the axis after the batch axes, and either no batch axes
 * (ranks 1 or 2, as np.matmul's vector cases) or matrices on both sides.
 */
function isMatMul(lr: number, rr: number, a: { lhs_batch: readonly number[]; rhs_batch: readonly number[]; lhs_contracting: readonly number[]; rhs_contracting: readonly number[] }): boolean {
  const nb = a.lhs_batch.length;
  if (!same(a.lhs_batch, range(0, nb)) || !same(a.rhs_batch, range(0, nb))) return false;
  if (!same(a.lhs_contracting, [lr - 1]) || !same(a.rhs_contracting, [nb])) return false;
  if (nb === 0) return lr >= 1 && lr <= 2 && rr >= 1 && rr <= 2;
  return lr === nb + 2 && rr === nb + 2;
}

/**
 * The Einsum equation of a dot_general: batch axes and contracting pairs share letters, and the
 * result is batch ++ lhs free ++ rhs free, as the IR orders it.
 */
export function einsumEquation(lr: number, rr: number, a: { lhs_batch: readonly number[]; rhs_batch: readonly number[]; lhs_contracting: readonly number[]; rhs_contracting: readonly number[] }): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let next = 0;
  const lhs = new Array<string>(lr);
  const rhs = new Array<string>(rr);
  const batch: string[] = [];
  a.lhs_batch.forEach((ax, i) => {
    const l = letters[next++];
    lhs[ax] = l;
    rhs[a.rhs_batch[i]] = l;
    batch.push(l);
  });
  a.lhs_contracting.forEach((ax, i) => {
    const l = letters[next++];
    lhs[ax] = l;
    rhs[a.rhs_contracting[i]] = l;
  });
  const free = (side: string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < side.length; i++)
      if (side[i] === undefined) {
        side[i] = letters[next++];
        out.push(side[i]);
      }
    return out;
  };
  const lFree = free(lhs);
  const rFree = free(rhs);
  return `${lhs.join('')},${rhs.join('')}->${[...batch, ...lFree, ...rFree].join('')}`;
}

export const dot_general: Rule<'dot_general'> = ({ s }, node, [lhs, rhs]) => {
  const lr = node.inputs[0].type.shape.length;
  const rr = node.inputs[1].type.shape.length;
  if (isMatMul(lr, rr, node.attrs)) return [s.op('MatMul', [lhs, rhs])];
  return [s.op('Einsum', [lhs, rhs], { equation: { string: einsumEquation(lr, rr, node.attrs) } })];
};
