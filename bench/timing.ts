/**
 * Interleaved timing: lavapipe shares 2 CPU cores with other work and drifts up to 2× within a
 * run, so every repetition runs each contender once (A B C, then B C A, …) and medians and ratios
 * come from the same stretch of time. Each run ends when the GPU is done; no run reads back.
 */
import { since, snapshot, type Counts } from './counters.ts';
import type { Env } from './setup.ts';
import type { Case, Check, Contender } from './workloads/types.ts';

export interface Measured {
  readonly name: string;
  /** Milliseconds of each timed run, in order. */
  readonly ms: number[];
  /** Dispatches and submissions of each timed run. */
  readonly counts: Counts[];
  readonly check?: Check;
  readonly note?: string;
  /** Why this contender has no (or incomplete) numbers. */
  readonly error?: string;
}

export interface TimingOptions {
  readonly warmup: number;
  readonly reps: number;
  /** Prints progress to stderr. */
  readonly log: (line: string) => void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 6).join('\n');

interface Slot {
  readonly name: string;
  contender?: Contender;
  ms: number[];
  counts: Counts[];
  check?: Check;
  error?: string;
}

export async function measureCase(c: Case, env: Env, opts: TimingOptions): Promise<Measured[]> {
  const slots: Slot[] = [];
  const t0 = performance.now();
  for (const f of c.contenders()) {
    const slot: Slot = { name: f.name, ms: [], counts: [] };
    try {
      slot.contender = await f.create(env);
    } catch (e) {
      slot.error = `setup failed: ${message(e)}`;
    }
    slots.push(slot);
  }
  const live = (): Slot[] => slots.filter((s) => s.contender && !s.error);
  const once = async (s: Slot): Promise<{ ms: number; counts: Counts } | undefined> => {
    try {
      const before = snapshot();
      const t0 = performance.now();
      await s.contender!.run();
      const ms = performance.now() - t0;
      return { ms, counts: since(before) };
    } catch (e) {
      s.error = `run failed: ${message(e)}`;
      return undefined;
    }
  };
  for (let w = 0; w < opts.warmup; w++) for (const s of live()) await once(s);
  opts.log(`  ${c.workload} ${c.size}: set-up and warm-up took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (let r = 0; r < opts.reps; r++) {
    const order = live();
    for (let k = 0; k < order.length; k++) {
      const s = order[(k + r) % order.length];
      const got = await once(s);
      if (got) {
        s.ms.push(got.ms);
        s.counts.push(got.counts);
      }
    }
  }
  for (const s of slots) {
    if (!s.contender) continue;
    if (!s.error) {
      try {
        s.check = await s.contender.check();
      } catch (e) {
        s.error = `check failed: ${message(e)}`;
      }
    }
    try {
      await s.contender.dispose();
    } catch {
      // Disposal failures do not change the numbers.
    }
  }
  return slots.map((s) => ({ name: s.name, ms: s.ms, counts: s.counts, check: s.check, note: s.contender?.note, error: s.error }));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
