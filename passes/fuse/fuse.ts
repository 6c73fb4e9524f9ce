import {
  acc, atCoords, coerce, isNodeOf, LimitError, load, opDef, rewriteExpr, visitExpr,
  type Graph, type KExpr, type LoopStep, type Node, type OpAttrs, type Value,
} from '../../src/ir/index.ts';
import { isGuarded } from '../guard-while.ts';
import { identityCoords, isExpressionNode, nodeExprAt, nodePreludes, splatLiteral } from '../kernel-exprs.ts';
import type { LoweredProgram, PlanStep } from '../kernel-plan.ts';
import { programDims } from '../program-dims.ts';
import { dependsOn, depthOf, schedule, type Form, type Group } from './groups.ts';
import { expressionCost, INLINE_LIMITS } from './cost.ts';
import { groupKernel } from './kernel-of.ts';
import { Lowering, type FuseOptions } from './lowering.ts';
import { distinctLoads, sameElements, sameShape, toSpace, toSpaceInverse } from './spaces.ts';

export type { FuseOptions };

/**
 * Graph → kernel plans. Each kernel has one anchor (a map, a reduction or a contraction);
 * elementwise and movement producers are inlined into the kernels that read them as index
 * expressions, and elementwise consumers that compute at the anchor's own points join it as
 * epilogues, writing their own outputs. A value gets a buffer only when another kernel, a loop
 * or the caller needs it.
 */
export function fuseGraph(graph: Graph, options: FuseOptions): LoweredProgram {
  const lowering = new Lowering(options);
  const top = new Scope(lowering, graph.nodes, graph.outputs);
  const inputs = graph.inputs.map((v) => {
    const id = lowering.newBuffer(v.type, 'input');
    top.forms.set(v, { kind: 'buffer', buffer: id });
    return id;
  });
  top.lowerNodes();
  const outputs = graph.outputs.map((v) => top.ensureBuffer(v));
  return { name: graph.name, dims: programDims(graph), buffers: lowering.buffers, steps: top.emit(), inputs, outputs };
}

/** The values of one graph level (the top graph or a loop body) and the groups computing them. */
class Scope {
  readonly forms = new Map<Value, Form>();
  readonly groups: Group[] = [];
  private readonly uses = new Map<Value, number>();
  private readonly loopResults: number[] = [];

  /** The node computing each value of this level. */
  private readonly producers = new Map<Value, Node>();

  constructor(
    private readonly lowering: Lowering,
    private readonly nodes: readonly Node[],
    results: readonly Value[],
  ) {
    for (const n of nodes) {
      for (const v of n.inputs) this.uses.set(v, (this.uses.get(v) ?? 0) + 1);
      for (const v of n.outputs) this.producers.set(v, n);
    }
    for (const v of results) this.uses.set(v, (this.uses.get(v) ?? 0) + 1);
  }

  private formOf(v: Value): Form {
    const f = this.forms.get(v);
    if (!f) throw new Error(`fuse: value %${v.id} has no form (graph not verified?)`);
    return f;
  }

  /**
   * The groups whose buffers an expression of `v` reads, as things stand now (an inline operand
   * may have been given a kernel of its own since `v` was made).
   */
  private depsOf(v: Value, into = new Set<Group>()): Set<Group> {
    const f = this.formOf(v);
    switch (f.kind) {
      case 'buffer':
        if (f.producer) into.add(f.producer);
        break;
      case 'inline':
        for (const u of f.node.inputs) this.depsOf(u, into);
        break;
      case 'member':
        into.add(f.group);
        break;
    }
    return into;
  }

  /** The expression of `v` at `coords` (of v's shape) inside the kernel of group `reader`. */
  exprAt(v: Value, coords: readonly KExpr[], reader: Group): KExpr {
    const f = this.formOf(v);
    switch (f.kind) {
      case 'buffer':
        if (f.producer) reader.deps.add(f.producer);
        return load(f.buffer, coords);
      case 'splat':
        return splatLiteral(v.type.dtype, f.value);
      case 'inline':
        return this.nodeIn(f.node, coords, reader);
      case 'member':
        if (f.group === reader) return atCoords(f.expr, toSpace(coords, v.type.shape, reader.space));
        reader.deps.add(f.group);
        return load(this.ensureBuffer(v), coords);
    }
  }

  /**
   * An expression node's value at `coords` inside `reader`. The node's expression is built over
   * its own coordinates, its operand loads resolved (bottom-up, so a gather's index comes
   * first), and only then moved to `coords`: resolved expressions are never scanned for operand
   * loads again.
   */
  private nodeIn(node: Node, coords: readonly KExpr[], reader: Group): KExpr {
    for (const p of nodePreludes(node)) if (!reader.preludes.includes(p)) reader.preludes.push(p);
    const own = identityCoords(node.outputs[0].type.shape.length);
    const resolved = rewriteExpr(nodeExprAt(node, own), (x) => (x.k === 'load' ? this.exprAt(node.inputs[x.input], x.coords, reader) : x));
    return atCoords(resolved, coords);
  }

  /** The buffer holding `v`, computing it in a kernel of its own (or as an output of its group) first. */
  ensureBuffer(v: Value): number {
    const f = this.formOf(v);
    switch (f.kind) {
      case 'buffer':
        return f.buffer;
      case 'member':
        if (f.buffer === undefined) f.buffer = this.lowering.newBuffer(v.type, 'temp');
        return f.buffer;
      case 'splat':
      case 'inline': {
        const g = this.lowering.newGroup('map', v.type.shape, f.kind === 'splat' ? 'fill' : f.node.op);
        this.groups.push(g);
        let expr!: KExpr;
        this.fitBindings(g, f.kind === 'inline' ? f.node : undefined, () => {
          expr = this.exprAt(v, identityCoords(v.type.shape.length), g);
          return [expr];
        });
        const member: Form = { kind: 'member', group: g, expr, buffer: this.lowering.newBuffer(v.type, 'temp') };
        g.members.push(v);
        this.forms.set(v, member);
        return member.buffer!;
      }
    }
  }

  /**
   * Builds a new group's expressions (`build`), then, while they read more buffers than the
   * adapter can bind beside one output, gives the costliest inline operand of `node` a kernel of
   * its own and builds again (a wide concatenate becomes a tree of kernels).
   */
  private fitBindings(g: Group, node: Node | undefined, build: () => KExpr[]): void {
    const limit = this.lowering.options.limits.maxStorageBuffersPerShaderStage;
    const deps = new Set(g.deps);
    const preludes = [...g.preludes];
    for (;;) {
      const reads = distinctLoads(build());
      if (reads + 1 <= limit) return;
      const inline = (node?.inputs ?? [])
        .filter((v, i, all) => all.indexOf(v) === i)
        .map((v) => ({ v, f: this.formOf(v) }))
        .filter((o): o is { v: Value; f: Extract<Form, { kind: 'inline' }> } => o.f.kind === 'inline')
        .sort((a, b) => b.f.cost - a.f.cost);
      if (inline.length === 0)
        throw new LimitError(
          `kernel ${g.ops.join('+')} reads ${reads} buffers and writes 1, more than this adapter's ` +
            `maxStorageBuffersPerShaderStage of ${limit}: split the computation into ops with fewer operands`,
        );
      this.ensureBuffer(inline[0].v);
      g.deps.clear();
      for (const d of deps) g.deps.add(d);
      g.preludes.splice(0, g.preludes.length, ...preludes);
    }
  }

  lowerNodes(): void {
    for (const node of this.nodes) this.lowerNode(node);
  }

  private lowerNode(node: Node): void {
    const out = node.outputs[0];
    if (node.op === 'constant') return this.lowerConstant(node as Node<'constant'>);
    if (node.op === 'custom_vjp') throw new Error('fuse: custom_vjp must be inlined first (pass inline-custom-vjp)');
    if (node.op === 'cond') throw new Error('fuse: cond must be rewritten first (pass cond-to-select)');
    if (node.op === 'loop' || node.op === 'scan' || node.op === 'while_loop')
      return this.lowerLoop(node as Node<'loop'> | Node<'scan'> | Node<'while_loop'>);
    if (!this.lowering.fusing) for (const v of node.inputs) this.ensureBuffer(v);
    const kind = opDef(node.op).kernel.kind;
    if (kind === 'reduce') return this.lowerReduce(node);
    if (kind === 'contraction') return this.lowerContraction(node);
    if (!isExpressionNode(node)) throw new Error(`fuse: ${node.op} has no kernel rule`);
    const joined = this.lowering.fusing ? this.joinableGroup(node) : undefined;
    if (joined) {
      const expr = this.nodeIn(node, toSpaceInverse(joined.space, out.type.shape), joined);
      joined.members.push(out);
      joined.ops.push(node.op);
      this.forms.set(out, { kind: 'member', group: joined, expr });
      return;
    }
    let cost = expressionCost(node);
    for (const v of node.inputs) {
      const f = this.formOf(v);
      if (f.kind === 'inline') cost += f.cost;
    }
    this.forms.set(out, { kind: 'inline', node, cost });
    const uses = this.uses.get(out) ?? 0;
    if (!this.lowering.fusing || cost >= INLINE_LIMITS.maxCost || (uses >= 2 && cost >= INLINE_LIMITS.sharedCost)) this.ensureBuffer(out);
  }

  /**
   * The open group an elementwise node can join as an epilogue: one that computes an operand at
   * the node's own points (same space, read at identity), with no dependency cycle and room in
   * the adapter's binding limit. The deepest such group wins (the one that already waits for
   * the others): joining a shallow group would make it wait for the deep ones, a longer chain.
   */
  private joinableGroup(node: Node): Group | undefined {
    if (opDef(node.op).kernel.kind !== 'elementwise') return undefined;
    const shape = node.outputs[0].type.shape;
    const candidates = node.inputs
      .map((v) => this.formOf(v))
      .filter((f): f is Extract<Form, { kind: 'member' }> => f.kind === 'member')
      .map((f) => f.group)
      .filter((g) => g.kind !== 'loop' && sameElements(g.space, shape))
      .sort((a, b) => depthOf(b) - depthOf(a) || b.id - a.id);
    for (const g of candidates) {
      const ok = node.inputs.every((v) => {
        const f = this.formOf(v);
        if (f.kind === 'member' && f.group === g) return sameShape(v.type.shape, shape);
        return [...this.depsOf(v)].every((d) => d !== g && !dependsOn(d, g));
      });
      if (ok && this.bindingsAfterJoin(g, node) <= this.lowering.options.limits.maxStorageBuffersPerShaderStage) return g;
    }
    return undefined;
  }

  /**
   * The buffers group g binds once `node` joins it: every buffer its expressions read, and every
   * member that has a buffer or a use outside the group (it will need one), the node included.
   */
  private bindingsAfterJoin(g: Group, node: Node): number {
    const reads = new Set<number>();
    const collect = (e: KExpr | undefined) =>
      e && visitExpr(e, (x) => x.k === 'load' && reads.add(x.input));
    if (g.anchor?.kind === 'reduce') collect(g.anchor.expr);
    if (g.anchor?.kind === 'contract') {
      collect(g.anchor.lhs);
      collect(g.anchor.rhs);
    }
    for (const m of g.members) {
      const f = this.formOf(m);
      if (f.kind === 'member') collect(f.expr);
    }
    // The node's own reads: the buffers its operands outside the group read (an inline operand
    // may read several; another group's member, one it will have to get).
    for (const v of node.inputs) this.readsOf(v, g, reads);
    const insideNodes = [...g.members.map((m) => this.producers.get(m)), node];
    const written = g.members.filter((m) => {
      const f = this.formOf(m);
      if (f.kind === 'member' && f.buffer !== undefined) return true;
      const inside = insideNodes.reduce((n, p) => n + (p ? p.inputs.filter((v) => v === m).length : 0), 0);
      return (this.uses.get(m) ?? 0) > inside;
    });
    return reads.size + written.length + 1;
  }

  /** Adds the buffers an expression of `v` inside group g reads (a value not yet in a buffer counts as −id − 1). */
  private readsOf(v: Value, g: Group, into: Set<number>): void {
    const f = this.formOf(v);
    if (f.kind === 'buffer') into.add(f.buffer);
    else if (f.kind === 'inline') for (const u of f.node.inputs) this.readsOf(u, g, into);
    else if (f.kind === 'member' && f.group !== g) into.add(f.buffer ?? -v.id - 1);
  }

  private lowerConstant(node: Node<'constant'>): void {
    const out = node.outputs[0];
    const { value, dtype } = node.attrs;
    if (value.length === 1) this.forms.set(out, { kind: 'splat', value: value[0] });
    else this.forms.set(out, { kind: 'buffer', buffer: this.lowering.newBuffer(out.type, 'const', value.map((v) => coerce(dtype, v))) });
  }

  /** A rule's expression with its operand loads resolved inside `reader` (it is over the anchor's coordinates). */
  private resolveOperands(node: Node, e: KExpr, reader: Group): KExpr {
    return rewriteExpr(e, (x) => (x.k === 'load' ? this.exprAt(node.inputs[x.input], x.coords, reader) : x));
  }

  private ruleCtx(node: Node) {
    return { attrs: node.attrs as never, inputs: node.inputs.map((v) => v.type), output: node.outputs[0].type };
  }

  private lowerReduce(node: Node): void {
    const out = node.outputs[0];
    const rule = opDef(node.op).kernel;
    if (rule.kind !== 'reduce') throw new Error(`fuse: ${node.op} is not a reduction`);
    const spec = rule.build(this.ruleCtx(node));
    const space = spec.space.filter((_, i) => !spec.axes.includes(i));
    const g = this.lowering.newGroup('reduce', space, node.op, node);
    this.groups.push(g);
    let expr!: KExpr;
    this.fitBindings(g, node, () => [(expr = this.resolveOperands(node, spec.expr, g))]);
    g.anchor = { kind: 'reduce', combiner: rule.combiner, identity: rule.identity(out.type.dtype), dtype: out.type.dtype, inShape: spec.space, axes: spec.axes, expr };
    g.members.push(out);
    this.forms.set(out, { kind: 'member', group: g, expr: acc(out.type.dtype) });
  }

  private lowerContraction(node: Node): void {
    const out = node.outputs[0];
    const rule = opDef(node.op).kernel;
    if (rule.kind !== 'contraction') throw new Error(`fuse: ${node.op} is not a contraction`);
    const c = rule.build(this.ruleCtx(node));
    // An operand is read once per output column (or row): an expensive expression is computed once instead.
    for (const v of node.inputs) {
      const f = this.formOf(v);
      if (f.kind === 'inline' && f.cost >= INLINE_LIMITS.contractionOperandCost) this.ensureBuffer(v);
    }
    const g = this.lowering.newGroup('contract', [...c.batch, ...c.m, ...c.n], node.op, node);
    this.groups.push(g);
    let operands!: KExpr[];
    this.fitBindings(g, node, () => (operands = [this.resolveOperands(node, c.lhs, g), this.resolveOperands(node, c.rhs, g)]));
    g.anchor = { kind: 'contract', dtype: out.type.dtype, batch: c.batch, m: c.m, n: c.n, k: c.k, lhs: operands[0], rhs: operands[1] };
    g.members.push(out);
    this.forms.set(out, { kind: 'member', group: g, expr: acc(out.type.dtype) });
  }

  /**
   * A loop, scan or (guarded) while_loop: its body lowered as a scope of its own, run by one
   * LoopStep. Carried inputs read the ping-pong state and constants read the outer buffers
   * directly; a scan's x_t is a buffer the runtime fills with slice t of xs before each trip, and
   * each y_t is copied into slice t of its stack after it; a while_loop's last carried value is
   * the flag the runtime reads between chunks (see LoopStep).
   */
  private lowerLoop(node: Node<'loop'> | Node<'scan'> | Node<'while_loop'>): void {
    const scan = isNodeOf(node, 'scan') ? node.attrs : undefined;
    const until = isNodeOf(node, 'while_loop') ? node.attrs : undefined;
    if (until && !isGuarded(node as Node<'while_loop'>)) throw new Error('fuse: a while_loop must be guarded first (pass guard-while)');
    const { carried } = node.attrs;
    const scanned = scan?.scanned ?? 0;
    const trips = scan ? scan.length : until ? until.max_trips : (node.attrs as OpAttrs['loop']).trips;
    const body = node.regions[until ? 1 : 0];
    const operands = node.inputs.map((v) => this.ensureBuffer(v));
    const g = this.lowering.newGroup('loop', [], node.op);
    for (const v of node.inputs) for (const d of this.depsOf(v)) g.deps.add(d);
    this.groups.push(g);
    const stateIn = body.inputs.slice(0, carried).map((v) => this.lowering.newBuffer(v.type, 'temp'));
    const slices = body.inputs.slice(carried, carried + scanned).map((v) => this.lowering.newBuffer(v.type, 'temp'));
    const inner = new Scope(this.lowering, body.nodes, body.outputs);
    body.inputs.forEach((v, i) => {
      const buffer = i < carried ? stateIn[i] : i < carried + scanned ? slices[i - carried] : operands[i];
      inner.forms.set(v, { kind: 'buffer', buffer });
    });
    inner.lowerNodes();
    const bodyOutputs = body.outputs.map((v) => inner.ensureBuffer(v));
    const steps = inner.emit();
    // Each next state must be its own buffer, written by the body: the runtime swaps it with
    // stateIn on odd iterations, so a body input, a constant or a repeat gets a copy.
    const written = new Set(inner.writtenBuffers());
    const stateOut: number[] = [];
    body.outputs.slice(0, carried).forEach((v, i) => {
      let id = bodyOutputs[i];
      if (!written.has(id) || stateOut.includes(id)) {
        const copy = this.lowering.newBuffer(v.type, 'temp');
        steps.push({ kind: 'copy', from: id, to: copy });
        id = copy;
      }
      stateOut.push(id);
    });
    const results = node.outputs.map((v) => {
      const id = this.lowering.newBuffer(v.type, 'temp');
      this.forms.set(v, { kind: 'buffer', buffer: id, producer: g });
      this.loopResults.push(id);
      return id;
    });
    const step: LoopStep<PlanStep> = {
      kind: 'loop', trips, init: operands.slice(0, carried), stateIn, stateOut, results: results.slice(0, carried), body: steps,
    };
    if (until) g.loopStep = { ...step, until: { flag: carried - 1, checkEvery: until.check_every } };
    else if (!scan) g.loopStep = step;
    else
      g.loopStep = {
        ...step,
        xs: slices.map((slice, i) => ({ stacked: operands[carried + i], slice })),
        ys: bodyOutputs.slice(carried).map((slice, j) => ({ slice, stacked: results[carried + j] })),
        reverse: scan.reverse,
      };
  }

  /** Buffers that the kernels and loops of this level write. */
  writtenBuffers(): number[] {
    const out: number[] = [...this.loopResults];
    for (const g of this.groups)
      for (const v of g.members) {
        const f = this.formOf(v);
        if (f.kind === 'member' && f.buffer !== undefined) out.push(f.buffer);
      }
    return out;
  }

  /** The steps of this level: its groups as kernels and loops, in dependency order. */
  emit(): PlanStep[] {
    const steps: PlanStep[] = [];
    for (const g of schedule(this.groups)) {
      if (g.kind === 'loop') {
        steps.push(g.loopStep!);
        continue;
      }
      const plan = groupKernel(g, (v) => this.formOf(v), this.lowering.buffers);
      if (plan) steps.push({ kind: 'kernel', plan });
    }
    return steps;
  }

}

