import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseGraph, printGraph } from '../../src/ir/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/** The CLI as users run it: `node bin/axonic.mjs ...` in a child process, from the repository root. */
const ROOT = resolve(import.meta.dirname, '../..');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function axonic(...args: string[]): Promise<CliResult> {
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() };
  return new Promise((done) => {
    execFile(process.execPath, ['bin/axonic.mjs', ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'axonic-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SUM_ROWS = `func @main(%0: f32[N,3], %1: f32[3]) -> (f32[N]) {
  %2: f32[N,3] = add %0, %1
  %3: f32[N] = reduce_sum[axes=[1], keepdims=false] %2
  return %3
}
`;

describe('axonic ir', () => {
  test('prints the default example as IR that parses back and prints identically', async () => {
    const r = await axonic('ir');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('func @main(')).toBe(true);
    const graph = parseGraph(r.stdout);
    expect(printGraph(graph).trimEnd()).toBe(r.stdout.trimEnd());
    expect(graph.inputs.length).toBeGreaterThan(0);
  });

  test('--list names the built-in examples', async () => {
    const r = await axonic('ir', '--list');
    expect(r.code, r.stderr).toBe(0);
    const names = r.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(expect.arrayContaining(['mlp', 'linreg', 'relax']));
  });

  test('--example relax --passes verify,split-wide,lower prints a kernel plan with the loop', async () => {
    const r = await axonic('ir', '--example', 'relax', '--passes', 'verify,split-wide,lower');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^program @main/);
    expect(r.stdout).toMatch(/loop 10 times/);
    expect(r.stdout).toMatch(/kernel dot_general/);
    expect(r.stdout).not.toMatch(/func @main/);
  });

  test('FILE: parses, verifies and prints a hand-written .ir file; --wgsl prints its kernels', async () => {
    const file = join(dir, 'sum-rows.ir');
    writeFileSync(file, SUM_ROWS);
    const r = await axonic('ir', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(SUM_ROWS);
    const wgsl = await axonic('ir', file, '--wgsl');
    expect(wgsl.code, wgsl.stderr).toBe(0);
    expect(wgsl.stdout).toMatch(/@compute @workgroup_size/);
    expect(wgsl.stdout).toMatch(/var<uniform> sizes: Sizes/);
  });

  test('a malformed file exits non-zero with file:line:col and a caret under the offending token', async () => {
    const file = join(dir, 'bad.ir');
    const text = SUM_ROWS.replace('= add', '= frobnicate');
    writeFileSync(file, text);
    const r = await axonic('ir', file);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const line = text.split('\n')[1];
    const col = line.indexOf('frobnicate') + 1;
    expect(r.stderr).toContain(`${file}:2:${col}:`);
    expect(r.stderr).toMatch(/unknown op 'frobnicate'/);
    const lines = r.stderr.split('\n');
    const quoted = lines.findIndex((l) => l.includes('frobnicate %0'));
    expect(quoted).toBeGreaterThan(-1);
    expect(lines[quoted + 1].trimEnd().endsWith('^')).toBe(true);
    expect(lines[quoted + 1].indexOf('^')).toBe(lines[quoted].indexOf('frobnicate'));
  });

  test('a missing file exits 1 with one line naming the file, not a stack', async () => {
    const missing = join(dir, 'missing.ir');
    const r = await axonic('ir', missing);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`axonic: cannot read ${missing}: no such file (give the path of a text IR file, or --example NAME)\n`);
  });

  test('--example nope exits 2 and names the examples', async () => {
    const r = await axonic('ir', '--example', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no example 'nope'/);
    expect(r.stderr).toMatch(/mlp/);
  });
});

describe('axonic info and usage', () => {
  test('info prints the adapter and the limits codegen reads', async () => {
    const backend = await gpuBackend();
    const r = await axonic('info');
    expect(r.code, r.stderr).toBe(0);
    const [first, ...rest] = r.stdout.trim().split('\n');
    expect(first).toBe(`WebGPU on ${backend.adapterName}`);
    for (const [k, v] of Object.entries(backend.limits)) expect(rest).toContain(`  ${k}: ${v}`);
  });

  test('an unknown command exits 2 with the usage on stderr', async () => {
    const r = await axonic('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stderr).toMatch(/Usage: axonic <command>/);
  });
});
