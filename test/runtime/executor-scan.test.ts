import { beforeAll, describe, expect, it } from 'vitest';
import { hostTensor, VerifyError, type Step } from '../../src/ir/index.ts';
import { Executable, resetStats, stats, type GpuBackend } from '../../runtime/index.ts';
import { planProgram } from '../../runtime/program-plan.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { buffer, dispatch, loop, mapKernel, program, size, WORKGROUP } from './programs.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

/** out = 2·s + x: order-sensitive, so a wrong slice or a wrong parity shows. */
const step = mapKernel({
  name: 'two_s_plus_x',
  dims: ['N'],
  reads: [
    { name: 's', dtype: 'f32' },
    { name: 'x', dtype: 'f32' },
  ],
  writes: [{ name: 'out', dtype: 'f32' }],
  count: 'sizes.N',
  body: 'out[i] = 2.0 * s[i] + x[i];',
  dispatch: size(1, ['N'], WORKGROUP),
});

/**
 * Buffers: 0 init s [N], 1 xs [T,N] (inputs); 2/3 the state ping-pong, 4 the x slice, 5 the
 * final state, 6 the stacked new states [T,N], 7 the stacked entering states [T,N].
 */
function scanProgram(trips: number, reverse: boolean, ys = [{ slice: 3, stacked: 6 }, { slice: 2, stacked: 7 }]) {
  const scanLoop: Step = {
    ...(loop(trips, [0], [2], [3], [5], [dispatch(0, [2, 4, 3])]) as Extract<Step, { kind: 'loop' }>),
    xs: [{ stacked: 1, slice: 4 }],
    ys,
    reverse,
  };
  return program({
    dims: ['N'],
    buffers: [
      buffer(0, 'f32', ['N'], 'input'),
      buffer(1, 'f32', [trips, 'N'], 'input'),
      ...[2, 3, 4, 5].map((id) => buffer(id, 'f32', ['N'], 'temp')),
      buffer(6, 'f32', [trips, 'N'], 'temp'),
      buffer(7, 'f32', [trips, 'N'], 'temp'),
    ],
    kernels: [step],
    steps: [scanLoop],
    inputs: [0, 1],
    outputs: [5, 6, 7],
  });
}

describe('scan steps: per-trip slices of xs in, of ys out', () => {
  const n = 3;
  const init = [1, -2, 0.5];
  for (const trips of [0, 1, 2, 5])
    for (const reverse of [false, true])
      it(`${trips} trips${reverse ? ', reversed' : ''}: one submission, one dispatch per trip, slices at their index`, async () => {
        const xs = Array.from({ length: trips * n }, (_, i) => (i % 7) - 3);
        const exe = await Executable.create(gpu, scanProgram(trips, reverse));
        resetStats();
        const [final, stacked, entering] = exe.run([hostTensor('f32', [n], init), hostTensor('f32', [trips, n], xs)]);
        expect(stats.submissions).toBe(1);
        expect(stats.dispatches).toBe(trips);
        let s = [...init];
        const news = Array<number>(trips * n).fill(0);
        const olds = Array<number>(trips * n).fill(0);
        for (let k = 0; k < trips; k++) {
          const t = reverse ? trips - 1 - k : k;
          s.forEach((v, i) => (olds[t * n + i] = v));
          s = s.map((v, i) => 2 * v + xs[t * n + i]);
          s.forEach((v, i) => (news[t * n + i] = v));
        }
        expect(Array.from(await final.data())).toEqual(s);
        expect(Array.from(await stacked.data())).toEqual(news);
        expect(Array.from(await entering.data())).toEqual(olds);
        exe.dispose();
      });

  it('refuses a stack that is not trips slices of its per-trip buffer', () => {
    const bad = scanProgram(4, false);
    const buffers = bad.buffers.map((b) => (b.id === 6 ? buffer(6, 'f32', [3, 'N'], 'temp') : b));
    expect(() => planProgram({ ...bad, buffers }, gpu.limits)).toThrow(VerifyError);
    expect(() => planProgram({ ...bad, buffers }, gpu.limits)).toThrow(/ys 0: buffer 6 \[3,N\] is not 4 slices of buffer 3 \[N\]/);
  });
});
