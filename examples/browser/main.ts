/**
 * The browser page: trains a small MLP with the builder API on navigator.gpu, drawing the loss
 * as it falls, then runs the checks (a jit function, a grad, a 50-step loop, an AOT artifact
 * through axonic/runtime) and shows their numbers. Everything it computes is left on `window.axonic` for the test to compare with the
 * reference interpreter.
 */
import * as ax from '../../src/index.ts';
import { ArtifactModel, loadArtifact, type ArtifactSource } from '../../runtime/index.ts';
import { drawLossChart } from './chart.ts';
import { ARTIFACT, CHECKS } from './checks.ts';
import { initialParams, STEPS, trainingData, trainStep, type Params } from './train.ts';

export interface PageResults {
  state: 'running' | 'done' | 'failed';
  backend?: string;
  adapter?: string;
  losses: number[];
  checks: Record<string, { shapes: number[][]; values: number[][]; ms: number }>;
  trainMs?: number;
  error?: string;
}

const results: PageResults = { state: 'running', losses: [], checks: {} };
(window as unknown as { axonic: PageResults }).axonic = results;

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;
const show = (id: string, text: string) => ($(id).textContent = text);

async function train(): Promise<void> {
  const step = ax.jit(trainStep);
  const { x, y } = trainingData();
  let params: Params | ReturnType<typeof initialParams> = initialParams();
  const canvas = $<HTMLCanvasElement>('chart');
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const out = (await step(params as never, x, y)) as unknown as { loss: ax.DeviceArray; params: Params };
    const [loss] = await out.loss.data();
    results.losses.push(loss);
    params = out.params;
    drawLossChart(canvas, results.losses, STEPS);
    show('train-status', `step ${i + 1} of ${STEPS}: loss ${loss.toExponential(3)}`);
  }
  results.trainMs = performance.now() - started;
  show('train-status', `${STEPS} steps in ${(results.trainMs / 1000).toFixed(1)} s: loss ${results.losses[0].toFixed(4)} → ${results.losses.at(-1)!.toExponential(3)}`);
}

/** max |a − e| / max |e|. */
function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / (scale || 1);
}

async function runChecks(): Promise<void> {
  const rows = $('checks');
  for (const c of CHECKS) {
    const started = performance.now();
    const out = await ax.jit(c.fn)(...(c.inputs() as never[]));
    const leaves = ax.treeLeaves(out as ax.Tree<ax.DeviceArray>);
    const values = await Promise.all(leaves.map(async (l) => Array.from(await l.data())));
    const ms = performance.now() - started;
    results.checks[c.name] = { shapes: leaves.map((l) => [...l.shape]), values, ms };
    // The page's own comparison with the float64 reference interpreter, which runs here too.
    const inputs = c.inputs();
    const reference = ax.evaluate(ax.trace(c.fn, ...(inputs as ax.ArgTree[])), ax.treeLeaves(inputs as ax.Tree<ax.HostTensor>));
    const error = Math.max(...reference.map((r, i) => scaledError(values[i], r.data)));
    const row = document.createElement('tr');
    const first = values[0].slice(0, 3).map((v) => v.toPrecision(5)).join(', ');
    const cells = [c.name, c.about, leaves.map((l) => `f32[${l.shape}]`).join(' '), `${first}, …`, `${error.toExponential(1)} from f64`, `${ms.toFixed(0)} ms`];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    rows.append(row);
  }
}

/** An artifact's files over HTTP, relative to `base`. */
function fetched(base: URL): ArtifactSource {
  return {
    where: base.pathname,
    read: async (path) => {
      const response = await fetch(new URL(path, base));
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/**
 * The AOT artifact through axonic/runtime alone: load (manifest, WGSL, safetensors, all checked),
 * run the forward schedule, and compare with the reference interpreter on the forward graph's text IR.
 */
async function runArtifact(): Promise<void> {
  const started = performance.now();
  const artifact = await loadArtifact(fetched(new URL('./dist/artifact/', location.href)));
  const model = await ArtifactModel.create(artifact);
  const x = ARTIFACT.input();
  const outputs = await model.run('forward', { x });
  const names = Object.keys(outputs);
  const values = await Promise.all(names.map(async (n) => Array.from(await outputs[n].data())));
  const ms = performance.now() - started;
  results.checks.artifact = { shapes: names.map((n) => [...outputs[n].shape]), values, ms };
  const graph = ax.parseGraph(await (await fetch('./dist/artifact-forward.ir')).text());
  const byName = new Map(artifact.params.map((p) => [p.name, p.tensor]));
  const inputs = artifact.manifest.schedules.forward.inputs.map((p) => (p.role === 'param' ? byName.get(p.name)! : x));
  const reference = ax.evaluate(graph, inputs);
  const error = Math.max(...reference.map((r, i) => scaledError(values[i], r.data)));
  const kernels = artifact.manifest.schedules.forward.program.kernels.length;
  show('artifact', `${artifact.manifest.model} from ${artifact.manifest.source} (${kernels} WGSL kernels, ${artifact.params.length} parameters): ` +
    `out f32[${outputs[names[0]].shape}] = ${values[0].slice(0, 3).map((v) => v.toPrecision(5)).join(', ')}, …; ${error.toExponential(1)} from f64; ${ms.toFixed(0)} ms`);
}

async function main(): Promise<void> {
  try {
    const backend = await ax.getBackend();
    results.backend = backend.kind;
    results.adapter = ax.describeBackend(backend);
    show('adapter', results.adapter);
    if (backend.kind !== 'webgpu') throw new Error('this browser offers no WebGPU adapter (Chromium: --enable-unsafe-webgpu)');
    await train();
    await runChecks();
    await runArtifact();
    results.state = 'done';
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    results.state = 'failed';
    show('error', results.error);
  }
  document.body.dataset.state = results.state;
}

void main();
