import type { MatmulTuning } from '../passes/wgsl/matmul-tuning.ts';

/**
 * Where measured matmul winners persist between processes: one JSON file, winners per adapter
 * name, in $AXONIC_CACHE_DIR (default $XDG_CACHE_HOME/axonic or ~/.cache/axonic). In a browser
 * (no file system) they live for the page only. A file that does not parse is ignored with a
 * warning and replaced on the next save: a cache is never worth failing a run for.
 */
interface CacheFile {
  readonly format: 'axonic-matmul-tuning';
  readonly adapters: Record<string, MatmulTuning>;
}

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

const memory = new Map<string, Record<string, MatmulTuning[string]>>();
let loaded = false;

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

async function nodeModules(): Promise<{ fs: Fs; path: Path } | undefined> {
  if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node) return undefined;
  try {
    const fs = (await import(/* @vite-ignore */ 'node:fs')) as Fs;
    const path = (await import(/* @vite-ignore */ 'node:path')) as Path;
    return { fs, path };
  } catch {
    return undefined;
  }
}

/** The cache file's path, or undefined where there is no file system. */
export async function tuningCachePath(): Promise<string | undefined> {
  const mods = await nodeModules();
  if (!mods) return undefined;
  const dir = env('AXONIC_CACHE_DIR') ?? mods.path.join(env('XDG_CACHE_HOME') ?? mods.path.join(env('HOME') ?? '.', '.cache'), 'axonic');
  return mods.path.join(dir, 'matmul-tuning.json');
}

async function load(): Promise<void> {
  if (loaded) return;
  loaded = true;
  const file = await tuningCachePath();
  const mods = await nodeModules();
  if (!file || !mods || !mods.fs.existsSync(file)) return;
  try {
    const parsed = JSON.parse(mods.fs.readFileSync(file, 'utf8')) as CacheFile;
    if (parsed.format !== 'axonic-matmul-tuning' || typeof parsed.adapters !== 'object' || parsed.adapters === null)
      throw new Error('not an axonic matmul tuning file');
    for (const [adapter, table] of Object.entries(parsed.adapters)) memory.set(adapter, { ...table });
  } catch (e) {
    console.warn(`axonic: ignoring the matmul tuning cache ${file} (${(e as Error).message}); it is rewritten after the next tuning`);
  }
}

/** The winners known for an adapter (from this process or the cache file). */
export async function tuningFor(adapter: string): Promise<MatmulTuning> {
  await load();
  return { ...(memory.get(adapter) ?? {}) };
}

/** Records winners for an adapter and writes the file (to a temporary name, then renamed). */
export async function recordTuning(adapter: string, entries: MatmulTuning): Promise<void> {
  await load();
  memory.set(adapter, { ...(memory.get(adapter) ?? {}), ...entries });
  const file = await tuningCachePath();
  const mods = await nodeModules();
  if (!file || !mods || env('AXONIC_TUNING_CACHE') === '0') return;
  const content: CacheFile = { format: 'axonic-matmul-tuning', adapters: Object.fromEntries(memory) };
  try {
    mods.fs.mkdirSync(mods.path.dirname(file), { recursive: true });
    const temp = `${file}.${(globalThis as { process?: { pid?: number } }).process?.pid ?? 0}.tmp`;
    mods.fs.writeFileSync(temp, JSON.stringify(content, null, 1));
    mods.fs.renameSync(temp, file);
  } catch (e) {
    console.warn(`axonic: could not write the matmul tuning cache ${file}: ${(e as Error).message}`);
  }
}

/** Forgets what this process loaded (tests point AXONIC_CACHE_DIR elsewhere, then reload). */
export function resetTuningCache(): void {
  memory.clear();
  loaded = false;
}
