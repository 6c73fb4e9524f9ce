/**
 * `npm run bench`: axonic against jax-js and TensorFlow.js (WebGPU backend) on one Dawn adapter,
 * in one process. Options:
 *   --workload W1,W3     which workloads (W1 matmul, W2 mlp, W3 elementwise, W4 relax; default all)
 *   --size 4096,2048     sizes for the one selected workload; with several, W1=4096 (repeatable)
 *                        (W1: n; W2: batch; W3: log2 of the element count, or the count)
 *   --reps 10            timed runs per library (the median is reported; at least 10 by default)
 *   --warmup 3           untimed runs per library first
 *   --autotune on|off    axonic measures matmul variants per shape class first (default on)
 *   --json FILE          also write the results as JSON
 *   --from FILE          print the tables of a saved JSON file, running nothing
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { formatHeader, formatResults, formatSummary, formatWorkload, summarize, type CaseResult, type Results } from './report.ts';
import { setupLibraries } from './setup.ts';
import { measureCase } from './timing.ts';
import { elementwise } from './workloads/elementwise.ts';
import { matmul } from './workloads/matmul.ts';
import { mlp } from './workloads/mlp.ts';
import { relax } from './workloads/relax.ts';
import type { Workload } from './workloads/types.ts';

const WORKLOADS: readonly Workload[] = [matmul, mlp, elementwise, relax];
const ALIASES: Record<string, string> = { matmul: 'W1', mlp: 'W2', elementwise: 'W3', relax: 'W4' };
const titles = Object.fromEntries(WORKLOADS.map((w) => [w.id, w.title]));

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const parse = () => parseArgs({
  options: {
    workload: { type: 'string', short: 'w' },
    size: { type: 'string', short: 's', multiple: true },
    reps: { type: 'string', short: 'r', default: '10' },
    warmup: { type: 'string', default: '3' },
    json: { type: 'string' },
    autotune: { type: 'string', default: 'on' },
    from: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
let values: ReturnType<typeof parse>['values'];
try {
  values = parse().values;
} catch (e) {
  fail(`${(e as Error).message} (--help lists the options)`);
}

if (values.help) {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  process.stdout.write(`${source.slice(source.indexOf('/**') + 4, source.indexOf(' */')).replace(/^ \* ?/gm, '')}\n`);
  process.exit(0);
}

if (values.from) {
  const saved = JSON.parse(readFileSync(values.from, 'utf8')) as Results;
  process.stdout.write(`${formatResults(saved, titles)}\n`);
  process.exit(0);
}

const selected = (values.workload ?? 'all')
  .split(',')
  .map((s) => s.trim())
  .flatMap((s) => (s.toLowerCase() === 'all' ? WORKLOADS.map((w) => w.id) : [ALIASES[s.toLowerCase()] ?? s.toUpperCase()]));
const workloads = WORKLOADS.filter((w) => selected.includes(w.id));
for (const s of selected) if (!WORKLOADS.some((w) => w.id === s)) fail(`unknown workload '${s}' (W1 matmul, W2 mlp, W3 elementwise, W4 relax)`);

const sizes = new Map<string, number[]>();
for (const item of values.size ?? []) {
  const m = /^(?:(\w+)=)?([\d,\s]+)$/.exec(item);
  if (!m) fail(`--size ${item}: expected numbers (4096,2048) or WORKLOAD=numbers (W1=4096)`);
  const id = m[1] ? (ALIASES[m[1].toLowerCase()] ?? m[1].toUpperCase()) : workloads.length === 1 ? workloads[0].id : undefined;
  if (!id) fail(`--size ${item}: several workloads are selected; say which, as W1=${m[2]}`);
  if (!workloads.some((w) => w.id === id)) fail(`--size ${item}: workload ${id} is not selected`);
  sizes.set(id, [...(sizes.get(id) ?? []), ...m[2].split(',').filter((s) => s.trim()).map(Number)]);
}

const reps = Number(values.reps);
const warmup = Number(values.warmup);
if (!Number.isInteger(reps) || reps < 1) fail(`--reps ${values.reps}: a positive integer`);
if (!Number.isInteger(warmup) || warmup < 0) fail(`--warmup ${values.warmup}: a non-negative integer`);

if (values.autotune !== 'on' && values.autotune !== 'off') fail(`--autotune ${values.autotune}: on or off`);
const autotune = values.autotune === 'on';
// Read by every ax.jit the workloads create (JitOptions.autotune's default).
process.env.AXONIC_AUTOTUNE = autotune ? '1' : '0';

const log = (line: string) => process.stderr.write(`${line}\n`);
const loadStart = os.loadavg();
const started = new Date().toISOString();
const env = await setupLibraries();
const cases: CaseResult[] = [];
const header = (): Results => ({
  date: started,
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  adapter: env.adapter,
  versions: env.versions,
  tfGradients: env.tfGradients,
  warmup,
  reps,
  autotune,
  load: { start: loadStart, end: os.loadavg() },
  cases,
});
process.stdout.write(`${formatHeader(header(), false)}\n`);

for (const w of workloads) {
  const done: CaseResult[] = [];
  for (const c of w.cases({ sizes: sizes.get(w.id) })) {
    log(`${w.id} ${c.size}…`);
    const result = summarize(c, await measureCase(c, env, { warmup, reps, log }));
    done.push(result);
    cases.push(result);
  }
  process.stdout.write(`\n### ${w.title}\n\n${formatWorkload(done)}\n`);
}

const results = header();
process.stdout.write(`\n### Summary (axonic/peer: above 1, axonic is faster)\n\n${formatSummary(results)}\n`);
process.stdout.write(`\nload average at end ${results.load.end.map((x) => x.toFixed(1)).join(' ')}\n`);
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(results, null, 1)}\n`);
  log(`results written to ${values.json}`);
}
// Dawn's threads can keep Node alive after the work is done.
process.exit(0);
