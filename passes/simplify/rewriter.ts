import {
  coerce, Emitter, formatType, GraphBuilder, isNodeOf, opDef, sameType,
  type Graph, type Node, type OpAttrs, type OpName, type SourceLoc, type Value,
} from '../../src/ir/index.ts';
import { eliminateDeadCode } from './dce.ts';
import { nodeKey } from './node-key.ts';
import type { Pending, RewriteRule, RuleContext } from './rule.ts';

/** One rule application: which rule, on which op, at which source location. */
export interface Firing {
  readonly rule: RewriteRule;
  readonly op: OpName;
  readonly loc?: SourceLoc;
}

/** What one sweep changed: rules fired, nodes merged into an equal one, dead nodes removed. */
export class SweepStats {
  readonly fired: Firing[] = [];
  merged = 0;
  removed = 0;
  get changes(): number {
    return this.fired.length + this.merged + this.removed;
  }
}

/** The rules of one simplification, indexed by root op, and where a sweep reports to. */
export interface Engine {
  readonly rules: ReadonlyMap<OpName, readonly RewriteRule[]>;
  readonly stats: SweepStats;
}

/** Rewrites nest (a rewrite's nodes are simplified as they are built); deeper than this is a cycle. */
const MAX_REWRITE_DEPTH = 64;

/**
 * A GraphBuilder that simplifies every node as it is added: the first matching rule replaces
 * it (its replacement nodes pass through here too), otherwise a node equal to an earlier one is
 * merged with it (CSE). Rules see operands that are already simplified.
 */
class RewritingBuilder extends GraphBuilder implements RuleContext {
  private readonly producers = new Map<Value, Node>();
  private readonly known = new Map<string, Value[]>();
  private depth = 0;

  constructor(private readonly engine: Engine) {
    super();
  }

  producer(v: Value): Node | undefined {
    return this.producers.get(v);
  }

  producerOf<K extends OpName>(v: Value, op: K): Node<K> | undefined {
    const n = this.producers.get(v);
    return n && isNodeOf(n, op) ? n : undefined;
  }

  splat(v: Value): number | undefined {
    const c = this.producerOf(v, 'constant');
    return c && c.attrs.value.length === 1 ? coerce(c.attrs.dtype, c.attrs.value[0]) : undefined;
  }

  override add<K extends OpName>(
    op: K,
    inputs: readonly Value[],
    attrs: OpAttrs[K],
    opts: { regions?: readonly Graph[]; loc?: SourceLoc } = {},
  ): Value[] {
    const regions = opts.regions ?? [];
    const types = opDef(op).infer(inputs.map((v) => v.type), attrs, regions);
    const node: Pending<K> = { op, inputs, attrs, regions, types, loc: opts.loc };
    const replaced = this.applyRules(node as Pending);
    if (replaced) return replaced;
    const key = nodeKey(node);
    const earlier = this.known.get(key);
    if (earlier) {
      this.engine.stats.merged++;
      return earlier;
    }
    const outs = super.add(op, inputs, attrs, { regions, loc: opts.loc });
    const added = this.nodes[this.nodes.length - 1];
    outs.forEach((v) => this.producers.set(v, added));
    this.known.set(key, outs);
    return outs;
  }

  private applyRules(node: Pending): Value[] | undefined {
    for (const r of this.engine.rules.get(node.op) ?? []) {
      const m = r.match(node, this);
      if (m === undefined) continue;
      if (++this.depth > MAX_REWRITE_DEPTH) throw new Error(`simplify: rewrites nest deeper than ${MAX_REWRITE_DEPTH} at rule ${r.name} (${r.source}): the rules form a cycle`);
      let outs: Value[];
      try {
        outs = r.rewrite(m, new Emitter(this, node.loc), node, this);
      } finally {
        this.depth--;
      }
      if (outs.length !== node.types.length || outs.some((v, i) => !sameType(v.type, node.types[i])))
        throw new Error(
          `simplify: rule ${r.name} (${r.source}) replaced ${node.op} -> (${node.types.map(formatType).join(', ')}) ` +
            `by (${outs.map((v) => formatType(v.type)).join(', ')})`,
        );
      this.engine.stats.fired.push({ rule: r, op: node.op, loc: node.loc });
      return outs;
    }
    return undefined;
  }
}

/**
 * One sweep: rebuilds `g` (regions first, each on its own) through the rewriting builder, then
 * removes dead nodes. Every value of the result is fresh.
 */
export function rewriteGraph(g: Graph, engine: Engine): Graph {
  const b = new RewritingBuilder(engine);
  const map = new Map<Value, Value>();
  g.inputs.forEach((v) => map.set(v, b.input(v.type)));
  const get = (v: Value): Value => {
    const w = map.get(v);
    if (!w) throw new Error(`simplify: value %${v.id} of @${g.name} is used before it is defined (verify the graph first)`);
    return w;
  };
  for (const n of g.nodes) {
    const regions = n.regions.map((r) => rewriteGraph(r, engine));
    const outs = b.add(n.op, n.inputs.map(get), n.attrs as never, { regions, loc: n.loc });
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
  }
  return eliminateDeadCode(b.build(g.outputs.map(get), g.name), engine.stats);
}
