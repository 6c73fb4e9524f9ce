import type { KExpr, Node, Shape, Value } from '../../src/ir/index.ts';
import type { Anchor, PlanStep } from '../kernel-plan.ts';

/**
 * A kernel in the making (or a loop): its anchor fixes the output space; `members` are the
 * values it computes, each an expression over the output-space coordinates (`acc` standing for
 * the anchor's value). `deps` are the groups whose buffers it reads: the schedule runs them
 * first, and a value joins a group only if that keeps the dependencies acyclic.
 */
export interface Group {
  readonly id: number;
  readonly kind: 'map' | 'reduce' | 'contract' | 'loop';
  readonly space: Shape;
  /** The ops it computes, for kernel names. */
  readonly ops: string[];
  /** The anchor, with loads naming buffer ids (bound to kernel inputs when emitted). */
  anchor?: Anchor;
  readonly members: Value[];
  readonly deps: Set<Group>;
  readonly preludes: string[];
  /** A loop group's step (its body already lowered). */
  loopStep?: PlanStep;
  /** The node that anchors a reduce or contract group. */
  readonly anchorNode?: Node;
}

/** Whether `from` reads, directly or through other groups, what `to` writes. */
export function dependsOn(from: Group, to: Group): boolean {
  const seen = new Set<Group>();
  const stack = [from];
  while (stack.length) {
    const g = stack.pop()!;
    if (g === to) return true;
    if (seen.has(g)) continue;
    seen.add(g);
    for (const d of g.deps) stack.push(d);
  }
  return false;
}

/** The longest chain of groups that `g` waits for. */
export function depthOf(g: Group, memo = new Map<Group, number>()): number {
  const known = memo.get(g);
  if (known !== undefined) return known;
  let d = 0;
  for (const dep of g.deps) d = Math.max(d, depthOf(dep, memo) + 1);
  memo.set(g, d);
  return d;
}

/** Groups in an order that runs every group after the groups it reads (stable by creation). */
export function schedule(groups: readonly Group[]): Group[] {
  const done = new Set<Group>();
  const out: Group[] = [];
  const visit = (g: Group, path: Set<Group>) => {
    if (done.has(g)) return;
    if (path.has(g)) throw new Error(`fuse: a dependency cycle through group ${g.id} (${g.ops.join(',')})`);
    path.add(g);
    for (const d of [...g.deps].sort((a, b) => a.id - b.id)) visit(d, path);
    path.delete(g);
    done.add(g);
    out.push(g);
  };
  for (const g of groups) visit(g, new Set());
  return out;
}

/** How a value is available while a graph level is lowered. */
export type Form =
  /** In a buffer (a graph input, a constant, a loop result, or a kernel output). */
  | { readonly kind: 'buffer'; readonly buffer: number; readonly producer?: Group }
  /** A splat constant, written into expressions as a literal. */
  | { readonly kind: 'splat'; readonly value: number }
  /** Not computed anywhere yet: its expression is inlined into every kernel that reads it. */
  | { readonly kind: 'inline'; readonly node: Node; readonly cost: number }
  /** Computed by `group`, as `expr` over its output space; `buffer` once another kernel needs it. */
  | { readonly kind: 'member'; readonly group: Group; readonly expr: KExpr; buffer?: number };
