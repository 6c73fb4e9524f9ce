import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { flatten } from '../../src/builder/tree.ts';
import type { HostTensor } from '../../src/ir/index.ts';
import { ARTIFACT_DIR, bundleWeb, PAGE_DIR } from '../../examples/browser/bundle.ts';
import { ARTIFACT, CHECKS } from '../../examples/browser/checks.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';
import { decodeSafetensors } from '../../runtime/index.ts';
import type { PageResults } from '../../examples/browser/main.ts';
import { serveStatic, type StaticServer } from '../../examples/browser/serve.ts';
import { initialParams, STEPS, trainingData, trainStep } from '../../examples/browser/train.ts';
import { maxRelError } from '../helpers/compare.ts';

/** Debian's chromium (.ci/run installs it); DESIGN.md: headless WebGPU needs only this flag, on SwiftShader. */
const CHROMIUM = '/usr/lib/chromium/chromium';
const TOLERANCE = 1e-4;

let browser: Browser;
let server: StaticServer;
let results: PageResults;
const logs: string[] = [];
const shots = mkdtempSync(join(tmpdir(), 'axonic-browser-'));

beforeAll(async () => {
  await bundleWeb();
  server = await serveStatic(PAGE_DIR);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--enable-unsafe-webgpu'], headless: true });
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { axonic?: PageResults }).axonic?.state !== 'running', undefined, { timeout: 300_000 });
  results = await page.evaluate(() => (window as unknown as { axonic: PageResults }).axonic);
  await page.screenshot({ path: join(shots, 'page.png'), fullPage: true });
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(shots, { recursive: true, force: true });
});

/** The check's inputs as the trace sees them: flat host tensors, in argument order. */
const flatInputs = (inputs: unknown[]): HostTensor[] => flatten<HostTensor>(inputs as ax.Tree<HostTensor>).leaves;

describe('the browser page, on Chromium headless with WebGPU', () => {
  test('ran on a WebGPU adapter (SwiftShader in Chromium) without errors', () => {
    expect(results.error, logs.join('\n')).toBeUndefined();
    expect(results.state).toBe('done');
    expect(results.backend).toBe('webgpu');
    expect(results.adapter).toMatch(/swiftshader/i);
    expect(logs.filter((l) => l.startsWith('page error'))).toEqual([]);
  });

  for (const c of CHECKS)
    test(`${c.name}: ${c.about}, within ${TOLERANCE} of the reference interpreter`, () => {
      const page = results.checks[c.name];
      expect(page, `the page computed no '${c.name}'`).toBeDefined();
      const inputs = c.inputs();
      const graph = ax.trace(c.fn, ...(inputs as ax.ArgTree[]));
      const expected = ax.evaluate(graph, flatInputs(inputs));
      expect(page.shapes).toEqual(expected.map((t) => t.shape));
      expected.forEach((t, i) => expect(maxRelError(page.values[i], t.data), `${c.name} output ${i}`).toBeLessThanOrEqual(TOLERANCE));
    });

  test(`artifact: ${ARTIFACT.about}, run through axonic/runtime, within ${TOLERANCE} of the reference interpreter`, () => {
    const page = results.checks.artifact;
    expect(page, 'the page ran no artifact').toBeDefined();
    const model = lowerModelFile(resolve(PAGE_DIR, ARTIFACT.model));
    const stored = decodeSafetensors(readFileSync(join(ARTIFACT_DIR, 'params.safetensors'))).tensors;
    const byName = new Map(stored.map((t) => [t.name, t.tensor]));
    const inputs = model.forward.inputs.map((p) => (p.kind === 'param' ? byName.get(p.name)! : ARTIFACT.input()));
    const expected = ax.evaluate(model.forward.graph, inputs);
    expect(page.shapes).toEqual(expected.map((t) => t.shape));
    expected.forEach((t, i) => expect(maxRelError(page.values[i], t.data), `artifact output ${i}`).toBeLessThanOrEqual(TOLERANCE));
  });

  test(`training: the loss of each of ${STEPS} steps matches the reference's, and falls`, async () => {
    const cpu: ax.Backend = { kind: 'cpu', reason: 'the reference interpreter, for the browser test' };
    const step = ax.jit(trainStep, { backend: cpu });
    const { x, y } = trainingData();
    let params: unknown = initialParams();
    const losses: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const out = (await step(params as never, x, y)) as unknown as { loss: ax.DeviceArray; params: unknown };
      losses.push((await out.loss.data())[0]);
      params = out.params;
    }
    expect(results.losses).toHaveLength(STEPS);
    expect(maxRelError(results.losses, losses)).toBeLessThanOrEqual(TOLERANCE);
    expect(results.losses.at(-1)!).toBeLessThan(results.losses[0] / 10);
  });

  test('the page renders (a screenshot is a PNG)', () => {
    const png = readFileSync(join(shots, 'page.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
