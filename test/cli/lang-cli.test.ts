import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostTensor, parseGraph, printGraph } from '../../src/ir/index.ts';
import { decodeNpy, encodeNpy } from '../../runtime/npy.ts';
import { decodeSafetensors, encodeSafetensors } from '../../runtime/safetensors.ts';
import { gpuBackend } from '../helpers/gpu.ts';

/** The CLI on model files, as users run it: `node bin/axonic.mjs ...` in a child process, from a scratch folder. */
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'axonic-lang-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function axonic(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() };
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, 'bin/axonic.mjs'), ...args], { cwd: dir, env }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Dawn prints adapter warnings on stderr; they are not axonic's. */
const ours = (stderr: string) => stderr.split('\n').filter((l) => l && !l.startsWith('Warning: ')).join('\n');
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);

const XOR = readFileSync(join(ROOT, 'examples/models/xor.axon'), 'utf8');
const START = [['a.w', [2, 1], [1.56, 1.45]], ['a.b', [1, 1], [-1.69]], ['b.w', [3, 1], [1.44, 1.52, 1.54]], ['b.b', [1, 1], [-1.38]]] as const;

beforeAll(async () => {
  await gpuBackend();
  file('xor.axon', XOR);
  writeFileSync(join(dir, 'start.safetensors'), encodeSafetensors(START.map(([name, shape, v]) => ({ name, tensor: hostTensor('f32', shape, v) }))));
  writeFileSync(join(dir, 'x.npy'), encodeNpy(hostTensor('i32', [4, 2], [0, 0, 0, 1, 1, 0, 1, 1])));
});

describe('axonic check', () => {
  test('prints what it inferred and exits 0', async () => {
    const r = await axonic('check', 'xor.axon');
    expect([r.code, ours(r.stderr)]).toEqual([0, '']);
    expect(r.stdout).toBe(
      [
        'xor.axon: ok',
        '  model Xor: forward(x: i32[N,2]) -> f32[N,1]',
        '    parameters: a.w f32[2,1], a.b f32[1,1], b.w f32[3,1], b.b f32[1,1] (7 values)',
        '    train: 100 steps of gd(lr = 0.1) by bp; data x: i32[4,2], y: i32[4,1]',
        '',
      ].join('\n'),
    );
  });

  test('a syntax error: exit 1, file:line:col, the line and a caret', async () => {
    const r = await axonic('check', file('bad.axon', XOR.replace('axis = -1))', 'axis = -1)')));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(ours(r.stderr)).toBe(
      [
        "bad.axon:8:1: error: expected ')', found '}'",
        ' 8 | }',
        '   | ^',
        "bad.axon:7:41: note: to close this '('",
        ' 7 |   forward(x: i32[N, 2]) -> f32[N, 1] = b(concat([x, a(x)], axis = -1)',
        '   |                                         ^',
      ].join('\n'),
    );
  });

  test('a shape error: exit 1, located at the call', async () => {
    const r = await axonic('check', file('shape.axon', XOR.replace('concat([x, a(x)], axis = -1)', 'concat([x, a(x)], axis = 0)')));
    expect(r.code).toBe(1);
    expect(ours(r.stderr)).toBe(
      [
        'shape.axon:7:42: error: concatenate: cannot join along symbolic axis 0 (N) (operands: f32[N,2], f32[N,1])',
        ' 7 |   forward(x: i32[N, 2]) -> f32[N, 1] = b(concat([x, a(x)], axis = 0))',
        '   |                                          ^^^^^^',
      ].join('\n'),
    );
  });
});

describe('axonic compile, run and train', () => {
  test('compile writes the artifact, byte for byte the same twice', async () => {
    const a = await axonic('compile', 'xor.axon', '-o', 'out1');
    const b = await axonic('compile', 'xor.axon', '-o', 'out2', '--params', 'start.safetensors');
    const c = await axonic('compile', 'xor.axon', '-o', 'out3', '--params', 'start.safetensors');
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    expect(a.stdout).toBe('wrote out1: model Xor, schedules forward, backward, train_step (11 kernels), 4 parameters (7 values)\n');
    const files = (d: string): string[] => readdirSync(join(dir, d), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(join(dir, d).length + 1)).sort();
    expect(files('out2')).toEqual(files('out3'));
    expect(files('out2')).toContain('manifest.json');
    for (const f of files('out2')) expect(readFileSync(join(dir, 'out3', f)).equals(readFileSync(join(dir, 'out2', f))), f).toBe(true);
    expect(decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'out2/params.safetensors')))).tensors.map((t) => t.name)).toEqual(['a.w', 'a.b', 'b.w', 'b.b']);
  });

  test('run: an artifact on inline JSON, a model file on .npy with --json and --output', async () => {
    const r = await axonic('run', 'out2', '--input', 'x=[[0,0],[0,1],[1,0],[1,1]]');
    expect([r.code, ours(r.stderr)]).toEqual([0, '']);
    expect(r.stdout).toBe('out: f32[4,1] = [[0], [1], [1], [1]]\n');
    const j = await axonic('run', 'xor.axon', '--params', 'start.safetensors', '-i', 'x=x.npy', '--json', '-o', 'out.npy');
    expect(j.stdout).toBe('{"out":[[0],[1],[1],[1]]}\n');
    expect(Array.from(decodeNpy(new Uint8Array(readFileSync(join(dir, 'out.npy')))).data)).toEqual([0, 1, 1, 1]);
  });

  test('run without its input is a usage error (exit 2) naming it', async () => {
    const r = await axonic('run', 'out1');
    expect(r.code).toBe(2);
    expect(ours(r.stderr)).toBe('axonic: forward needs --input x=VALUE (i32[N,2])');
  });

  test('train prints the loss of every epoch, writes checkpoints and the trained artifact', async () => {
    const r = await axonic('train', 'xor.axon', '--params', 'start.safetensors', '-o', 'trained', '--checkpoint-every', '50');
    expect([r.code, ours(r.stderr)]).toEqual([0, '']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^training Xor on WebGPU on .*: 100 steps of gd\(lr = 0\.1\), 1 per epoch$/);
    expect(lines[1]).toBe('epoch   1/100  loss 0.25');
    expect(lines.slice(-2)).toEqual(['epoch 100/100  loss 0', 'wrote trained (the trained parameters in params.safetensors)']);
    expect(readdirSync(join(dir, 'trained/checkpoints'))).toEqual(['epoch-050.safetensors', 'epoch-100.safetensors']);
    const after = await axonic('run', 'trained', '-i', 'x=[[0,0],[0,1],[1,0],[1,1]]');
    expect(after.stdout).toBe('out: f32[4,1] = [[0], [1], [1], [0]]\n');
  });
});

describe('axonic ir and dot on model files', () => {
  test('ir prints the lowered IR with locations into the model file; --after and --all run the passes', async () => {
    const r = await axonic('ir', 'xor.axon');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^func @main\(%0: f32\[2,1\], %1: f32\[1,1\], %2: f32\[3,1\], %3: f32\[1,1\], %4: i32\[N,2\]\) -> \(f32\[N,1\]\) \{/);
    expect(r.stdout).toContain('@xor.axon:7:53');
    expect(printGraph(parseGraph(r.stdout))).toBe(r.stdout);
    const fused = await axonic('ir', 'xor.axon', '--schedule', 'train_step', '--all');
    expect(fused.code).toBe(0);
    expect(fused.stdout.split('\n').filter((l) => l.startsWith('// after ')).map((l) => l.slice(9))).toEqual([
      'verify', 'inline-custom-vjp', 'cond-to-select', 'simplify', 'split-wide', 'guard-while', 'fuse', 'donate-inputs', 'merge-dispatches', 'plan-memory', 'emit-wgsl',
    ]);
    const plan = await axonic('ir', 'xor.axon', '--after', 'fuse');
    expect(plan.stdout).toMatch(/^program @main dims \[N\]/);
  });

  test('dot prints Graphviz of the graph and, with --plan, of the kernels', async () => {
    const g = await axonic('dot', 'xor.axon');
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/^digraph "main" \{/);
    expect(g.stdout).toContain('label="a.w\\n%0: f32[2,1]"');
    expect(g.stdout).toContain('subgraph cluster_');
    const p = await axonic('dot', 'xor.axon', '--plan');
    expect(p.stdout).toMatch(/^digraph "main" \{/);
    expect(p.stdout).toMatch(/k0 \[shape="box", .*label="dot_general\+add/);
    expect(p.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  test('usage errors exit 2: a missing option, an unknown schedule', async () => {
    const a = await axonic('compile', 'xor.axon');
    expect(a.code).toBe(2);
    expect(ours(a.stderr)).toMatch(/required option '-o, --output <dir>' not specified/);
    const b = await axonic('ir', 'xor.axon', '--schedule', 'sideways');
    expect(b.code).toBe(2);
    expect(ours(b.stderr)).toBe("axonic: Xor has no schedule 'sideways' (it has forward, backward, train_step)");
    expect(existsSync(join(dir, 'sideways'))).toBe(false);
  });

  test('--help on every subcommand', async () => {
    for (const cmd of ['compile', 'check', 'ir', 'dot', 'run', 'train']) {
      const r = await axonic(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: axonic ${cmd} \\[options\\]`));
    }
  });
});
