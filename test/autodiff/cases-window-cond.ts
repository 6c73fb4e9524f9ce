import { Emitter, GraphBuilder, type Graph, type TensorType, type Value } from '../../src/ir/index.ts';
import { constOf, FD, tensor, type OpCase } from './op-case.ts';

function region(types: readonly TensorType[], body: (e: Emitter, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(body(new Emitter(b), xs), name);
}

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });
const starts = (e: Emitter, values: number[], shape = [values.length]) => constOf(e, tensor('i32', shape, values));
const flag = (e: Emitter, v: boolean) => e.full([], v ? 1 : 0, 'bool');

const windows: OpCase[] = [
  {
    op: 'rev', name: 'axes 0 and 2 of [2,3,4]', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4])],
    build: (e, [x]) => [e.op1('rev', [x], { dims: [0, 2] })],
  },
  {
    op: 'dynamic_slice', name: 'a [2,3] window of [4,5], one start clamped', check: FD,
    inputs: (r) => [r.tensor([4, 5])],
    build: (e, [x]) => [e.op1('dynamic_slice', [x, starts(e, [1, 9])], { sizes: [2, 3] })],
  },
  {
    op: 'dynamic_slice', name: 'starts as a graph input (held fixed), one batch axis', check: FD,
    inputs: (r) => [r.tensor([2, 3, 4]), tensor('i32', [2, 2], [1, 0, -1, 3])],
    build: (e, [x, s]) => [e.op1('dynamic_slice', [x, s], { sizes: [2, 2] })],
  },
  {
    op: 'dynamic_update_slice', name: 'a [2,2] block into [3,4]: both x and the update get gradients', check: FD,
    inputs: (r) => [r.tensor([3, 4]), r.tensor([2, 2])],
    build: (e, [x, u]) => [e.op1('dynamic_update_slice', [x, u, starts(e, [2, 1])], {})],
  },
  {
    op: 'dynamic_update_slice', name: 'one batch axis, starts as a graph input', check: FD,
    inputs: (r) => [r.tensor([2, 5]), r.tensor([2, 2]), tensor('i32', [2, 1], [4, 0])],
    build: (e, [x, u, s]) => [e.op1('dynamic_update_slice', [x, u, s], {})],
  },
];

/** then(a, b, k) = (sin a · b, a + k), else(a, b, k) = (a³, b · 2): different operands in each. */
const thenBranch = region([f32(3), f32(3), i32()], (e, [a, b, k]) => [e.mul(e.unary('sin', a), b), e.add(a, e.cast(k, 'f32'))], 'then');
const elseBranch = region([f32(3), f32(3), i32()], (e, [a, b]) => [e.mul(a, e.mul(a, a)), e.scale(b, 2)], 'else');

/** A cond nested in a branch (as ax.switch builds them): x ↦ exp x if p, else tanh x if q, else x². */
const innerThen = region([f32(2)], (e, [x]) => [e.unary('tanh', x)], 'then');
const innerElse = region([f32(2)], (e, [x]) => [e.mul(x, x)], 'else');
const outerThen = region([f32(2), { dtype: 'bool', shape: [] }], (e, [x]) => [e.unary('exp', x)], 'then');
const outerElse = region([f32(2), { dtype: 'bool', shape: [] }], (e, [x, q]) => e.op('cond', [q, x], {}, [innerThen, innerElse]), 'else');

const conds: OpCase[] = [true, false].map((p) => ({
  op: 'cond' as const, name: `predicate ${p}: only the ${p ? 'then' : 'else'} branch's derivative`, check: FD,
  inputs: (r) => [r.tensor([3]), r.tensor([3])],
  build: (e, [a, b]) => e.op('cond', [flag(e, p), a, b, e.scalar(3, 'i32')], {}, [thenBranch, elseBranch]),
}));
conds.push(
  {
    op: 'cond', name: 'the predicate as a graph input (held fixed), one result used', check: FD,
    inputs: (r) => [tensor('bool', [], [1]), r.tensor([3]), r.tensor([3])],
    build: (e, [p, a, b]) => [e.op('cond', [p, a, b, e.scalar(-1, 'i32')], {}, [thenBranch, elseBranch])[1]],
  },
  ...[[false, true], [false, false]].map(([p, q]) => ({
    op: 'cond' as const, name: `nested in the else branch (p ${p}, q ${q})`, check: FD,
    inputs: (r: Parameters<OpCase['inputs']>[0]) => [r.tensor([2])],
    build: (e: Emitter, [x]: Value[]) => e.op('cond', [flag(e, p), x, flag(e, q)], {}, [outerThen, outerElse]),
  })),
);

export const WINDOW_COND_CASES: readonly OpCase[] = [...windows, ...conds];
