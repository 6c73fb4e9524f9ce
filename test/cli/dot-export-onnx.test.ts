import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { graphToDot } from '../../src/viz/graph-dot.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';
import { decodeModel } from '../../src/onnx/index.ts';
import { maxRelError } from '../helpers/compare.ts';
import { values } from '../onnx/cases.ts';
import { ortSession, runOrt } from '../onnx/run-ort.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL_FILE = join(ROOT, 'examples/browser/tiny.axon');
const dir = mkdtempSync(join(tmpdir(), 'axonic-dot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function axonic(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, ['bin/axonic.mjs', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );
}

/** Debian's graphviz renders the DOT text; the SVG it writes is returned. */
function render(dotText: string): string {
  return execFileSync('dot', ['-Tsvg'], { input: dotText, encoding: 'utf8' });
}

type T = ax.Tensor;

describe('axonic dot', () => {
  test('draws a graph with values, ops and types, and a loop body as a cluster; graphviz renders it', async () => {
    const r = await axonic('dot', '--example', 'relax');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digraph "main" \{/);
    expect(r.stdout).toContain('label="loop\\n[trips=10, carried=1]"');
    expect(r.stdout).toContain('label="%0: f32[N,64]"');
    expect(r.stdout).toMatch(/subgraph cluster_0 \{\n\s+label="loop body"/);
    const svg = render(r.stdout);
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>/);
    expect(svg).toContain('loop body');
    expect(svg).toContain('dot_general');
  });

  test('--plan -o draws the fused kernel plan: kernels, buffers and the loop', async () => {
    const file = join(dir, 'relax-plan.dot');
    const r = await axonic('dot', '--example', 'relax', '--plan', '-o', file);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('loop 10 times');
    expect(text).toMatch(/label="dot_general\+add\+tanh[^"]*\\ncontract m \[N\] n \[64\] k \[64\]/);
    expect(text).toContain('label="b0: f32[N,64]\\ninput 0"');
    const svg = render(text);
    expect(svg).toContain('loop 10 times');
  });

  test('draws a model file (.axon): its forward pass, inputs labelled with their names', async () => {
    const r = await axonic('dot', MODEL_FILE);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('label="hidden.weights\\n%0: f32[4,16]"');
    expect(render(r.stdout)).toContain('hidden.weights');
  });

  test('custom_vjp and cond regions are clusters, one per region', () => {
    const ste = ax.customVjp((x: T) => ax.sign(x), (_x, _y, g) => g);
    const graph = ax.trace((x: T) => ax.cond(x.sum().gt(0), (v: T) => ste(v), (v: T) => v.neg(), x), ax.spec('f32', [3]));
    const text = graphToDot(graph);
    for (const label of ['cond then', 'cond else', 'custom_vjp fwd', 'custom_vjp bwd']) expect(text).toContain(`label="${label}"`);
    expect(render(text)).toContain('custom_vjp fwd');
  });
});

describe('axonic export-onnx', () => {
  test('writes a model that ONNX Runtime loads (and checks)', async () => {
    const file = join(dir, 'mlp.onnx');
    const r = await axonic('export-onnx', '--example', 'mlp', '-o', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*mlp\.onnx: ONNX opset 18, inputs input_0, .*input_4, outputs output_0/);
    expect(existsSync(file)).toBe(true);
    const session = await ortSession(readFileSync(file));
    expect(session.inputNames).toEqual(['input_0', 'input_1', 'input_2', 'input_3', 'input_4']);
  });

  test("a model file exports its forward pass, parameters as initializers, and agrees with axonic's reference", async () => {
    const file = join(dir, 'tiny.onnx');
    const r = await axonic('export-onnx', MODEL_FILE, '-o', file);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(file);
    const { graph } = decodeModel(bytes);
    expect(graph.initializer.map((t) => t.name)).toEqual(['hidden.weights', 'hidden.bias', 'out.weights', 'out.bias']);
    expect(graph.input.map((i) => i.name)).toEqual(['x']);
    const model = lowerModelFile(MODEL_FILE);
    const x = values('f32', [6, 4], 40);
    const [expected] = ax.evaluate(model.forward.graph, [...model.initialParams(), x]);
    const [actual] = await runOrt(await ortSession(bytes), [x]);
    expect(maxRelError(actual.data, expected.data)).toBeLessThanOrEqual(1e-5);
  });

  test('without -o it is a usage error that names the option', async () => {
    const r = await axonic('export-onnx', '--example', 'mlp');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '-o, --output <file>' not specified/);
  });
});
