import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { Executable } from '../../runtime/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import type { HostTensor, KernelLimits } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { seeded } from './cases/case.ts';

/**
 * Reductions over long rows take one workgroup per output; where the adapter has subgroups its
 * invocations combine their partial results with subgroup shuffles, else through shared memory.
 * Both agree with the float64 reference, special values included (NaN through max, signed zeros).
 */
const SPECIAL = [Number.NaN, -0, 0, Infinity, -Infinity];

function data(n: number, seed: number, special: boolean): number[] {
  const rand = seeded(seed);
  return Array.from({ length: n }, () => (special && rand() < 0.002 ? SPECIAL[Math.floor(rand() * SPECIAL.length)] : rand() * 4 - 2));
}

type Case = { name: string; f: (x: ax.Tensor) => ax.Tensor | ax.Tensor[]; dtype: 'f32' | 'i32'; shape: (number | string)[]; bind?: number; special?: boolean };
const CASES: Case[] = [
  { name: 'sum, max and min of 3 rows of 20 000', f: (x) => [x.sum(-1), x.max(-1), x.min(-1)], dtype: 'f32', shape: [3, 20000] },
  { name: 'max and min with NaN, infinities and signed zeros', f: (x) => [x.max(-1), x.min(-1), x.sum(-1)], dtype: 'f32', shape: [4, 9000], special: true },
  { name: 'all-zero rows of either sign: max and min keep the sign rules', f: (x) => [x.max(-1), x.min(-1)], dtype: 'f32', shape: [2, 5000] },
  { name: 'integer sum over a symbolic extent', f: (x) => x.sum(0), dtype: 'i32', shape: ['N'], bind: 12345 },
  { name: 'mean and log-sum-exp of a long row, with epilogues', f: (x) => [x.mean(-1), ax.logsumexp(x, -1)], dtype: 'f32', shape: [1, 50000] },
];

function input(c: Case): HostTensor {
  const shape = c.shape.map((d) => (typeof d === 'number' ? d : c.bind!));
  const n = shape.reduce((a, b) => a * b, 1);
  if (c.name.startsWith('all-zero')) return ax.hostTensor('f32', shape, Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : -0)));
  const values = data(n, n, c.special === true);
  return ax.hostTensor(c.dtype, shape, c.dtype === 'i32' ? values.map((v) => Math.round(v * 1000)) : values);
}

describe('tree reductions with and without subgroups', () => {
  it('kernels may use subgroups exactly when the device has them (lavapipe in CI does)', async () => {
    const backend = await gpuBackend();
    expect(backend.limits.subgroups).toBe(backend.device.features.has('subgroups'));
    if (/llvmpipe/.test(backend.adapterName)) expect(backend.limits.subgroups).toBe(true);
  });

  for (const subgroups of [true, false])
    it.each(CASES.map((c) => [c.name, c] as const))(`${subgroups ? 'subgroups' : 'shared memory'}: %s`, async (_, c) => {
      const backend = await gpuBackend();
      const limits: KernelLimits = { ...backend.limits, subgroups };
      const graph = ax.trace(c.f as never, ax.spec(c.dtype, c.shape));
      const program = compileProgram(graph, limits, { verifyEach: true });
      expect(program.kernels.some((k) => k.wgsl.includes('subgroupShuffleXor'))).toBe(subgroups);
      const inputs = [input(c)];
      const exe = await Executable.create(backend, program);
      try {
        const actual = await Promise.all(exe.run(inputs).map((o) => o.toHostTensor()));
        const expected = evaluate(graph, inputs);
        actual.forEach((a, i) => expectClose(a, expected[i], c.dtype === 'i32' ? 0 : 1e-4, `output ${i}`));
        if (c.name.startsWith('all-zero')) {
          // max(−0, +0) = +0 and min = −0 (SEMANTICS): the rows hold both.
          for (const v of actual[0].data) expect(Object.is(v, 0)).toBe(true);
          for (const v of actual[1].data) expect(Object.is(v, -0)).toBe(true);
        }
      } finally {
        exe.dispose();
      }
    });
});
