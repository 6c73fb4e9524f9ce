import type {
  Emitter, Graph, Node, OpAttrs, OpName, SourceLoc, TensorType, Value,
} from '../../src/ir/index.ts';

/**
 * A node about to be added to the simplified graph: its operands, attributes and regions are
 * already simplified and its result types inferred, but it has no result values yet (a rule may
 * replace it before it exists).
 */
export interface Pending<K extends OpName = OpName> {
  readonly op: K;
  readonly inputs: readonly Value[];
  readonly attrs: OpAttrs[K];
  readonly regions: readonly Graph[];
  readonly types: readonly TensorType[];
  readonly loc?: SourceLoc;
}

/** What a rule may look at besides the node: the definitions of its operands. */
export interface RuleContext {
  /** The node defining `v` in the graph being built; undefined for a graph (or region) input. */
  producer(v: Value): Node | undefined;
  /** The defining node of `v` when it is this op. */
  producerOf<K extends OpName>(v: Value, op: K): Node<K> | undefined;
  /** The value of `v` when it is a splat constant (one value over its whole shape). */
  splat(v: Value): number | undefined;
}

/** How a rule is written: typed by its root op and by what its match hands to its rewrite. */
export interface RuleSpec<K extends OpName, M> {
  /** Short identifier shown in dumps, e.g. `mul-one-right`. */
  readonly name: string;
  /** The rewrite in one line, e.g. `x*1 -> x`. */
  readonly note: string;
  /** The op of the nodes the rule looks at: rules are indexed by it. */
  readonly root: K;
  /**
   * Whether the rewrite is an identity of the reference semantics bit for bit, NaN, infinities
   * and signed zeros included (default true). A rule that may change float rounding says false.
   */
  readonly exact?: boolean;
  /** What the rewrite needs, or undefined where the rule does not apply. */
  match(node: Pending<K>, ctx: RuleContext): M | undefined;
  /** The values replacing the node's results, typed exactly like them, built with `e`. */
  rewrite(match: M, e: Emitter, node: Pending<K>, ctx: RuleContext): Value[];
}

/** A rule with its types erased, so that rules of every op fit in one array. */
export interface RewriteRule {
  readonly name: string;
  readonly note: string;
  readonly root: OpName;
  readonly exact: boolean;
  /** Where the rule is defined (`passes/simplify/rules-arith.ts:40`), for dumps. */
  readonly source: string;
  match(node: Pending, ctx: RuleContext): unknown;
  rewrite(match: unknown, e: Emitter, node: Pending, ctx: RuleContext): Value[];
}

const FRAME = /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?\s*$/;

/**
 * Where `rule()` was called from, as `path:line` relative to the repository: the outermost stack
 * frame in the file of its caller, so that a rule made by a helper (a factory, a `map`) is
 * located where the helper is applied.
 */
function definitionSite(): string {
  const frames = (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    // tsx's CommonJS wrapper reports the end of the module, not a call site.
    .filter((f) => !f.includes('Object.<anonymous>'))
    .map((f) => FRAME.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1].replace(/^file:\/\//, '').replace(/\?.*$/, ''), line: m[2] }));
  const callerFile = frames.find((f) => !/[/\\]simplify[/\\]rule\.ts$/.test(f.file))?.file;
  const site = frames.filter((f) => f.file === callerFile).pop();
  if (!site) return 'unknown';
  const rooted = /[/\\](passes|src|test)[/\\]/.exec(site.file);
  return `${rooted ? site.file.slice(rooted.index + 1) : site.file}:${site.line}`;
}

/** Declares a rewrite rule; records where it was written. */
export function rule<K extends OpName, M>(spec: RuleSpec<K, M>): RewriteRule {
  return { ...spec, exact: spec.exact ?? true, source: definitionSite() } as unknown as RewriteRule;
}

/** Rules grouped by root op, in the order given (the first rule that matches a node fires). */
export function indexRules(rules: readonly RewriteRule[]): ReadonlyMap<OpName, readonly RewriteRule[]> {
  const byRoot = new Map<OpName, RewriteRule[]>();
  for (const r of rules) {
    const list = byRoot.get(r.root);
    if (list) list.push(r);
    else byRoot.set(r.root, [r]);
  }
  return byRoot;
}

/** The rules that never change a value, not even its rounding. */
export const exactRules = (rules: readonly RewriteRule[]): RewriteRule[] => rules.filter((r) => r.exact);

/** NaN equals NaN and -0 differs from 0: the equality of values that the reference computes. */
export const sameNumber = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
