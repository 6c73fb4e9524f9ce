import { formatLoc, type Graph } from '../../src/ir/index.ts';
import { mergeScans } from './merge-scans.ts';
import { rewriteGraph, SweepStats, type Firing } from './rewriter.ts';
import { indexRules, type RewriteRule } from './rule.ts';
import { AFTER_AUTODIFF_RULES, ARITHMETIC_RULES } from './rules-arith.ts';
import { FOLDING_RULES } from './rules-fold.ts';
import { SHAPE_RULES } from './rules-shape.ts';

export { rule, exactRules, indexRules, type RewriteRule, type RuleSpec, type Pending, type RuleContext } from './rule.ts';
export { ARITHMETIC_RULES, AFTER_AUTODIFF_RULES } from './rules-arith.ts';
export { SHAPE_RULES } from './rules-shape.ts';
export { FOLDING_RULES, MAX_FOLDED_ELEMENTS } from './rules-fold.ts';
export { eliminateDeadCode } from './dce.ts';
export type { Firing } from './rewriter.ts';

/**
 * The default rules, in the order they are tried on a node: identities first (they return an
 * existing value), then movement/reduction rewrites, then constant folding.
 */
export const DEFAULT_RULES: readonly RewriteRule[] = [...ARITHMETIC_RULES, ...SHAPE_RULES, ...FOLDING_RULES];

export interface SimplifyOptions {
  /**
   * The graph will not be differentiated again (it is being compiled): stop_gradient may go.
   * Default false, so that a simplified graph still differentiates as the original.
   */
  readonly afterAutodiff?: boolean;
  /** The rewrite rules (default DEFAULT_RULES); concatenate arrays to compose rule sets. */
  readonly rules?: readonly RewriteRule[];
  /** Bound on the sweeps run to reach a fixed point (default 8). */
  readonly maxIterations?: number;
  /**
   * Where to report each rule that fires and a summary (one line each); false for nowhere.
   * Default: stderr when AXONIC_DEBUG >= 4, else nowhere.
   */
  readonly trace?: ((line: string) => void) | false;
}

export interface SimplifyResult {
  readonly graph: Graph;
  /** Sweeps run, the last one included (it changed nothing when `converged`). */
  readonly iterations: number;
  readonly converged: boolean;
  /** Every rule application, over all sweeps, in order. */
  readonly fired: readonly Firing[];
  /** Nodes merged into an equal earlier node (CSE), over all sweeps. */
  readonly merged: number;
  /** Dead nodes removed (and loops pruned), over all sweeps. */
  readonly removed: number;
}

const debugLevel = (): number =>
  Number((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.AXONIC_DEBUG) || 0;

/** One line of the rewrite dump: which rule fired where. */
export const formatFiring = (f: Firing): string =>
  `// simplify: ${f.rule.name} (${f.rule.note}) at ${f.op}${f.loc ? ` @${formatLoc(f.loc)}` : ''} [${f.rule.source}]`;

/**
 * Simplifies a verified graph: rewrite rules (algebraic identities, movement composition,
 * constant folding), common-subexpression elimination, dead-code elimination and the merging of
 * scans that compute the same carry, inside regions too, swept until nothing changes (or `maxIterations`). The result computes the same values as
 * `g` (bit for bit with exact rules; see each rule's `exact`) and has fresh values throughout.
 */
export function simplify(g: Graph, options: SimplifyOptions = {}): SimplifyResult {
  const base = options.rules ?? DEFAULT_RULES;
  const rules = indexRules(options.afterAutodiff ? [...base, ...AFTER_AUTODIFF_RULES] : base);
  const maxIterations = options.maxIterations ?? 8;
  const trace = options.trace ?? (debugLevel() >= 4 ? (line: string) => console.error(line) : false);
  const fired: Firing[] = [];
  let merged = 0;
  let removed = 0;
  let graph = g;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    const stats = new SweepStats();
    graph = mergeScans(rewriteGraph(graph, { rules, stats }), { rules, stats });
    iterations++;
    fired.push(...stats.fired);
    merged += stats.merged;
    removed += stats.removed;
    converged = stats.changes === 0;
  }
  if (trace) {
    fired.forEach((f) => trace(formatFiring(f)));
    const counted = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const stopped = converged ? '' : ' (stopped before a fixed point)';
    trace(`// simplify @${g.name}: ${counted(iterations, 'sweep')}${stopped}, ${counted(fired.length, 'rewrite')}, ${merged} merged, ${removed} removed`);
  }
  return { graph, iterations, converged, fired, merged, removed };
}

/** `simplify(g, options).graph`: the simplified graph alone. */
export const simplifyGraph = (g: Graph, options: SimplifyOptions = {}): Graph => simplify(g, options).graph;
