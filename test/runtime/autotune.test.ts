import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { TUNING_VERSION } from '../../passes/wgsl/matmul-tuning.ts';
import { autotune } from '../../runtime/autotune.ts';
import { evaluate } from '../../runtime/reference.ts';
import { resetTuningCache, tuningCachePath, tuningFor } from '../../runtime/tuning-cache.ts';
import * as ax from '../../src/index.ts';
import type { KernelLimits } from '../../src/ir/index.ts';
import { expectClose } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/**
 * Matmul autotuning: a few kernel variants are measured per shape class, the fastest is kept in
 * a per-adapter cache (a file, written whole or not at all), and compiles use it.
 */
const layer = (x: ax.Tensor, w: ax.Tensor) => ax.tanh(x.matmul(w.T));
const specs = [ax.spec('f32', [64, 96]), ax.spec('f32', [80, 96])];

beforeEach(() => {
  process.env.AXONIC_CACHE_DIR = mkdtempSync(join(tmpdir(), 'axonic-tune-'));
  resetTuningCache();
});

describe('autotune', () => {
  it('measures the candidates of a new shape class, keeps the fastest, and compiles with it', async () => {
    const backend = await gpuBackend();
    const graph = ax.trace(layer, ...specs);
    const { limits, reports } = await autotune(backend, graph, { reps: 3 });
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report.results.length).toBeGreaterThanOrEqual(3);
    const times = report.results.map((r) => r.ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((t) => t > 0 && Number.isFinite(t))).toBe(true);
    const winner = report.results[0].variant;
    expect(limits.matmulTuning?.[report.shapeClass]?.variant).toEqual(winner);

    // The compiled program is the one rendered with the winner forced.
    const forced: KernelLimits = { ...backend.limits, matmulTuning: { [report.shapeClass]: { version: TUNING_VERSION, variant: winner } } };
    const loser: KernelLimits = { ...backend.limits, matmulTuning: { [report.shapeClass]: { version: TUNING_VERSION, variant: report.results[report.results.length - 1].variant } } };
    const wgsl = (l: KernelLimits) => compileProgram(graph, l).kernels.map((k) => k.wgsl).join('\n');
    expect(wgsl(limits)).toBe(wgsl(forced));
    expect(wgsl(limits)).not.toBe(wgsl(loser));

    // Persisted: a fresh process (simulated by forgetting the memory) reads the winner back.
    const file = (await tuningCachePath())!;
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
    resetTuningCache();
    expect((await tuningFor(backend.adapterName))[report.shapeClass].variant).toEqual(winner);

    // A known class is not measured again.
    expect((await autotune(backend, graph)).reports).toEqual([]);
  });

  it('jit with autotune computes what the reference computes', async () => {
    const f = ax.jit(layer, { autotune: true });
    const x = ax.hostTensor('f32', [64, 96], Array.from({ length: 64 * 96 }, (_, i) => Math.sin(i)));
    const w = ax.hostTensor('f32', [80, 96], Array.from({ length: 80 * 96 }, (_, i) => Math.cos(i) * 0.1));
    const out = await (await f(x, w)).toHostTensor();
    expectClose(out, evaluate(ax.trace(layer, ...specs), [x, w])[0], 1e-4);
    expect(Object.keys(await tuningFor((await gpuBackend()).adapterName))).toHaveLength(1);
  });

  it('ignores a corrupt cache file with a warning and replaces it on the next save', async () => {
    const file = (await tuningCachePath())!;
    writeFileSync(file, '{"format": "axonic-matmul-tun');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const backend = await gpuBackend();
    expect(await tuningFor(backend.adapterName)).toEqual({});
    expect(warn.mock.calls[0][0]).toMatch(/ignoring the matmul tuning cache .*matmul-tuning\.json/);
    warn.mockRestore();
    await autotune(backend, ax.trace(layer, ...specs), { reps: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('axonic-matmul-tuning');
  });

  it('falls back to the heuristic for an entry that cannot render here (stale or hand-edited)', async () => {
    const backend = await gpuBackend();
    const graph = ax.trace(layer, ...specs);
    const { reports } = await autotune(backend, graph, { reps: 1 });
    const shapeClass = reports[0].shapeClass;
    const bad = (variant: object, version = TUNING_VERSION): KernelLimits => ({ ...backend.limits, matmulTuning: { [shapeClass]: { version, variant } } });
    const heuristic = compileProgram(graph, backend.limits).kernels[0].wgsl;
    expect(compileProgram(graph, bad({ kind: 'lanes', laneAxis: 'n', rows: 4, vecs: 2, workgroup: 100000, kVector: true })).kernels[0].wgsl).toBe(heuristic);
    expect(compileProgram(graph, bad({ kind: 'warp-specialized' })).kernels[0].wgsl).toBe(heuristic);
    expect(compileProgram(graph, bad(reports[0].results[reports[0].results.length - 1].variant, TUNING_VERSION - 1)).kernels[0].wgsl).toBe(heuristic);
  });
});
