import { afterEach, describe, expect, it } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { Executable } from '../../runtime/index.ts';
import { evaluate } from '../../runtime/reference.ts';
import * as ax from '../../src/index.ts';
import type { Graph, HostTensor, KernelLimits } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { randomTensor, seeded } from './cases/case.ts';

/**
 * Every contraction kernel the renderer can emit (lanes along n or m, with and without four k
 * per iteration; dot products along k; shared-memory tiles) against the float64 reference, on
 * shapes that leave partial blocks in every direction, with transposed operands, batches,
 * symbolic dims and fused prologues and epilogues.
 */
type Case = { name: string; f: (...t: ax.Tensor[]) => ax.Tensor; specs: ax.Spec[]; bind?: Record<string, number> };

const CASES: Case[] = [
  { name: 'A·B, K a multiple of 4', f: (a, b) => a.matmul(b), specs: [ax.spec('f32', [37, 24]), ax.spec('f32', [24, 70])] },
  { name: 'A·B, K not a multiple of 4', f: (a, b) => a.matmul(b), specs: [ax.spec('f32', [37, 23]), ax.spec('f32', [23, 70])] },
  { name: 'A·Bᵀ', f: (a, b) => a.matmul(b.T), specs: [ax.spec('f32', [13, 36]), ax.spec('f32', [66, 36])] },
  { name: 'Aᵀ·B', f: (a, b) => a.T.matmul(b), specs: [ax.spec('f32', [28, 19]), ax.spec('f32', [28, 41])] },
  { name: 'Aᵀ·Bᵀ', f: (a, b) => a.T.matmul(b.T), specs: [ax.spec('f32', [20, 9]), ax.spec('f32', [34, 20])] },
  { name: 'tall and narrow', f: (a, b) => a.matmul(b), specs: [ax.spec('f32', [150, 16]), ax.spec('f32', [16, 3])] },
  {
    name: 'batched, symbolic batch',
    f: (a, b) => a.matmul(b),
    specs: [ax.spec('f32', ['B', 6, 12]), ax.spec('f32', ['B', 12, 10])],
    bind: { B: 3 },
  },
  {
    name: 'fused prologue and epilogue: tanh(relu(x)·Wᵀ + b) + x',
    f: (x, w, b) => ax.tanh(ax.relu(x).matmul(w.T).add(b)).add(x),
    specs: [ax.spec('f32', ['N', 40]), ax.spec('f32', [40, 40]), ax.spec('f32', [40])],
    bind: { N: 11 },
  },
  { name: 'x·xᵀ (one input, both operands)', f: (x) => x.matmul(x.T), specs: [ax.spec('f32', [18, 32])] },
];

const VARIANTS: [string, Record<string, string>, 'software' | 'hardware', RegExp][] = [
  ['lanes, four k per iteration', { AXONIC_MATMUL_DOT: '0' }, 'software', /fn (lhs4m|rhs4n|lhs|rhs)_at/],
  ['lanes, one k per iteration', { AXONIC_MATMUL_DOT: '0', AXONIC_MATMUL_KVECTOR: '0' }, 'software', /fn (lhs4m|rhs4n|lhs|rhs)_at/],
  ['lanes, 8 rows, 1 vec4', { AXONIC_MATMUL_DOT: '0', AXONIC_MATMUL_ROWS: '8', AXONIC_MATMUL_VECS: '1' }, 'software', /fn (lhs4m|rhs4n|lhs|rhs)_at/],
  ['dot products along k', { AXONIC_MATMUL_DOT: '1' }, 'software', /fn (lhs4k_at|lhs_at)/],
  ['shared-memory tiles', {}, 'hardware', /var<workgroup>/],
];

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('AXONIC_MATMUL_')) delete process.env[k];
  Object.assign(process.env, saved);
});

function inputsFor(graph: Graph, bind: Record<string, number> = {}): HostTensor[] {
  const rand = seeded(7);
  return graph.inputs.map(({ type: t }) => {
    return randomTensor(rand, t.dtype, t.shape.map((d) => (typeof d === 'number' ? d : bind[d])));
  });
}

describe('matmul kernel variants match the float64 reference', () => {
  for (const [variant, env, kind, marker] of VARIANTS)
    describe(variant, () => {
      it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
        Object.assign(process.env, env);
        const backend = await gpuBackend();
        const limits: KernelLimits = { ...backend.limits, adapterKind: kind };
        const graph = ax.trace(c.f as never, ...c.specs);
        const program = compileProgram(graph, limits, { verifyEach: true });
        expect(program.kernels.some((k) => marker.test(k.wgsl))).toBe(true);
        const inputs = inputsFor(graph, c.bind);
        const exe = await Executable.create(backend, program);
        try {
          const actual = await Promise.all(exe.run(inputs).map((o) => o.toHostTensor()));
          const expected = evaluate(graph, inputs);
          actual.forEach((a, i) => expectClose(a, expected[i], 1e-4, `output ${i}`));
        } finally {
          exe.dispose();
        }
      });
    });

  it('chooses dot products for A·Bᵀ and four k per iteration for A·B on a software adapter', async () => {
    const backend = await gpuBackend();
    const limits: KernelLimits = { ...backend.limits, adapterKind: 'software' };
    const wgsl = (f: (a: ax.Tensor, b: ax.Tensor) => ax.Tensor, a: number[], b: number[]) =>
      compileProgram(ax.trace(f, ax.spec('f32', a), ax.spec('f32', b)), limits).kernels.map((k) => k.wgsl).join('\n');
    const abT = wgsl((a, b) => a.matmul(b.T), [16, 32], [64, 32]);
    expect(abT).toMatch(/fn lhs4k_at/);
    expect(abT).toMatch(/fn rhs4k_at/);
    const ab = wgsl((a, b) => a.matmul(b), [16, 32], [32, 64]);
    expect(ab).toMatch(/fn lhs4k_at/);
    expect(ab).toMatch(/fn rhs4n_at/);
    expect(ab).toMatch(/var<storage, read> in1: array<vec4<f32>>/);
  });
});
