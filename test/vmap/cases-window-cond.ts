import type { TensorType } from '../../src/ir/index.ts';
import type { BatchCase } from './batch-case.ts';
import { region } from './cases-control.ts';

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const bool: TensorType = { dtype: 'bool', shape: [] };

const windows: BatchCase[] = [
  {
    op: 'rev', name: 'axes 0 and 2 of [2,3,4]',
    example: (d) => [d.f32([2, 3, 4])],
    build: (e, [x]) => [e.op1('rev', [x], { dims: [0, 2] })],
  },
  {
    op: 'dynamic_slice', name: 'a [2,2] window of [4,3], starts per example, some clamped',
    example: (d) => [d.f32([4, 3]), d.int('i32', [2], -2, 5)],
    build: (e, [x, s]) => [e.op1('dynamic_slice', [x, s], { sizes: [2, 2] })],
  },
  {
    op: 'dynamic_slice', name: 'an operand that already has a batch axis',
    example: (d) => [d.f32([2, 5]), d.int('i32', [2, 1], -1, 6)],
    build: (e, [x, s]) => [e.op1('dynamic_slice', [x, s], { sizes: [3] })],
  },
  {
    op: 'dynamic_update_slice', name: 'a [2,1] block into [3,4]',
    example: (d) => [d.f32([3, 4]), d.f32([2, 1]), d.int('i32', [2], -1, 5)],
    build: (e, [x, u, s]) => [e.op1('dynamic_update_slice', [x, u, s], {})],
  },
];

/** then(a, b) = (a · b, a), else(a, b) = (sin a, 2): the second result is unbatched in else. */
const thenBranch = region([f32(3), f32(3)], (e, [a, b]) => [e.mul(a, b), a], 'then');
const elseBranch = region([f32(3), f32(3)], (e, [a]) => [e.unary('sin', a), e.full([3], 2)], 'else');

/** x ↦ exp x if p, else (tanh x if q, else x²): a cond nested in a branch. */
const innerThen = region([f32(2)], (e, [x]) => [e.unary('tanh', x)], 'then');
const innerElse = region([f32(2)], (e, [x]) => [e.mul(x, x)], 'else');
const outerThen = region([f32(2), bool], (e, [x]) => [e.unary('exp', x)], 'then');
const outerElse = region([f32(2), bool], (e, [x, q]) => e.op('cond', [q, x], {}, [innerThen, innerElse]), 'else');

const conds: BatchCase[] = [
  {
    op: 'cond', name: 'a predicate per example (select) or shared (cond), branches batched alike',
    example: (d) => [d.int('bool', [], 0, 1), d.f32([3]), d.f32([3])],
    build: (e, [p, a, b]) => e.op('cond', [p, a, b], {}, [thenBranch, elseBranch]),
  },
  {
    op: 'cond', name: 'nested conds, each predicate an input',
    example: (d) => [d.int('bool', [], 0, 1), d.int('bool', [], 0, 1), d.f32([2])],
    build: (e, [p, q, x]) => e.op('cond', [p, x, q], {}, [outerThen, outerElse]),
  },
];

export const WINDOW_COND_CASES: readonly BatchCase[] = [...windows, ...conds];
