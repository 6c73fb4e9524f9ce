import { opDef, type Node } from '../../src/ir/index.ts';

/**
 * What an inlined expression costs per element, in rough operation counts: transcendental
 * functions (and the exact fmod, pow and the 20-round RNG) are several times an add; index maps
 * are nearly free.
 */
const EXPENSIVE: Readonly<Record<string, number>> = {
  exp: 8, log: 8, sin: 10, cos: 10, tanh: 10, logistic: 8, log1p: 10, expm1: 10, erf: 10, pow: 16, rem: 12,
  sqrt: 4, rsqrt: 4, random_bits: 40,
};

export function expressionCost(node: Node): number {
  const known = EXPENSIVE[node.op];
  if (known !== undefined) return known;
  return opDef(node.op).kernel.kind === 'expr' ? 0 : 1;
}

/**
 * When an inlined value gets a kernel of its own instead. Recomputing is usually cheaper than
 * writing and reading back (softmax's exp feeds both its sum and its quotient, and stays within
 * 3 kernels by recomputing), except for expensive expressions read by several kernels, and for
 * contraction operands, which a matmul reads once per output row or column.
 */
export const INLINE_LIMITS = {
  /** Any expression past this size (which also bounds the kernels' text). */
  maxCost: 64,
  /** An expression read by two or more kernels. */
  sharedCost: 24,
  /** An expression a contraction reads. */
  contractionOperandCost: 3,
} as const;
