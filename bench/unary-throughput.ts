/**
 * Throughput of the WGSL spellings of elementwise functions: a kernel applying one function to
 * 2^22 f32 elements, timed from submit to onSubmittedWorkDone, best of several runs. A copy
 * kernel gives the memory-bound floor. On lavapipe the shaders run on this process's threads, so
 * the process's CPU time over the same window is printed too: on a loaded machine it is much
 * steadier than the wall time. Compare spellings within one run.
 *
 *   npx tsx bench/unary-throughput.ts [op ...]     (default: tanh exp log log1p expm1 logistic erf)
 */
import { helperSources } from '../passes/wgsl/helpers.ts';
import { unarySpelling } from '../passes/wgsl/operators.ts';
import { describeBackend, getBackend } from '../runtime/index.ts';
import type { UnaryOp } from '../src/ir/index.ts';

const N = 1 << 22;
const WORKGROUP = 256;
const RUNS = 7;

/** Arguments in the range each function is usually fed (uniform, seeded, the same every run). */
const RANGE: Record<string, [number, number]> = { log: [1e-3, 8], log1p: [-0.9, 8], exp: [-20, 20], expm1: [-4, 4] };

function kernel(op: UnaryOp | 'copy'): string {
  const s = op === 'copy' ? { text: 'v', helpers: [] } : unarySpelling(op, 'v', 'f32');
  return [
    'struct Sizes { ax_zero: u32, }',
    '@group(0) @binding(0) var<uniform> sizes: Sizes;',
    '@group(0) @binding(1) var<storage, read> xs: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> ys: array<f32>;',
    ...helperSources(s.helpers),
    `@compute @workgroup_size(${WORKGROUP}) fn main(@builtin(global_invocation_id) g: vec3<u32>) {`,
    '  let v = xs[g.x];',
    `  ys[g.x] = ${s.text};`,
    '}',
  ].join('\n');
}

function inputs(op: string): Float32Array<ArrayBuffer> {
  const [lo, hi] = RANGE[op] ?? [-4, 4];
  const xs = new Float32Array(N);
  let seed = 12345;
  for (let i = 0; i < N; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    xs[i] = lo + ((seed >>> 8) / 2 ** 24) * (hi - lo);
  }
  return xs;
}

async function main(): Promise<void> {
  const backend = await getBackend();
  if (backend.kind !== 'webgpu') throw new Error(`needs WebGPU: ${describeBackend(backend)}`);
  const device = backend.device;
  console.log(`${describeBackend(backend)}, ${N} elements, best of ${RUNS}`);
  const ops = process.argv.length > 2 ? process.argv.slice(2) : ['copy', 'tanh', 'exp', 'log', 'log1p', 'expm1', 'logistic', 'erf'];
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const sizes = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(sizes, 0, new Uint32Array(4));
  const xs = device.createBuffer({ size: N * 4, usage });
  const ys = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE });
  // An explicit layout: 'auto' would drop the uniform from kernels that do not read it.
  const entryLayout = (type: GPUBufferBindingType, binding: number) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
  const bindLayout = device.createBindGroupLayout({
    entries: [entryLayout('uniform', 0), entryLayout('read-only-storage', 1), entryLayout('storage', 2)],
  });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bindLayout] });
  for (const op of ops) {
    device.queue.writeBuffer(xs, 0, inputs(op));
    const module = device.createShaderModule({ code: kernel(op as UnaryOp | 'copy') });
    device.pushErrorScope('validation');
    const pipeline = await device.createComputePipelineAsync({ layout, compute: { module, entryPoint: 'main' } });
    const bind = device.createBindGroup({
      layout: bindLayout,
      entries: [sizes, xs, ys].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const once = async () => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(N / WORKGROUP);
      pass.end();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      const c = process.cpuUsage(c0);
      return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1e3 };
    };
    await once();
    const error = await device.popErrorScope();
    if (error) throw new Error(`${op}: ${error.message}`);
    let wall = Infinity;
    let cpu = Infinity;
    for (let r = 0; r < RUNS; r++) {
      const t = await once();
      wall = Math.min(wall, t.wall);
      cpu = Math.min(cpu, t.cpu);
    }
    const ns = (ms: number) => ((ms * 1e6) / N).toFixed(2).padStart(6);
    console.log(`${op.padEnd(9)} ${ns(wall)} ns/element wall, ${ns(cpu)} ns/element CPU`);
  }
  device.destroy();
}

await main();
