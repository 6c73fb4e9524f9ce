import { formatType, ShapeError, type Dim } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import type { Operand } from './operand.ts';
import { contractionOperands } from './ops-linalg.ts';
import { transpose } from './ops-shape.ts';
import type { Tensor } from './tensor.ts';

/** An operand with one subscript letter per axis. */
interface Labelled {
  readonly t: Tensor;
  readonly letters: readonly string[];
}

interface Subscripts {
  readonly inputs: string[][];
  readonly output: string[];
}

function parseSubscripts(spec: string, operands: readonly Tensor[]): Subscripts {
  const types = operands.map(formatType);
  const fail = (why: string) => new ShapeError('einsum', `'${spec}': ${why}`, types, callSite());
  const text = spec.replace(/\s+/g, '');
  if (text.includes('.')) throw fail('ellipsis (...) is not supported; name every axis');
  const [lhs, rhs, extra] = text.split('->');
  if (extra !== undefined) throw fail("more than one '->'");
  const inputs = lhs.split(',').map((s) => [...s]);
  if (inputs.length !== operands.length) throw fail(`${inputs.length} operand subscripts for ${operands.length} operands`);
  const sizes = new Map<string, Dim>();
  inputs.forEach((letters, i) => {
    if (letters.length !== operands[i].ndim) throw fail(`operand ${i} has rank ${operands[i].ndim} but ${letters.length} subscripts`);
    letters.forEach((c, ax) => {
      if (!/^[a-zA-Z]$/.test(c)) throw fail(`'${c}' is not a subscript letter`);
      if (letters.indexOf(c) !== ax) throw fail(`'${c}' repeats in operand ${i} (diagonals are not supported)`);
      const d = operands[i].shape[ax];
      const known = sizes.get(c);
      if (known !== undefined && known !== d) throw fail(`'${c}' is ${known} in one operand and ${d} in operand ${i}`);
      sizes.set(c, d);
    });
  });
  const all = inputs.flat();
  // Implicit output (no '->'): the letters that occur once, in alphabetical order (NumPy).
  const output = rhs !== undefined ? [...rhs] : [...new Set(all)].filter((c) => all.indexOf(c) === all.lastIndexOf(c)).sort();
  output.forEach((c, i) => {
    if (!sizes.has(c)) throw fail(`output subscript '${c}' does not occur in any operand`);
    if (output.indexOf(c) !== i) throw fail(`output subscript '${c}' repeats`);
  });
  return { inputs, output };
}

/** Sums out the axes whose letters are not in `keep`. */
function sumOut(x: Labelled, keep: ReadonlySet<string>): Labelled {
  const axes = x.letters.flatMap((c, i) => (keep.has(c) ? [] : [i]));
  if (axes.length === 0) return x;
  return { t: emit(x.t.ctx, 'reduce_sum', [x.t], { axes, keepdims: false }), letters: x.letters.filter((c) => keep.has(c)) };
}

/**
 * Contracts two labelled operands, keeping the letters in `needed` (later operands or output).
 * dot_general orders its result batch, lhs free, rhs free; when `order` (the final output) lists
 * rhs free letters before lhs free ones, the operands are swapped to spare a transpose.
 */
function contractPair(a0: Labelled, b0: Labelled, needed: ReadonlySet<string>, order?: readonly string[]): Labelled {
  let a = sumOut(a0, new Set([...needed, ...b0.letters]));
  let b = sumOut(b0, new Set([...needed, ...a.letters]));
  const shared = a.letters.filter((c) => b.letters.includes(c));
  const batch = shared.filter((c) => needed.has(c));
  const contracting = shared.filter((c) => !needed.has(c));
  const free = (x: Labelled) => x.letters.filter((c) => !shared.includes(c));
  const swapped = [...batch, ...free(b), ...free(a)];
  if (order && swapped.join('') === order.join('') && [...batch, ...free(a), ...free(b)].join('') !== order.join('')) [a, b] = [b, a];
  const t = emit(a.t.ctx, 'dot_general', [a.t, b.t], {
    lhs_batch: batch.map((c) => a.letters.indexOf(c)),
    rhs_batch: batch.map((c) => b.letters.indexOf(c)),
    lhs_contracting: contracting.map((c) => a.letters.indexOf(c)),
    rhs_contracting: contracting.map((c) => b.letters.indexOf(c)),
  });
  return { t, letters: [...batch, ...free(a), ...free(b)] };
}

/**
 * Einstein summation, e.g. `einsum('ij,jk->ik', a, b)`, `einsum('ji,ci->cj', w, x)`,
 * `einsum('bij,bjk->bik', a, b)`, `einsum('ij->ji', a)`, `einsum('ij->', a)`. Letters shared by
 * two operands and kept in the output are batch axes; shared letters not kept are contracted;
 * letters of one operand not kept are summed first. More than two operands contract left to
 * right. Lowered to reduce_sum, dot_general and transpose.
 */
export function einsum(spec: string, ...operands: Operand[]): Tensor {
  const { tensors } = contractionOperands('einsum', operands);
  if (tensors.length === 0) throw new ShapeError('einsum', 'needs at least one operand', [], callSite());
  const { inputs, output } = parseSubscripts(spec, tensors);
  let ops: Labelled[] = tensors.map((t, i) => ({ t, letters: inputs[i] }));
  while (ops.length > 1) {
    const [a, b, ...rest] = ops;
    const needed = new Set([...output, ...rest.flatMap((x) => x.letters)]);
    ops = [contractPair(a, b, needed, rest.length === 0 ? output : undefined), ...rest];
  }
  const last = sumOut(ops[0], new Set(output));
  return transpose(last.t, output.map((c) => last.letters.indexOf(c)));
}
