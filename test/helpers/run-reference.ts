import * as ax from '../../src/index.ts';
import type { HostTensor } from '../../src/ir/index.ts';

function toHost(leaf: unknown): HostTensor {
  if (typeof leaf === 'number') return ax.hostTensor('f32', [], [leaf]);
  if (typeof leaf === 'boolean') return ax.hostTensor('bool', [], [Number(leaf)]);
  if (leaf instanceof ax.DeviceArray) {
    const host = leaf.residentHost();
    if (!host) throw new Error('runReference takes host arrays');
    return host;
  }
  return leaf as HostTensor;
}

/**
 * Traces `fn` on the argument trees (models, arrays, numbers) and evaluates it with the float64
 * reference interpreter; returns its result tree with HostTensor leaves (models rebuilt).
 */
export function runReference(fn: (...args: any[]) => unknown, ...args: ax.ArgTree[]): any {
  const traced = ax.traceFunction(fn, args);
  const outputs = ax.evaluate(traced.graph, ax.treeLeaves(args as ax.Tree).map(toHost));
  return ax.unflatten(traced.outDef, outputs);
}

/** The values of a host array as a plain list. */
export const values = (t: unknown): number[] => Array.from(toHost(t).data);
