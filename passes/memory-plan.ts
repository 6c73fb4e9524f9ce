import { sizeOf, visitExpr, type KExpr, type Shape } from '../src/ir/index.ts';
import type { KernelPlan, LoweredProgram, PlanStep } from './kernel-plan.ts';

/**
 * Memory planning (plan → plan): temporaries whose lifetimes do not overlap share one buffer
 * (liveness over the step order, a loop's body counting as the loop's whole span for every
 * buffer that outlives one iteration), and an output may be written in place into a donated
 * input (JAX's donate_argnums) when every other read of that input comes first.
 */
export interface MemoryPlanOptions {
  /** Input positions the caller donates: their buffers may hold outputs. */
  readonly donate?: readonly number[];
}

export interface MemoryPlanResult {
  readonly program: LoweredProgram;
  /** For each output position written in place into a donated input: that input's position. */
  readonly donated: ReadonlyMap<number, number>;
}

const sizeKey = (shape: Shape): string => {
  const { constant, symbols } = sizeOf(shape);
  return `${constant}*${[...symbols].sort().join('*')}`;
};

/** The buffers a step reads and writes (a loop: everything its body touches, and its own). */
function access(step: PlanStep): { reads: number[]; writes: number[] } {
  switch (step.kind) {
    case 'kernel':
      return { reads: step.plan.inputs.map((o) => o.buffer), writes: step.plan.outputs.map((o) => o.buffer) };
    case 'kernels':
      return {
        reads: step.plans.flatMap((p) => p.inputs.map((o) => o.buffer)),
        writes: step.plans.flatMap((p) => p.outputs.map((o) => o.buffer)),
      };
    case 'copy':
      return { reads: [step.from], writes: [step.to] };
    case 'loop': {
      const reads = [...step.init, ...(step.xs ?? []).map((p) => p.stacked), ...(step.ys ?? []).map((p) => p.slice)];
      const writes = [
        ...step.stateIn, ...step.stateOut, ...step.results,
        ...(step.xs ?? []).map((p) => p.slice), ...(step.ys ?? []).map((p) => p.stacked),
      ];
      for (const s of step.body) {
        const a = access(s);
        reads.push(...a.reads);
        writes.push(...a.writes);
      }
      return { reads, writes };
    }
  }
}

/**
 * Donation (plan → plan, before dispatches are merged): each output that can be computed in
 * place in a donated input's buffer takes that buffer, and the kernel reads the input through
 * its output binding.
 */
export function donateInputs(p: LoweredProgram, options: MemoryPlanOptions = {}): MemoryPlanResult {
  let steps = [...p.steps];
  const donated = new Map<number, number>();
  const rename = new Map<number, number>();
  for (const position of options.donate ?? []) {
    const input = p.inputs[position];
    const found = donateInto(steps, p, input, donated);
    if (!found) continue;
    steps = found.steps;
    rename.set(p.outputs[found.output], input);
    donated.set(found.output, position);
  }
  const outputs = p.outputs.map((b) => rename.get(b) ?? b);
  const buffers = p.buffers.filter((b) => !rename.has(b.id));
  return { program: { ...p, buffers, steps: withAliases(renameSteps(steps, rename)), outputs }, donated };
}

/** Sharing of temporaries (plan → plan, after dispatches are merged). */
export function planMemory(p: LoweredProgram): LoweredProgram {
  const shared = shareTemps(p);
  const steps = renameSteps(p.steps, shared);
  const outputs = p.outputs.map((b) => shared.get(b) ?? b);
  const used = new Set<number>([...p.inputs, ...outputs]);
  for (const s of steps) {
    const a = access(s);
    a.reads.forEach((b) => used.add(b));
    a.writes.forEach((b) => used.add(b));
  }
  return { ...p, buffers: p.buffers.filter((b) => used.has(b.id)), steps, outputs };
}

/**
 * An output that can live in the donated input's buffer: same size, written by a top-level
 * kernel that reads the input only at the point it writes (or not at all), after every other
 * step that reads the input (moving the writer later when nothing in between needs it).
 */
function donateInto(
  steps: PlanStep[],
  p: LoweredProgram,
  input: number,
  taken: ReadonlyMap<number, number>,
): { steps: PlanStep[]; output: number } | undefined {
  const inDecl = p.buffers.find((b) => b.id === input)!;
  for (let k = 0; k < p.outputs.length; k++) {
    if (taken.has(k)) continue;
    const out = p.outputs[k];
    const decl = p.buffers.find((b) => b.id === out)!;
    if (decl.kind !== 'temp' || p.outputs.indexOf(out) !== k || sizeKey(decl.shape) !== sizeKey(inDecl.shape)) continue;
    const w = steps.findIndex((s) => s.kind === 'kernel' && s.plan.outputs.some((o) => o.buffer === out));
    // (Outputs of merged dispatches stay where they are: another kernel of the dispatch may read the input.)
    if (w < 0) continue;
    const writer = steps[w] as Extract<PlanStep, { kind: 'kernel' }>;
    if (!readsOnlyInPlace(writer.plan, input, out)) continue;
    const readers = steps.map((s, i) => (i !== w && access(s).reads.includes(input) ? i : -1)).filter((i) => i >= 0);
    // A loop writes its buffers on every trip; only top-level kernels are rewritten.
    if (steps.some((s, i) => s.kind === 'loop' && access(s).reads.includes(input) && i > w)) continue;
    const last = Math.max(w, ...readers);
    if (last === w) return { steps, output: k };
    const between = steps.slice(w + 1, last + 1);
    const wa = access(writer);
    const blocked = between.some((s) => {
      const a = access(s);
      return a.reads.some((b) => wa.writes.includes(b)) || a.writes.some((b) => wa.reads.includes(b) || wa.writes.includes(b));
    });
    if (blocked) continue;
    const moved = [...steps.slice(0, w), ...between, writer, ...steps.slice(last + 1)];
    return { steps: moved, output: k };
  }
  return undefined;
}

/** Whether every load of `input` in the kernel reads the point that output `out` is written at. */
function readsOnlyInPlace(plan: KernelPlan, input: number, out: number): boolean {
  const index = plan.inputs.findIndex((o) => o.buffer === input);
  if (index < 0) return true;
  const outDecl = plan.outputs.find((o) => o.buffer === out)!;
  const space = plan.anchor.kind === 'map' ? plan.anchor.shape : undefined;
  // Only epilogues and map outputs run at output points: the anchor's own reads are elsewhere.
  const anchorReads =
    plan.anchor.kind === 'reduce' ? [plan.anchor.expr] : plan.anchor.kind === 'contract' ? [plan.anchor.lhs, plan.anchor.rhs] : [];
  if (anchorReads.some((e) => loadsOf(e, index).length > 0)) return false;
  const inShape = plan.inputs[index].shape;
  const outShape = space ?? outDecl.shape;
  const sameShape = inShape.length === outShape.length && inShape.every((d, i) => d === outShape[i]);
  if (!sameShape) return false;
  return plan.outputs.every((o) =>
    loadsOf(o.expr, index).every((l) => l.coords.every((c, i) => c.k === 'coord' && c.axis === i)),
  );
}

function loadsOf(e: KExpr, input: number): Extract<KExpr, { k: 'load' }>[] {
  const out: Extract<KExpr, { k: 'load' }>[] = [];
  visitExpr(e, (x) => x.k === 'load' && x.input === input && out.push(x));
  return out;
}

/** A kernel that reads a buffer it also writes (in place) reads it through the output's binding. */
function withAliases(steps: readonly PlanStep[]): PlanStep[] {
  const alias = (p: KernelPlan): KernelPlan => {
    const pairs = p.inputs
      .map((o, i) => [i, p.outputs.findIndex((w) => w.buffer === o.buffer)] as const)
      .filter(([, k]) => k >= 0);
    return pairs.length ? { ...p, aliases: pairs } : p;
  };
  return steps.map((s): PlanStep => {
    switch (s.kind) {
      case 'kernel':
        return { kind: 'kernel', plan: alias(s.plan) };
      case 'kernels':
        return { kind: 'kernels', plans: s.plans.map(alias) };
      case 'loop':
        return { ...s, body: withAliases(s.body) };
      default:
        return s;
    }
  });
}

function renameSteps(steps: readonly PlanStep[], map: ReadonlyMap<number, number>): PlanStep[] {
  if (map.size === 0) return [...steps];
  const r = (b: number) => map.get(b) ?? b;
  const plan = (p: KernelPlan): KernelPlan => ({
    ...p,
    inputs: p.inputs.map((o) => ({ ...o, buffer: r(o.buffer) })),
    outputs: p.outputs.map((o) => ({ ...o, buffer: r(o.buffer) })),
  });
  return steps.map((s): PlanStep => {
    switch (s.kind) {
      case 'kernel':
        return { kind: 'kernel', plan: plan(s.plan) };
      case 'kernels':
        return { kind: 'kernels', plans: s.plans.map(plan) };
      case 'copy':
        return { kind: 'copy', from: r(s.from), to: r(s.to) };
      case 'loop':
        return {
          ...s,
          init: s.init.map(r),
          stateIn: s.stateIn.map(r),
          stateOut: s.stateOut.map(r),
          results: s.results.map(r),
          ...(s.xs ? { xs: s.xs.map((p) => ({ stacked: r(p.stacked), slice: r(p.slice) })) } : {}),
          ...(s.ys ? { ys: s.ys.map((p) => ({ slice: r(p.slice), stacked: r(p.stacked) })) } : {}),
          body: renameSteps(s.body, map),
        };
    }
  });
}

/**
 * Temporaries whose lifetimes do not overlap share a buffer of the same size. A buffer freed by
 * a step is reused only by a later step (one dispatch may not read and write one buffer), and
 * loop state, loop results, a scan's slices and stacks, and program outputs keep their own.
 */
function shareTemps(p: LoweredProgram): Map<number, number> {
  const pinned = new Set<number>(p.outputs);
  const first = new Map<number, number>();
  const lastUse = new Map<number, number>();
  let time = 0;
  const touch = (b: number, t: number) => {
    if (!first.has(b)) first.set(b, t);
    lastUse.set(b, Math.max(lastUse.get(b) ?? t, t));
  };
  const walk = (steps: readonly PlanStep[]) => {
    for (const s of steps) {
      if (s.kind === 'loop') {
        s.stateIn.forEach((b) => pinned.add(b));
        s.stateOut.forEach((b) => pinned.add(b));
        s.results.forEach((b) => pinned.add(b));
        // A scan's slices are filled and read by copies at the ends of each trip (outside the body's
        // steps), and its stacked results are written on every trip.
        (s.xs ?? []).forEach((p) => pinned.add(p.slice));
        (s.ys ?? []).forEach((p) => (pinned.add(p.slice), pinned.add(p.stacked)));
        const start = time++;
        const before = new Set(first.keys());
        walk(s.body);
        const end = time++;
        // A buffer that outlives one trip (made before the loop, or read again after it) spans the whole loop.
        for (const b of access(s).reads.concat(access(s).writes)) {
          if (before.has(b)) touch(b, end);
          touch(b, start);
        }
        for (const b of s.init) touch(b, start);
        continue;
      }
      const a = access(s);
      const t = time++;
      a.reads.forEach((b) => touch(b, t));
      a.writes.forEach((b) => touch(b, t));
    }
  };
  walk(p.steps);
  // Body-local temps read after their loop would have been extended above; a temp first made in
  // a body and read after the loop is pinned instead (it must survive the last trip).
  const eligible = p.buffers
    .filter((b) => b.kind === 'temp' && !pinned.has(b.id) && first.has(b.id))
    .sort((a, b) => first.get(a.id)! - first.get(b.id)!);
  const free = new Map<string, { id: number; end: number }[]>();
  const active: { id: number; end: number; key: string }[] = [];
  const rename = new Map<number, number>();
  for (const b of eligible) {
    const start = first.get(b.id)!;
    for (let i = active.length - 1; i >= 0; i--)
      if (active[i].end < start) {
        const [done] = active.splice(i, 1);
        const list = free.get(done.key) ?? [];
        list.push({ id: done.id, end: done.end });
        free.set(done.key, list);
      }
    const key = sizeKey(b.shape);
    const pool = free.get(key);
    const host = pool?.pop();
    const id = host ? host.id : b.id;
    if (host) rename.set(b.id, id);
    active.push({ id, end: lastUse.get(b.id)!, key });
  }
  return rename;
}
