import { Emitter, GraphBuilder, type Graph, type HostTensor, type TensorType, type Value } from '../../src/ir/index.ts';
import { FD, type OpCase } from './op-case.ts';

function region(types: readonly TensorType[], body: (e: Emitter, xs: Value[]) => Value[], name: string): Graph {
  const b = new GraphBuilder();
  const xs = types.map((t) => b.input(t));
  return b.build(body(new Emitter(b), xs), name);
}

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });
const TYPES = [f32(3), i32(), f32(3)];

/** Carried (s, k), constant c: s ← tanh(s ⊙ c) + s/2, k ← k + 1. */
const step = region(TYPES, (e, [s, k, c]) => [e.add(e.unary('tanh', e.mul(s, c)), e.scale(s, 0.5)), e.add(k, e.scalar(1, 'i32'))], 'body');
/** k < 3: three trips whatever the point, so the loop is smooth in s0 and c. */
const threeTrips = region(TYPES, (e, [, k]) => [e.binary('lt', k, e.scalar(3, 'i32'))], 'cond');

/** Carried s, constant c: s ← s ⊙ (2 + c/10) while Σ|s| < 4. */
const grow = region([f32(3), f32(3)], (e, [s, c]) => [e.mul(s, e.add(e.scalar(2), e.scale(c, 0.1)))], 'body');
const small = region([f32(3), f32(3)], (e, [s]) => [e.binary('lt', e.sum(e.unary('abs', s), [0]), e.scalar(4))], 'cond');

/** Far (5%) from the threshold at every trip, so a small perturbation does not change the trip count. */
function awayFromThreshold([s0, c]: readonly HostTensor[]): boolean {
  let s = [...s0.data];
  for (let k = 0; k < 12; k++) {
    const total = s.reduce((a, v) => a + Math.abs(v), 0);
    if (Math.abs(total - 4) < 0.2 || total < 0.05) return false;
    if (total >= 4) return true;
    s = s.map((v, i) => v * (2 + c.data[i] / 10));
  }
  return true;
}

export const WHILE_CASES: readonly OpCase[] = [
  {
    op: 'while_loop', name: 'a counted cond: three trips, then the state stays', check: FD,
    inputs: (r) => [r.tensor([3]), r.tensor([3])],
    build: (e, [s0, c]) => [e.op('while_loop', [s0, e.scalar(0, 'i32'), c], { max_trips: 10, check_every: 2, carried: 2 }, [threeTrips, step])[0]],
  },
  {
    op: 'while_loop', name: 'stopped by max_trips while cond holds', check: FD,
    inputs: (r) => [r.tensor([3]), r.tensor([3])],
    build: (e, [s0, c]) => [e.op('while_loop', [s0, e.scalar(0, 'i32'), c], { max_trips: 2, check_every: 1, carried: 2 }, [threeTrips, step])[0]],
  },
  {
    op: 'while_loop', name: 'a cond on the f32 state: grows until Σ|s| ≥ 4', check: FD,
    inputs: (r) => [r.tensor([3]), r.tensor([3])],
    valid: awayFromThreshold,
    build: (e, [s0, c]) => e.op('while_loop', [s0, c], { max_trips: 12, check_every: 5, carried: 1 }, [small, grow]),
  },
];
