/**
 * One Dawn instance for all three libraries: `navigator.gpu` is set before any of them asks for
 * an adapter (axonic's runtime/device.ts, jax-js and tfjs-backend-webgpu all read it), and the
 * counters wrap Dawn's prototypes before anything is dispatched.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, globals } from 'webgpu';
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import * as ax from '../src/index.ts';
import type { GpuBackend } from '../runtime/index.ts';
import { installCounters } from './counters.ts';

/** Dawn's GPU object must outlive every device made from it (runtime/device.ts says why): kept here. */
let dawn: GPU | undefined;

export interface Env {
  readonly adapter: string;
  /** axonic's backend (its device is used for the copy kernels too). */
  readonly axonic: GpuBackend;
  readonly jaxDevice: GPUDevice;
  readonly tfDevice: GPUDevice;
  /** Flushes tfjs-backend-webgpu's deferred command queue (it batches up to 15 dispatches). */
  readonly tfSubmit: () => void;
  /** Where tfjs's gradients came from. */
  readonly tfGradients: string;
  readonly versions: Record<string, string>;
}

export function setupDawn(): GPU {
  if (dawn) return dawn;
  if (!process.env.XDG_RUNTIME_DIR) {
    // Mesa warns without it; any private writable folder silences it.
    const dir = path.join(os.tmpdir(), `axonic-xdg-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  Object.assign(globalThis, globals);
  dawn = create([]);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: dawn, userAgent: `Node.js ${process.version}`, hardwareConcurrency: os.availableParallelism() },
    configurable: true,
    writable: true,
  });
  installCounters();
  return dawn;
}

const require = createRequire(import.meta.url);
/** A package's version, read from its package.json (some packages do not export that path). */
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

/**
 * tfjs-core's Node entry (dist/tf-core.node.js) registers no gradients, and its ES-module files
 * (dist/register_all_gradients.js) cannot be imported by Node directly (extensionless imports, and
 * `./gradients` names both a file and a folder). esbuild bundles them once into a temporary ES
 * module; importing it registers every gradient into tfjs's global registry (kernel and gradient
 * registries and the engine live on globalThis, so the bundled copy and the Node bundle share them).
 */
async function registerTfGradients(): Promise<string> {
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const out = path.join(os.tmpdir(), `axonic-bench-tfjs-core-${versionOf('@tensorflow/tfjs-core')}-gradients.mjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
  await import(pathToFileURL(out).href);
  return '@tensorflow/tfjs-core/dist/register_all_gradients.js (ES modules, bundled by esbuild at start)';
}

/** Acquires the three libraries' devices on the one Dawn instance. */
export async function setupLibraries(): Promise<Env> {
  setupDawn();
  const backend = await ax.getBackend();
  if (backend.kind !== 'webgpu') throw new Error(`axonic found no WebGPU adapter (${backend.reason})`);

  const jaxDevices = await jax.init('webgpu');
  if (!jaxDevices.includes('webgpu')) throw new Error(`jax-js found no WebGPU (devices: ${jaxDevices.join(', ')})`);
  jax.defaultDevice('webgpu');

  // tfjs-backend-webgpu registers itself at import when navigator.gpu exists: import it only now.
  await import('@tensorflow/tfjs-backend-webgpu');
  const tfGradients = await registerTfGradients();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
  await tf.ready();
  const tfBackend = tf.backend() as unknown as {
    device: GPUDevice;
    commandEncoder: GPUCommandEncoder | null;
    endComputePassEncoder(): void;
    submitQueue(): void;
  };

  return {
    adapter: backend.adapterName,
    axonic: backend,
    jaxDevice: jax.getWebGPUDevice(),
    tfDevice: tfBackend.device,
    // What tfjs does itself before a read (getBufferData): end the open pass, submit the encoder.
    tfSubmit: () => {
      if (!tfBackend.commandEncoder) return;
      tfBackend.endComputePassEncoder();
      tfBackend.submitQueue();
    },
    tfGradients,
    versions: {
      axonic: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
      '@jax-js/jax': versionOf('@jax-js/jax'),
      '@tensorflow/tfjs-core': versionOf('@tensorflow/tfjs-core'),
      '@tensorflow/tfjs-backend-webgpu': versionOf('@tensorflow/tfjs-backend-webgpu'),
      webgpu: versionOf('webgpu'),
      node: process.version,
    },
  };
}
