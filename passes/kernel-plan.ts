import {
  formatExpr, formatShape, formatType,
  type BufferDecl, type Combiner, type Dim, type DType, type KExpr, type LoopStep, type Shape,
} from '../src/ir/index.ts';

/**
 * The kernel stage of the compiler, as data. A kernel has one anchor that fixes its iteration
 * space and computes a value at each of its points (a map has no value of its own; a reduction
 * combines `expr` over the reduced axes; a contraction sums lhs·rhs over k). Each output stores
 * an expression over the coordinates c0.. of the output space, in which `acc` is the anchor's
 * value: a map's outputs are its expressions, a reduction's or contraction's outputs are its
 * epilogues (bias, activation, the SGD update). Expressions are KExpr trees over the kernel's
 * inputs (by position), so fusion composes them and the renderer prints them.
 */
export interface PlanOperand {
  readonly buffer: number;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** A buffer the kernel writes: `expr` at every point of the output space, stored row-major. */
export interface PlanOutput extends PlanOperand {
  readonly expr: KExpr;
}

/** The output space is `shape` itself. */
export interface MapAnchor {
  readonly kind: 'map';
  readonly shape: Shape;
}

/**
 * acc = combine over the reduced coords of expr, where expr reads the coordinates
 * c0..c(rank-1) of `inShape`. The output space keeps the non-reduced axes in order.
 */
export interface ReduceAnchor {
  readonly kind: 'reduce';
  readonly combiner: Combiner;
  /** The value an empty reduction gives (the combiner's identity in the dtype). */
  readonly identity: number;
  /** The dtype of `acc`. */
  readonly dtype: DType;
  readonly inShape: Shape;
  readonly axes: readonly number[];
  readonly expr: KExpr;
}

/**
 * acc = sum over k... of lhs * rhs, where `lhs` reads coordinates (batch..., m..., k...) and
 * `rhs` reads (batch..., k..., n...). The output space is (batch..., m..., n...).
 */
export interface ContractAnchor {
  readonly kind: 'contract';
  /** The dtype of `acc`. */
  readonly dtype: DType;
  readonly batch: readonly Dim[];
  readonly m: readonly Dim[];
  readonly n: readonly Dim[];
  readonly k: readonly Dim[];
  readonly lhs: KExpr;
  readonly rhs: KExpr;
}

export type Anchor = MapAnchor | ReduceAnchor | ContractAnchor;

export interface KernelPlan {
  /** What the kernel computes, for names and dumps (the ops it came from). */
  readonly name: string;
  readonly inputs: readonly PlanOperand[];
  readonly outputs: readonly PlanOutput[];
  readonly anchor: Anchor;
  /** WGSL helper functions the expressions call (registry preludes), each included once. */
  readonly preludes: readonly string[];
  /**
   * Inputs computed over in place: input i is the buffer that output k writes (a donated
   * argument), read through output k's binding, since one dispatch may not bind a buffer both
   * read-only and writable. Pairs [i, k].
   */
  readonly aliases?: readonly (readonly [number, number])[];
}

/** The inputs a kernel binds: all but those it reads through an output (see KernelPlan.aliases). */
export const boundInputs = (plan: KernelPlan): number[] =>
  plan.inputs.map((_, i) => i).filter((i) => !plan.aliases?.some(([a]) => a === i));

/** The shape of the space a kernel's outputs are written over. */
export function outputSpace(a: Anchor): Shape {
  switch (a.kind) {
    case 'map':
      return a.shape;
    case 'reduce':
      return a.inShape.filter((_, i) => !a.axes.includes(i));
    case 'contract':
      return [...a.batch, ...a.m, ...a.n];
  }
}

/** What a compiled program does, in kernel plans rather than WGSL. */
export type PlanStep =
  | { readonly kind: 'kernel'; readonly plan: KernelPlan }
  /** Independent kernels that run in one dispatch, each on its own range of workgroups. */
  | { readonly kind: 'kernels'; readonly plans: readonly KernelPlan[] }
  | { readonly kind: 'copy'; readonly from: number; readonly to: number }
  | LoopStep<PlanStep>;

export interface LoweredProgram {
  readonly name: string;
  readonly dims: readonly string[];
  readonly buffers: readonly BufferDecl[];
  readonly steps: readonly PlanStep[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Outputs written in place into donated inputs (output position → input position). */
  readonly donated?: ReadonlyMap<number, number>;
}

const preludeName = (src: string): string => /fn\s+(\w+)/.exec(src)?.[1] ?? '?';
const dims = (ds: readonly Dim[]): string => formatShape(ds);

/**
 * One kernel as text. With `buffers` false the operands are positional only, which is what a
 * kernel shared by several dispatches has in common.
 */
export function formatPlan(plan: KernelPlan, opts: { buffers?: boolean } = {}): string {
  const withBuffers = opts.buffers ?? true;
  const operand = (o: PlanOperand, name: string) =>
    `${name}: ${formatType(o)}${withBuffers ? ` = b${o.buffer}` : ''}`;
  const lines = [`kernel ${plan.name}`];
  const aliased = new Map(plan.aliases ?? []);
  plan.inputs.forEach((o, i) =>
    lines.push(`  ${operand(o, `in${i}`)}${aliased.has(i) ? ` (in place: read through out${aliased.get(i)})` : ''}`),
  );
  const a = plan.anchor;
  switch (a.kind) {
    case 'map':
      lines.push(`  map over ${dims(a.shape)}`);
      break;
    case 'reduce':
      lines.push(`  reduce ${a.combiner} over axes [${a.axes}] of ${dims(a.inShape)}: acc = ${formatExpr(a.expr)}`);
      break;
    case 'contract':
      lines.push(`  contract batch ${dims(a.batch)} m ${dims(a.m)} n ${dims(a.n)} k ${dims(a.k)}`);
      lines.push(`    lhs[batch, m, k] = ${formatExpr(a.lhs)}`);
      lines.push(`    rhs[batch, k, n] = ${formatExpr(a.rhs)}`);
      break;
  }
  plan.outputs.forEach((o, i) => lines.push(`  ${operand(o, `out${i}`)} <- ${formatExpr(o.expr)}`));
  if (plan.preludes.length) lines.push(`  uses ${plan.preludes.map(preludeName).join(', ')}`);
  return lines.join('\n');
}

function formatSteps(steps: readonly PlanStep[], indent: string, out: string[]): void {
  for (const s of steps) {
    switch (s.kind) {
      case 'kernel':
        for (const line of formatPlan(s.plan).split('\n')) out.push(indent + line);
        break;
      case 'kernels':
        out.push(`${indent}one dispatch of ${s.plans.length} kernels {`);
        for (const p of s.plans) for (const line of formatPlan(p).split('\n')) out.push(`${indent}  ${line}`);
        out.push(`${indent}}`);
        break;
      case 'copy':
        out.push(`${indent}copy b${s.from} -> b${s.to}`);
        break;
      case 'loop': {
        const list = (ids: readonly number[]) => ids.map((b) => `b${b}`).join(',');
        const state = `state [${list(s.stateIn)}] -> [${list(s.stateOut)}]`;
        const slices = (name: string, pairs: LoopStep<PlanStep>['xs'], arrow: (p: { stacked: number; slice: number }) => string) =>
          pairs?.length ? ` ${name} [${pairs.map(arrow).join(',')}]` : '';
        const scanned =
          slices('xs', s.xs, (p) => `b${p.stacked}[t]->b${p.slice}`) +
          slices('ys', s.ys, (p) => `b${p.slice}->b${p.stacked}[t]`) +
          (s.reverse ? ' reverse' : '') +
          (s.until ? ` until !b${s.stateIn[s.until.flag]} (read every ${s.until.checkEvery})` : '');
        out.push(`${indent}loop ${s.trips} times: init [${list(s.init)}] ${state} results [${list(s.results)}]${scanned} {`);
        formatSteps(s.body, indent + '  ', out);
        out.push(`${indent}}`);
        break;
      }
    }
  }
}

/** The whole lowered program: buffers, then steps with their kernel plans. */
export function formatLowered(p: LoweredProgram): string {
  const lines = [`program @${p.name} dims [${p.dims.join(',')}]`];
  for (const b of p.buffers) {
    const data = b.data ? ` data(${b.data.length})` : '';
    lines.push(`  b${b.id}: ${formatType(b)} ${b.kind}${data}`);
  }
  lines.push(`  inputs [${p.inputs.map((b) => `b${b}`).join(',')}] outputs [${p.outputs.map((b) => `b${b}`).join(',')}]`);
  formatSteps(p.steps, '  ', lines);
  return lines.join('\n') + '\n';
}

/** Every kernel of a program, loop bodies included, in program order. */
export function* planKernels(steps: readonly PlanStep[]): Generator<KernelPlan> {
  for (const s of steps) {
    if (s.kind === 'kernel') yield s.plan;
    else if (s.kind === 'kernels') yield* s.plans;
    else if (s.kind === 'loop') yield* planKernels(s.body);
  }
}
