/**
 * Dispatch and submission counters for every library alike: Dawn's
 * `GPUComputePassEncoder.prototype.dispatchWorkgroups` (and `…Indirect`) and
 * `GPUQueue.prototype.submit` are wrapped once, before any library runs, so the counts include
 * whatever each library issues (axonic's own runtime/stats.ts counts only axonic's work).
 */

export interface Counts {
  /** dispatchWorkgroups + dispatchWorkgroupsIndirect calls. */
  dispatches: number;
  /** queue.submit calls (not command buffers). */
  submits: number;
}

const counts: Counts = { dispatches: 0, submits: 0 };
let installed = false;

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(proto: Record<string, unknown>, name: string, count: () => void): void {
  const original = proto[name];
  if (typeof original !== 'function') throw new Error(`counters: ${name} is not a method of the Dawn prototype`);
  proto[name] = function (this: unknown, ...args: unknown[]) {
    count();
    return (original as Method).apply(this, args);
  };
}

/** Wraps Dawn's prototypes (the `webgpu` package's globals must be installed first). */
export function installCounters(): void {
  if (installed) return;
  const g = globalThis as unknown as Record<string, { prototype: Record<string, unknown> } | undefined>;
  const pass = g.GPUComputePassEncoder?.prototype;
  const queue = g.GPUQueue?.prototype;
  if (!pass || !queue) throw new Error('counters: GPUComputePassEncoder/GPUQueue are not globals: install Dawn\'s globals first');
  wrap(pass, 'dispatchWorkgroups', () => counts.dispatches++);
  wrap(pass, 'dispatchWorkgroupsIndirect', () => counts.dispatches++);
  wrap(queue, 'submit', () => counts.submits++);
  installed = true;
}

/** The counts so far (a copy); subtract two snapshots for the work in between. */
export const snapshot = (): Counts => ({ ...counts });

export const since = (before: Counts): Counts => ({
  dispatches: counts.dispatches - before.dispatches,
  submits: counts.submits - before.submits,
});
