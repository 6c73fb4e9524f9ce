import { Emitter, GraphBuilder, type Graph, type TensorType, type Value } from '../../src/ir/index.ts';
import { FD, type OpCase } from './op-case.ts';

function region(types: readonly TensorType[], body: (e: Emitter, xs: Value[]) => Value[]): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(body(new Emitter(b), xs), 'body');
}

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });
const LENGTH = 4;

/**
 * Carry (s, acc, counter), scanned x_t, constant w:
 *   s ← tanh(s·w + x_t·(counter + 1)/2),  acc ← acc + Σ s²,  counter ← counter + 1;
 * stacked ys: s' ⊙ x_t and acc'. Gradients reach s0, acc0, every x_t and w, through the carry
 * and through the stacked results.
 */
export const scanBody = region([f32(3), f32(), i32(), f32(3), f32(3, 3)], (e, [s, acc, c, x, w]) => {
  const next = e.add(c, e.scalar(1, 'i32'));
  const drive = e.mul(x, e.scale(e.cast(next, 'f32'), 0.5));
  const sw = e.op1('dot_general', [s, w], { lhs_contracting: [0], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  const s1 = e.unary('tanh', e.add(sw, drive));
  const acc1 = e.add(acc, e.sum(e.mul(s, s), [0]));
  return [s1, acc1, next, e.mul(s1, x), acc1];
});

const scanCase = (length: number, reverse: boolean): OpCase => ({
  op: 'scan', name: `${length} steps${reverse ? ', reversed' : ''}: a counter, stacked ys and a constant`, check: FD,
  inputs: (r) => [r.tensor([3]), r.tensor([]), r.tensor([length, 3]), r.tensor([3, 3])],
  build: (e, [s0, acc0, xs, w]) => {
    const [s, acc, , ys, accs] = e.op('scan', [s0, acc0, e.scalar(0, 'i32'), xs, w], { length, carried: 3, scanned: 1, reverse }, [scanBody]);
    return [s, acc, ys, accs];
  },
});

/** Carry s, scanned x_t, constant k: s ← tanh(s ⊙ k) + x_t, y = s' ⊙ k. */
const aliasBody = region([f32(3), f32(3), f32(3)], (e, [s, x, k]) => {
  const s1 = e.add(e.unary('tanh', e.mul(s, k)), x);
  return [s1, e.mul(s1, k)];
});

/** One value as the initial carry and the constant: its cotangents from both roles add up. */
const aliasedScan: OpCase = {
  op: 'scan', name: 'one value as the initial carry and the constant', check: FD,
  inputs: (r) => [r.tensor([3]), r.tensor([LENGTH, 3])],
  build: (e, [v, xs]) => e.op('scan', [v, xs, v], { length: LENGTH, carried: 1, scanned: 1, reverse: false }, [aliasBody]),
};

/** Only the stacked results are used: the final carry's cotangent is absent. */
const onlyYs: OpCase = {
  op: 'scan', name: 'only the stacked results are used', check: FD,
  inputs: (r) => [r.tensor([3]), r.tensor([LENGTH, 3]), r.tensor([3])],
  build: (e, [s0, xs, k]) => [e.op('scan', [s0, xs, k], { length: LENGTH, carried: 1, scanned: 1, reverse: true }, [aliasBody])[1]],
};

export const SCAN_CASES: readonly OpCase[] = [scanCase(LENGTH, false), scanCase(LENGTH, true), scanCase(0, false), aliasedScan, onlyYs];
