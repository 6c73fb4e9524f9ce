/**
 * `npm run build:web`: the library bundled for the web with esbuild (examples/browser/dist/axonic.js
 * and runtime.js, sharing one chunk, so `axonic` and `axonic/runtime` share one device), the
 * page, which imports the library by name, and the AOT artifact of tiny.axon that the page runs
 * (with its forward graph as text IR, for the page's own check). `npm run browser` also serves it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { printGraph } from '../../src/ir/index.ts';
import { buildArtifact, writeArtifact } from '../../src/lang/artifact.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';
import { ARTIFACT } from './checks.ts';
import { serveStatic } from './serve.ts';

export const PAGE_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(PAGE_DIR, '../..');
const OUT = resolve(PAGE_DIR, 'dist');

const common: esbuild.BuildOptions = {
  absWorkingDir: ROOT,
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
};

/** The page's imports of the library's sources become imports of the library bundle, by name. */
const libraryByName: esbuild.Plugin = {
  name: 'axonic-by-name',
  setup(build) {
    build.onResolve({ filter: /\/(src|runtime)\/index\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (path === resolve(ROOT, 'src/index.ts')) return { path: 'axonic', external: true };
      if (path === resolve(ROOT, 'runtime/index.ts')) return { path: 'axonic/runtime', external: true };
      return undefined;
    });
  },
};

/** Where the page finds the artifact (as `axonic compile` would write it) and the forward graph's text IR. */
export const ARTIFACT_DIR = join(OUT, 'artifact');
export const FORWARD_IR = join(OUT, 'artifact-forward.ir');

export async function bundleWeb(): Promise<void> {
  await esbuild.build({ ...common, entryPoints: { axonic: 'src/index.ts', runtime: 'runtime/index.ts' }, splitting: true });
  await esbuild.build({ ...common, entryPoints: { page: 'examples/browser/main.ts' }, plugins: [libraryByName] });
  const model = lowerModelFile(resolve(PAGE_DIR, ARTIFACT.model));
  await writeArtifact(ARTIFACT_DIR, await buildArtifact(model));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(FORWARD_IR, printGraph(model.forward.graph, { locations: false }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleWeb();
  console.log(`bundled into ${OUT}`);
  if (process.argv.includes('--serve')) {
    const server = await serveStatic(PAGE_DIR, 8080);
    console.log(`serving the page at ${server.url} (Chromium: --enable-unsafe-webgpu; Ctrl-C stops)`);
  }
}
