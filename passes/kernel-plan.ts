import {
  formatExpr, formatShape, formatType,
  type BufferDecl, type Dim, type DType, type KExpr, type LoopStep, type Shape,
} from '../src/ir/index.ts';

/**
 * The kernel stage of the compiler, as data: each kernel reads some buffers, writes one, and
 * has an anchor that fixes its iteration space. Expressions are KExpr trees over the kernel's
 * inputs (by position), so fusion only has to compose them.
 */
export interface PlanOperand {
  readonly buffer: number;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** out[c0, c1, ...] = expr, for every coordinate of the output shape. */
export interface MapAnchor {
  readonly kind: 'map';
  readonly expr: KExpr;
}

export type ReduceOpName = 'reduce_sum' | 'reduce_max' | 'reduce_min';

/**
 * out[kept coords] = combine over the reduced coords of expr, where expr reads the input's
 * coordinates c0..c(rank-1). The output keeps the non-reduced axes in order (keepdims only
 * inserts size-1 axes, which do not change the linear layout).
 */
export interface ReduceAnchor {
  readonly kind: 'reduce';
  readonly op: ReduceOpName;
  readonly inShape: Shape;
  readonly axes: readonly number[];
  readonly expr: KExpr;
}

/**
 * out[batch..., m..., n...] = sum over k... of lhs * rhs, where `lhs` reads coordinates
 * (batch..., m..., k...) and `rhs` reads (batch..., k..., n...).
 */
export interface ContractAnchor {
  readonly kind: 'contract';
  readonly batch: readonly Dim[];
  readonly m: readonly Dim[];
  readonly n: readonly Dim[];
  readonly k: readonly Dim[];
  readonly lhs: KExpr;
  readonly rhs: KExpr;
}

export type Anchor = MapAnchor | ReduceAnchor | ContractAnchor;

export interface KernelPlan {
  /** What the kernel computes, for names and dumps (the op it came from). */
  readonly name: string;
  readonly inputs: readonly PlanOperand[];
  readonly output: PlanOperand;
  readonly anchor: Anchor;
  /** WGSL helper functions the expressions call, each included once. */
  readonly preludes: readonly string[];
}

/** What a compiled program does, in kernel plans rather than WGSL. */
export type PlanStep =
  | { readonly kind: 'kernel'; readonly plan: KernelPlan }
  | { readonly kind: 'copy'; readonly from: number; readonly to: number }
  | LoopStep<PlanStep>;

export interface LoweredProgram {
  readonly name: string;
  readonly dims: readonly string[];
  readonly buffers: readonly BufferDecl[];
  readonly steps: readonly PlanStep[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
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
  plan.inputs.forEach((o, i) => lines.push(`  ${operand(o, `in${i}`)}`));
  lines.push(`  ${operand(plan.output, 'out')}`);
  const a = plan.anchor;
  switch (a.kind) {
    case 'map':
      lines.push(`  map out${dims(plan.output.shape)}[c...] = ${formatExpr(a.expr)}`);
      break;
    case 'reduce':
      lines.push(`  reduce ${a.op} over axes [${a.axes}] of ${dims(a.inShape)}: ${formatExpr(a.expr)}`);
      break;
    case 'contract':
      lines.push(`  contract batch ${dims(a.batch)} m ${dims(a.m)} n ${dims(a.n)} k ${dims(a.k)}`);
      lines.push(`    lhs[batch, m, k] = ${formatExpr(a.lhs)}`);
      lines.push(`    rhs[batch, k, n] = ${formatExpr(a.rhs)}`);
      break;
  }
  if (plan.preludes.length) lines.push(`  uses ${plan.preludes.map(preludeName).join(', ')}`);
  return lines.join('\n');
}

function formatSteps(steps: readonly PlanStep[], indent: string, out: string[]): void {
  for (const s of steps) {
    switch (s.kind) {
      case 'kernel':
        for (const line of formatPlan(s.plan).split('\n')) out.push(indent + line);
        break;
      case 'copy':
        out.push(`${indent}copy b${s.from} -> b${s.to}`);
        break;
      case 'loop': {
        const list = (ids: readonly number[]) => ids.map((b) => `b${b}`).join(',');
        const state = `state [${list(s.stateIn)}] -> [${list(s.stateOut)}]`;
        out.push(`${indent}loop ${s.trips} times: init [${list(s.init)}] ${state} results [${list(s.results)}] {`);
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
