import { beforeAll, describe, expect, it } from 'vitest';
import { hostTensor } from '../../src/ir/index.ts';
import { DeviceArray, Executable, resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { buffer, copy, dispatch, loop, mapKernel, program, size, unaryF32, WORKGROUP } from './programs.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

/** f(v) = 2v + 1: not idempotent and order-sensitive, so a wrong ping-pong parity shows. */
const doublePlusOne = unaryF32('double_plus_one', 'v * 2.0 + 1.0');
const addOne = unaryF32('add_one', 'v + 1.0');
const addInc = mapKernel({
  name: 'add_inc',
  dims: ['N'],
  reads: [
    { name: 's', dtype: 'f32' },
    { name: 'inc', dtype: 'f32' },
  ],
  writes: [{ name: 'out', dtype: 'f32' }],
  count: 'sizes.N',
  body: 'out[i] = s[i] + inc[i];',
  dispatch: size(1, ['N'], WORKGROUP),
});

const iterate = (v: number, f: (x: number) => number, times: number): number => {
  for (let t = 0; t < times; t++) v = f(v);
  return v;
};
const f = (v: number) => 2 * v + 1;

/** init (0) → loop over state (1 in, 2 out) into result (3); (4) copies the last-written state. */
function singleLoop(trips: number) {
  return program({
    dims: ['N'],
    buffers: [0, 1, 2, 3, 4].map((id) => buffer(id, 'f32', ['N'], id === 0 ? 'input' : 'temp')),
    kernels: [doublePlusOne],
    steps: [loop(trips, [0], [1], [2], [3], [dispatch(0, [1, 2]), copy(2, 4)])],
    inputs: [0],
    outputs: [3, 4],
  });
}

describe('loop steps', () => {
  const init = [-3, 0, 0.5, 10, 1.25];

  for (const trips of [0, 1, 2, 7]) {
    it(`ping-pongs the state for ${trips} trips in one submission`, async () => {
      const exe = await Executable.create(gpu, singleLoop(trips));
      const x = DeviceArray.fromHost(gpu, 'f32', [init.length], init);
      resetStats();
      const [result, lastWritten] = exe.run([x]);
      expect(stats.submissions).toBe(1);
      expect(stats.dispatches).toBe(trips);
      const expected = init.map((v) => iterate(v, f, trips));
      expect(Array.from(await result.data())).toEqual(expected);
      if (trips > 0) expect(Array.from(await lastWritten.data())).toEqual(expected);
    });
  }

  it('returns the state buffer itself as the result', async () => {
    for (const trips of [2, 3]) {
      const exe = await Executable.create(
        gpu,
        program({
          dims: ['N'],
          buffers: [0, 1, 2].map((id) => buffer(id, 'f32', ['N'], id === 0 ? 'input' : 'temp')),
          kernels: [doublePlusOne],
          steps: [loop(trips, [0], [1], [2], [1], [dispatch(0, [1, 2])])],
          inputs: [0],
          outputs: [1],
        }),
      );
      const [y] = exe.run([hostTensor('f32', [3], [1, 2, 3])]);
      expect(Array.from(await y.data())).toEqual([1, 2, 3].map((v) => iterate(v, f, trips)));
    }
  });

  it('records a 1000-trip loop with two bind groups and none on the next call', async () => {
    const exe = await Executable.create(
      gpu,
      program({
        dims: ['N'],
        buffers: [
          buffer(0, 'f32', ['N'], 'input'),
          buffer(1, 'f32', ['N'], 'input'),
          ...[2, 3, 4].map((id) => buffer(id, 'f32', ['N'], 'temp')),
        ],
        kernels: [addInc],
        steps: [loop(1000, [0], [2], [3], [4], [dispatch(0, [2, 1, 3])])],
        inputs: [0, 1],
        outputs: [4],
      }),
    );
    const s0 = DeviceArray.fromHost(gpu, 'f32', [4], [0, 1, -2, 3]);
    const inc = DeviceArray.fromHost(gpu, 'f32', [4], [1, 0.5, -0.25, 2]);
    resetStats();
    const [first] = exe.run([s0, inc]);
    expect(stats).toMatchObject({ submissions: 1, dispatches: 1000, bindGroupsCreated: 2 });
    const [second] = exe.run([s0, inc]);
    expect(stats).toMatchObject({ submissions: 2, dispatches: 2000, bindGroupsCreated: 2 });
    const expected = [0 + 1000, 1 + 500, -2 - 250, 3 + 2000];
    expect(Array.from(await first.data())).toEqual(expected);
    expect(Array.from(await second.data())).toEqual(expected);
  });

  describe('nested loops', () => {
    // Outer state a (1 in, 2 out, 3 result); each outer trip runs an inner loop over b
    // (4 in, 5 out, 6 result) started from the outer state, then writes a' = f^inner(a) + 1.
    const nested = (outer: number, inner: number) =>
      program({
        dims: ['N'],
        buffers: [0, 1, 2, 3, 4, 5, 6].map((id) => buffer(id, 'f32', ['N'], id === 0 ? 'input' : 'temp')),
        kernels: [doublePlusOne, addOne],
        steps: [
          loop(outer, [0], [1], [2], [3], [
            loop(inner, [1], [4], [5], [6], [dispatch(0, [4, 5])]),
            dispatch(1, [6, 2]),
          ]),
        ],
        inputs: [0],
        outputs: [3],
      });

    for (const outer of [0, 1, 2, 3])
      for (const inner of [0, 1, 2, 3])
        it(`${outer} outer × ${inner} inner trips`, async () => {
          const init = [0, 1, -1.5];
          const exe = await Executable.create(gpu, nested(outer, inner));
          resetStats();
          const [a] = exe.run([hostTensor('f32', [3], init)]);
          expect(stats.submissions).toBe(1);
          expect(stats.dispatches).toBe(outer * (inner + 1));
          const expected = init.map((v) => iterate(v, (x) => iterate(x, f, inner) + 1, outer));
          expect(Array.from(await a.data())).toEqual(expected);
        });
  });
});
