import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as ax from '../../src/index.ts';
import { DEFAULT_LIMITS, parseGraph, printGraph } from '../../src/ir/index.ts';
import { compileProgram } from '../../passes/compile.ts';
import { PASSES } from '../../passes/manager.ts';
import { simplify } from '../../passes/simplify/index.ts';
import { lines } from './golden.ts';

const SCALED_EXP = lines(
  'func @main(%0: f32[4]) -> (f32[4]) {',
  '  %1: f32[] = constant[shape=[], dtype=f32, value=[1]]',
  '  %2: f32[4] = mul %0, %1 @model.ts:3:9',
  '  %3: f32[4] = stop_gradient %2',
  '  %4: f32[4] = exp %3',
  '  return %4',
  '}',
);

const SIMPLIFIED = lines('func @main(%0: f32[4]) -> (f32[4]) {', '  %1: f32[4] = exp %0', '  return %1', '}');

describe('simplify in the compiler', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('runs right after the passes that inline structured ops (custom_vjp, cond), before fusion', () => {
    const names = PASSES.map((p) => p.name);
    expect(names.indexOf('cond-to-select')).toBe(names.indexOf('inline-custom-vjp') + 1);
    expect(names.indexOf('simplify')).toBe(names.indexOf('cond-to-select') + 1);
    expect(names.indexOf('simplify')).toBeLessThan(names.indexOf('fuse'));
  });

  it('compiles one kernel for x*1 -> stop_gradient -> exp (compilation comes after autodiff)', () => {
    const program = compileProgram(parseGraph(SCALED_EXP), DEFAULT_LIMITS, { debug: 0 });
    expect(program.kernels.map((k) => k.name.replace(/^k\d+_/, ''))).toEqual(['exp']);
  });

  it('dumps which rule fired where, and the IR after it, at debug level 4', () => {
    const texts: string[] = [];
    compileProgram(parseGraph(SCALED_EXP), DEFAULT_LIMITS, { debug: 4, log: (t) => texts.push(t) });
    const at = texts.indexOf('// simplify @main: 2 sweeps, 2 rewrites, 0 merged, 1 removed');
    expect(at).toBeGreaterThan(0);
    expect(texts.slice(at - 2, at)).toEqual([
      expect.stringMatching(/^\/\/ simplify: mul-one-right \(x\*1 -> x\) at mul @model\.ts:3:9 \[passes\/simplify\/rules-arith\.ts:\d+\]$/),
      expect.stringMatching(/^\/\/ simplify: stop-gradient \(stop_gradient\(x\) -> x \(after autodiff only\)\) at stop_gradient \[passes\/simplify\/rules-arith\.ts:\d+\]$/),
    ]);
    expect(texts[at + 1]).toBe(`// IR after simplify\n${SIMPLIFIED}`);
  });

  it('reports to stderr when AXONIC_DEBUG >= 4 and no trace is given', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubEnv('AXONIC_DEBUG', '4');
    simplify(parseGraph(SCALED_EXP));
    vi.stubEnv('AXONIC_DEBUG', '3');
    simplify(parseGraph(SCALED_EXP));
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^\/\/ simplify: mul-one-right/),
      '// simplify @main: 2 sweeps, 1 rewrite, 0 merged, 1 removed',
    ]);
    errors.mockRestore();
  });
});

describe('ax.simplify for traced graphs', () => {
  it('simplifies a traced gradient and keeps stop_gradient unless told the graph is final', () => {
    const g = ax.trace((x: ax.Tensor) => ax.grad((y: ax.Tensor) => ax.sum(ax.stopGradient(y).mul(y)))(x), ax.spec('f32', [3]));
    const kept = ax.simplify(g);
    expect(printGraph(kept)).toMatch(/stop_gradient/);
    expect(printGraph(ax.simplify(g, { afterAutodiff: true }))).not.toMatch(/stop_gradient/);
    expect(kept.nodes.length).toBeLessThan(g.nodes.length);
  });

  it('gives jit the same results with the graph simplified (an output that is an input, repeated outputs)', async () => {
    const f = ax.jit((x: ax.Tensor) => [x.mul(1), ax.exp(x), ax.exp(x)]);
    const outs = (await f(ax.array(new Float32Array([0.5, -2])))) as ax.DeviceArray[];
    const [same, e1, e2] = await Promise.all(outs.map((a) => a.data()));
    expect([...same]).toEqual([0.5, -2]);
    [0.5, -2].forEach((x, i) => expect(Math.abs(e1[i] - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-6));
    expect([...e2]).toEqual([...e1]);
  });
});

describe('axonic ir --passes simplify', () => {
  const ROOT = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'axonic-simplify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the simplified IR of a file', async () => {
    const file = join(dir, 'scaled-exp.ir');
    writeFileSync(file, SCALED_EXP);
    const out = await new Promise<string>((done, fail) =>
      execFile(process.execPath, ['bin/axonic.mjs', 'ir', file, '--passes', 'verify,simplify'], { cwd: ROOT }, (error, stdout, stderr) =>
        error ? fail(new Error(stderr)) : done(stdout),
      ),
    );
    expect(out).toBe(SIMPLIFIED);
  });
});
