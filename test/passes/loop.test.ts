import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { Executable, stats } from '../../runtime/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import { GraphBuilder, hostTensor, type Graph, type HostTensor } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';
import { APPROX, randomTensor, seeded } from './cases/case.ts';

const RATE = 0.1;

/** `trips` steps of s ← s + 0.1·(−s + tanh(s·W + x)), as one loop with s carried and W, x invariant. */
function relaxation(batch: number, width: number, trips: number): Graph {
  const b = new GraphBuilder();
  const s0 = b.input({ dtype: 'f32', shape: [batch, width] });
  const w0 = b.input({ dtype: 'f32', shape: [width, width] });
  const x0 = b.input({ dtype: 'f32', shape: [batch, width] });
  const body = new GraphBuilder();
  const [s, w, x] = [s0, w0, x0].map((v) => body.input(v.type));
  const sw = body.add1('dot_general', [s, w], { lhs_contracting: [1], rhs_contracting: [0], lhs_batch: [], rhs_batch: [] });
  const drive = body.add1('tanh', [body.add1('add', [sw, x], {})], {});
  const rate = body.add1('constant', [], { shape: [], dtype: 'f32', value: [RATE] });
  const step = body.add1('mul', [rate, body.add1('sub', [drive, s], {})], {});
  const next = body.add1('add', [s, step], {});
  const [out] = b.add('loop', [s0, w0, x0], { trips, carried: 1 }, { regions: [body.build([next], 'body')] });
  return b.build([out], 'relax');
}

function relaxationInputs(batch: number, width: number): HostTensor[] {
  const rand = seeded(7);
  const scale = 1.5 / Math.sqrt(width);
  return [
    randomTensor(rand, 'f32', [batch, width], { lo: -1, hi: 1 }),
    randomTensor(rand, 'f32', [width, width], { lo: -scale, hi: scale }),
    randomTensor(rand, 'f32', [batch, width], { lo: -1, hi: 1 }),
  ];
}

/**
 * The same recurrence in plain float64 loops: the reference interpreter's generic dot_general
 * needs ~1.6 s per 128×512×512 product here, too slow for 50 of them in the test budget.
 */
function relaxationFloat64([s0, w, x]: readonly HostTensor[], trips: number): HostTensor {
  const [batch, width] = s0.shape;
  let s = Float64Array.from(s0.data);
  const wd = w.data;
  const xd = x.data;
  const row = new Float64Array(width);
  for (let t = 0; t < trips; t++) {
    const next = new Float64Array(s.length);
    for (let i = 0; i < batch; i++) {
      row.fill(0);
      for (let k = 0; k < width; k++) {
        const sik = s[i * width + k];
        const wk = k * width;
        for (let j = 0; j < width; j++) row[j] += sik * wd[wk + j];
      }
      for (let j = 0; j < width; j++) {
        const at = i * width + j;
        next[at] = s[at] + RATE * (Math.tanh(row[j] + xd[at]) - s[at]);
      }
    }
    s = next;
  }
  return hostTensor('f32', s0.shape, s);
}

describe('loop: relaxation dynamics', () => {
  it('matches the reference interpreter on a small instance (50 steps of [16, 64])', async () => {
    const graph = relaxation(16, 64, 50);
    const inputs = relaxationInputs(16, 64);
    const [expected] = evaluate(graph, inputs);
    expectClose(relaxationFloat64(inputs, 50), expected, 1e-12, 'float64 oracle vs reference');
    const [actual] = await runOnGpu(graph, inputs);
    expectClose(actual, expected, APPROX);
  });

  it('runs 50 steps of s: [128, 512], W: [512, 512] in one submission and matches float64', async () => {
    const backend = await gpuBackend();
    const graph = relaxation(128, 512, 50);
    const inputs = relaxationInputs(128, 512);
    const exe = await Executable.create(backend, compileProgram(graph, backend.limits, { verifyEach: true }));
    try {
      const before = stats.submissions;
      const [out] = exe.run(inputs);
      expect(stats.submissions - before).toBe(1);
      expectClose(await out.toHostTensor(), relaxationFloat64(inputs, 50), APPROX);
    } finally {
      exe.dispose();
    }
  });
});
