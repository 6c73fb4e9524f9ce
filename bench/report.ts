/**
 * Results: medians, the speed ratio axonic/peer (peer's median time ÷ axonic's: above 1, axonic is
 * faster), dispatches and submissions per run, and the float64 checks; printed as aligned
 * Markdown tables (readable in a terminal, pasteable into the README) and saved as JSON.
 */
import { median, type Measured } from './timing.ts';
import type { Case, Unit } from './workloads/types.ts';

export interface Row {
  readonly name: string;
  readonly medianMs: number;
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly ms: readonly number[];
  /** The case's metric at the median time. */
  readonly metric: number;
  /** axonic's speed over this row's (this row's median ms ÷ axonic's). */
  readonly speedup?: number;
  /** This row's rate over each reference row's (W3: the copy kernels). */
  readonly relative?: Readonly<Record<string, number>>;
  readonly dispatches?: readonly [number, number];
  readonly submits?: readonly [number, number];
  readonly err?: number;
  /** W2: max relative difference of its loss sequence from axonic's. */
  readonly agree?: number;
  readonly runs: number;
  readonly note?: string;
  readonly error?: string;
}

export interface CaseResult {
  readonly workload: string;
  readonly size: string;
  readonly unit: Unit;
  readonly checks: string;
  readonly rows: readonly Row[];
}

export interface Results {
  readonly date: string;
  readonly command: string;
  readonly adapter: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly tfGradients: string;
  readonly warmup: number;
  readonly reps: number;
  /** Whether axonic measured matmul variants per shape class first (jit autotune). */
  readonly autotune?: boolean;
  /** os.loadavg() at the start and the end: other work on the machine skews every row alike. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly cases: CaseResult[];
}

function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}

const range = (xs: readonly number[]): [number, number] | undefined =>
  xs.length ? [Math.min(...xs), Math.max(...xs)] : undefined;

/** The rows of one case, with ratios to axonic and to the reference rows. */
export function summarize(c: Case, measured: readonly Measured[]): CaseResult {
  const med = new Map(measured.map((m) => [m.name, median(m.ms)]));
  const axonicMs = [med.get('axonic')].find((x) => x !== undefined && Number.isFinite(x));
  const axonicLosses = measured.find((m) => m.name === 'axonic')?.check?.losses;
  const rows = measured.map((m): Row => {
    const ms = med.get(m.name)!;
    const relative: Record<string, number> = {};
    for (const ref of c.relativeTo ?? []) {
      const refMs = med.get(ref);
      if (refMs !== undefined && ref !== m.name) relative[ref] = refMs / ms;
    }
    let agree: number | undefined;
    const losses = m.check?.losses;
    if (losses && axonicLosses && m.name !== 'axonic') {
      agree = 0;
      const n = Math.min(losses.length, axonicLosses.length);
      for (let i = 0; i < n; i++) agree = Math.max(agree, Math.abs(losses[i] - axonicLosses[i]) / Math.abs(axonicLosses[i]));
      if (losses.length !== axonicLosses.length) agree = Infinity;
    }
    return {
      name: m.name,
      medianMs: ms,
      q1Ms: quantile(m.ms, 0.25),
      q3Ms: quantile(m.ms, 0.75),
      ms: m.ms,
      metric: c.metric(ms),
      speedup:
        axonicMs !== undefined && m.name !== 'axonic' && !c.relativeTo?.includes(m.name) && m.ms.length ? ms / axonicMs : undefined,
      relative: Object.keys(relative).length ? relative : undefined,
      dispatches: range(m.counts.map((k) => k.dispatches)),
      submits: range(m.counts.map((k) => k.submits)),
      err: m.check?.err,
      agree,
      runs: m.ms.length,
      note: m.note,
      error: m.error,
    };
  });
  return { workload: c.workload, size: c.size, unit: c.unit, checks: c.checks, rows };
}

const fixed = (x: number | undefined, digits: number): string =>
  x === undefined || !Number.isFinite(x) ? (x === undefined ? '' : String(x)) : x.toFixed(digits);
const sig = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sci = (x: number | undefined): string => (x === undefined ? '' : x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(1) : String(x));
const counted = (r: readonly [number, number] | undefined): string => (!r ? '' : r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`);

/** Pads Markdown table cells so the table lines up in a terminal. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** W2: the losses of the three libraries agree to this (relative). */
export const AGREE = 1e-5;
/** W3: axonic's rate relative to the plain f32 copy kernel that issue 8 asks for. */
export const COPY_FLOOR = 0.8;

/** W3's acceptance line for one size: one dispatch and at least 0.8× the f32 copy's rate. */
function acceptance(c: CaseResult): string | undefined {
  const ax = c.rows.find((r) => r.name === 'axonic');
  const vsCopy = ax?.relative?.['copy f32'];
  if (!ax || vsCopy === undefined) return undefined;
  const oneDispatch = ax.dispatches?.[0] === 1 && ax.dispatches[1] === 1;
  const pass = oneDispatch && vsCopy >= COPY_FLOOR;
  return `${c.size} ${pass ? 'met' : 'NOT met'} (${counted(ax.dispatches)} dispatch, ${vsCopy.toFixed(2)}×)`;
}

/** One Markdown table per workload (its cases as row groups). */
export function formatWorkload(cases: readonly CaseResult[]): string {
  if (cases.length === 0) return '';
  const unit = cases[0].unit;
  const refs = [...new Set(cases.flatMap((c) => c.rows.flatMap((r) => Object.keys(r.relative ?? {}))))];
  const hasAgree = cases.some((c) => c.rows.some((r) => r.agree !== undefined));
  const rate = unit !== 'ms'; // a time metric is the median column itself
  const header = [
    'size', 'library', 'median ms', 'IQR ms', ...(rate ? [unit] : []), 'axonic/peer',
    ...refs.map((r) => `÷ ${r}`), 'dispatches', 'submits', 'err vs f64', ...(hasAgree ? ['loss Δ vs axonic'] : []),
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const c of cases)
    for (const r of c.rows) {
      if (r.error) notes.push(`${c.workload} ${c.size} ${r.name}: ${r.error.replace(/\n/g, ' / ')}`);
      const ok = r.runs > 0;
      rows.push([
        c.size, r.name, ok ? sig(r.medianMs) : 'failed', ok ? `${sig(r.q1Ms)}–${sig(r.q3Ms)}` : '', ...(rate ? [ok ? sig(r.metric) : ''] : []),
        r.speedup === undefined ? '' : `${fixed(r.speedup, 2)}×`,
        ...refs.map((ref) => (r.relative?.[ref] === undefined ? '' : fixed(r.relative[ref], 2))),
        counted(r.dispatches), counted(r.submits), sci(r.err),
        ...(hasAgree ? [r.agree === undefined ? '' : `${sci(r.agree)}${r.agree <= AGREE ? '' : ' (> 1e-5)'}`] : []),
      ]);
    }
  const out = [table(header, rows)];
  out.push(`checks: ${cases[0].checks}`);
  const accept = cases.map(acceptance).filter((a) => a !== undefined);
  if (accept.length) out.push(`acceptance (axonic: one dispatch, ≥ ${COPY_FLOOR}× the f32 copy's rate): ${accept.join('; ')}`);
  const described = new Map<string, string>();
  for (const c of cases) for (const r of c.rows) if (r.note) described.set(r.name, r.note);
  for (const [name, note] of described) out.push(`${name}: ${note}`);
  out.push(...notes);
  return out.join('\n');
}

/** The run's header; `withEnd` adds the load average at the end (known only once it ran). */
export function formatHeader(r: Results, withEnd = true): string {
  const v = r.versions;
  return [
    `adapter: ${r.adapter}`,
    `versions: ${Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ')}`,
    `tfjs gradients: ${r.tfGradients}`,
    `timing: ${r.warmup} warm-up runs, then the median of ${r.reps} runs per library, interleaved; each run ends at onSubmittedWorkDone`,
    `axonic/peer: the peer's median time ÷ axonic's (above 1: axonic is faster)`,
    ...(r.autotune === undefined ? [] : [`axonic matmul autotune: ${r.autotune ? 'on (variants measured per shape class before the warm-up, winners cached)' : 'off (heuristic variants)'}`]),
    `load average at start ${r.load.start.map((x) => x.toFixed(1)).join(' ')}` +
      (withEnd ? `, at end ${r.load.end.map((x) => x.toFixed(1)).join(' ')}` : ''),
    `command: ${r.command}  (${r.date})`,
  ].join('\n');
}

export function formatResults(r: Results, titles: Readonly<Record<string, string>>): string {
  const parts = [formatHeader(r)];
  const ids = [...new Set(r.cases.map((c) => c.workload))];
  for (const id of ids) parts.push(`### ${titles[id] ?? id}\n\n${formatWorkload(r.cases.filter((c) => c.workload === id))}`);
  parts.push(`### Summary (axonic/peer: above 1, axonic is faster)\n\n${formatSummary(r)}`);
  return parts.join('\n\n');
}

const LIBRARIES = ['axonic', 'jax-js', 'tfjs'] as const;

/**
 * One row per case across all workloads: each library's rate (or time), axonic's speed ratio over
 * each peer, and dispatches / submissions / errors as axonic / jax-js / tfjs. The README's table.
 */
export function formatSummary(r: Results): string {
  const rows = r.cases.map((c) => {
    const by = (name: string) => c.rows.find((x) => x.name === name);
    const value = (name: string) => {
      const x = by(name);
      return !x || x.runs === 0 ? 'failed' : sig(c.unit === 'ms' ? x.medianMs : x.metric);
    };
    const triple = (f: (x: Row) => string) => LIBRARIES.map((n) => { const x = by(n); return x ? f(x) : '—'; }).join(' / ');
    const vsCopy = by('axonic')?.relative?.['copy f32'];
    return [
      c.workload, c.size, c.unit, ...LIBRARIES.map(value),
      ...['jax-js', 'tfjs'].map((n) => { const s = by(n)?.speedup; return s === undefined ? '' : `${s.toFixed(2)}×`; }),
      vsCopy === undefined ? '' : vsCopy.toFixed(2),
      triple((x) => counted(x.dispatches)), triple((x) => counted(x.submits)), triple((x) => sci(x.err)),
    ];
  });
  return table(
    ['workload', 'size', 'unit', 'axonic', 'jax-js', 'tfjs', 'axonic/jax-js', 'axonic/tfjs', 'axonic ÷ copy f32',
      'dispatches a / j / t', 'submits a / j / t', 'err vs f64 a / j / t'],
    rows,
  );
}
