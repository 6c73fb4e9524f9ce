import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { hostTensor } from '../../src/ir/index.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const consumer = mkdtempSync(join(tmpdir(), 'axonic-consumer-'));
const installed = join(consumer, 'node_modules/axonic');
let packedFiles: string[] = [];

/** Plain node (no tsx), WebGPU required: the acceptance run of issue 12. */
const nodeEnv = { ...process.env, AXONIC_REQUIRE_WEBGPU: '1', NODE_OPTIONS: '' };

// The program a user runs in a fresh folder, and the same function traced here for the reference.
const USER_PROGRAM = `
import * as ax from 'axonic';
import { Executable } from 'axonic/runtime';
import { exportOnnx } from 'axonic/onnx';
const f = ax.jit((w, x) => ax.tanh(x.matmul(w)).sum(1));
const y = await f(ax.array([[0.5, -1], [2, 0.25], [-0.75, 1.5]]), ax.array([[1, 2, 3], [-1, 0.5, 2]]));
const backend = await ax.getBackend();
const onnx = await exportOnnx((x) => x.mul(2), [ax.spec('f32', ['N'])]);
console.log(JSON.stringify({ y: Array.from(await y.data()), backend: backend.kind, executable: typeof Executable, onnxBytes: onnx.length }));
`;
const userFunction = (w: ax.Tensor, x: ax.Tensor) => ax.tanh(x.matmul(w)).sum(1);

/** Every file under a folder, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

beforeAll(async () => {
  // npm pack runs `prepare` (npm run build), so the tarball holds a fresh dist/.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: ROOT, maxBuffer: 1 << 26 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packedFiles = info.files.map((f) => f.path);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The npm cache (filled by npm ci) serves the dependencies; the registry only for what it lacks.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(consumer, info.filename)], {
    cwd: consumer,
    maxBuffer: 1 << 26,
  });
}, 240_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the npm package, installed from its tarball into a fresh folder', () => {
  test('ships dist/ (ES modules, .d.ts, source maps) and no TypeScript sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/index.js.map', 'dist/runtime/index.js', 'dist/src/cli/bin.js']));
    const stray = packedFiles.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.startsWith('test/') || f.startsWith('dist/test/'));
    expect(stray).toEqual([]);
  });

  test('nothing it ships imports tsx, vitest or a test file, and Dawn is loaded only through a non-literal specifier', () => {
    const js = filesUnder(join(installed, 'dist')).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(100);
    for (const f of js) {
      const text = readFileSync(join(installed, 'dist', f), 'utf8');
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
      const bad = specifiers.filter((s) => /^(tsx|vitest)(\/|$)|\/test\/|^webgpu$/.test(s) || s.endsWith('.ts'));
      expect(bad, f).toEqual([]);
    }
  });

  test('plain node runs a jit program on WebGPU with the right numbers, and imports axonic/runtime and axonic/onnx', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', USER_PROGRAM], { cwd: consumer, env: nodeEnv });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { y: number[]; backend: string; executable: string; onnxBytes: number };
    expect(out.backend).toBe('webgpu');
    expect(out.executable).toBe('function');
    expect(out.onnxBytes).toBeGreaterThan(50);
    const graph = ax.trace(userFunction, ax.spec('f32', [3, 2]), ax.spec('f32', [2, 3]));
    const [expected] = ax.evaluate(graph, [
      hostTensor('f32', [3, 2], [0.5, -1, 2, 0.25, -0.75, 1.5]),
      hostTensor('f32', [2, 3], [1, 2, 3, -1, 0.5, 2]),
    ]);
    out.y.forEach((v, i) => expect(Math.abs(v - expected.data[i])).toBeLessThan(1e-5));
  });

  test('npx axonic --help and a command that compiles run on plain node', async () => {
    const help = await run('npx', ['--no-install', 'axonic', '--help'], { cwd: consumer, env: nodeEnv });
    expect(help.stdout).toMatch(/^usage: axonic <command>/i);
    expect(help.stdout).toMatch(/export-onnx/);
    const plan = await run('npx', ['--no-install', 'axonic', 'ir', '--example', 'relax', '--after', 'fuse'], { cwd: consumer, env: nodeEnv });
    expect(plan.stdout).toMatch(/loop 10 times/);
  });

  test('the model language and the artifact writer run from dist/ (the grammar ships beside it)', async () => {
    writeFileSync(join(consumer, 'tiny.axon'), 'model Tiny {\n  out = linear(2)\n  forward(x: f32[N, 3]) = out(x)\n}\n');
    const program = [
      "const { lowerModelFile } = await import('./node_modules/axonic/dist/src/lang/compile.js');",
      "const { buildArtifact } = await import('./node_modules/axonic/dist/src/lang/artifact.js');",
      "const files = await buildArtifact(lowerModelFile('tiny.axon'));",
      "console.log(JSON.parse(new TextDecoder().decode(files.get('manifest.json'))).generator);",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', program], { cwd: consumer, env: nodeEnv });
    expect(stdout.trim()).toBe(`axonic ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`);
  });

  test("its types serve a TypeScript user through the exports' types conditions", async () => {
    writeFileSync(
      join(consumer, 'use.ts'),
      "import * as ax from 'axonic';\nimport { Executable } from 'axonic/runtime';\nimport { exportOnnx } from 'axonic/onnx';\n" +
        "const f = ax.jit((x: ax.Tensor) => ax.tanh(x).sum());\nexport const y: Promise<ax.DeviceArray> = f(ax.array([1, 2]));\n" +
        'export const e: typeof Executable = Executable;\nexport const b: Promise<Uint8Array> = exportOnnx((x: ax.Tensor) => x, [ax.spec("f32", [2])]);\n' +
        // WebGPU's types come with the package (a reference to @webgpu/types in its .d.ts).
        "import type { GpuBackend } from 'axonic/runtime';\nexport const device = (g: GpuBackend): GPUDevice => g.device;\n",
    );
    // skipLibCheck, as most projects set it: the check is that the package's types resolve and type the user's code.
    const options = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts'];
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...options], { cwd: consumer });
  });

  test('a browser bundle of the installed package (axonic and axonic/runtime) leaves Dawn and node: modules out', async () => {
    writeFileSync(
      join(consumer, 'web.js'),
      "import * as ax from 'axonic';\nimport { loadArtifact } from 'axonic/runtime';\nexport const f = ax.jit((x) => x.mul(2));\nexport { loadArtifact };\n",
    );
    const result = await esbuild.build({ entryPoints: ['web.js'], absWorkingDir: consumer, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    const text = result.outputFiles[0].text;
    expect(text).not.toMatch(/from\s*["'](node:|webgpu)/);
    expect(text).not.toContain('dawn.node');
  });
});
