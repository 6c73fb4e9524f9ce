import { formatLoc, formatType, type DType } from '../ir/index.ts';
import { concreteHost, isConcrete, type Concrete } from './concrete.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { checkLiteral, resultDType, weakKindOf, type OperandType } from './promote.ts';
import { Tensor } from './tensor.ts';
import { checkOwner, requireTrace, TraceError, type TraceContext } from './trace-context.ts';

/** What ax functions accept as an array argument. */
export type Operand = Tensor | Concrete | number | boolean;

export function operandType(x: Operand): OperandType {
  if (typeof x === 'number' || typeof x === 'boolean') return { weak: true, kind: weakKindOf(x) };
  return { weak: false, dtype: x.dtype };
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor ${formatType(x)}`;
  if (x === null) return 'null';
  if (x === undefined) return 'undefined (a missing argument or property?)';
  if (Array.isArray(x)) return 'a JS array (wrap it with ax.array(data, shape))';
  return typeof x === 'object' ? `a ${x.constructor?.name ?? 'object'}` : `a ${typeof x}`;
}

/** The trace an op runs in, after checking that every Tensor operand belongs to it. */
export function traceOf(op: string, operands: readonly unknown[]): TraceContext {
  const ctx = requireTrace(op);
  operands.forEach((x, i) => {
    if (x instanceof Tensor) checkOwner(op, x.ctx, ctx, `operand ${i} (${formatType(x)})`);
    else if (!(typeof x === 'number' || typeof x === 'boolean' || isConcrete(x))) {
      const loc = callSite();
      throw new TraceError(
        `ax.${op}: operand ${i} is ${describe(x)}; expected a Tensor, a concrete array, a number or a boolean` +
          (loc ? ` (at ${formatLoc(loc)})` : ''),
      );
    }
  });
  return ctx;
}

/** A splat constant of shape [] (broadcast by the consuming op). */
export function scalar(ctx: TraceContext, v: number | boolean, dtype: DType): Tensor {
  return emit(ctx, 'constant', [], { shape: [], dtype, value: [Number(v)] });
}

/** Embeds a concrete array as a constant node (once per array per trace). */
function captured(op: string, ctx: TraceContext, x: Concrete): Tensor {
  const known = ctx.captured.get(x);
  if (known) return new Tensor(ctx, known);
  const host = concreteHost(op, x);
  const t = emit(ctx, 'constant', [], { shape: [...host.shape], dtype: host.dtype, value: Array.from(host.data) });
  ctx.captured.set(x, t.value);
  return t;
}

/** A tensor of an enclosing trace, seen from a loop body: becomes a body input. */
function imported(ctx: TraceContext, t: Tensor): Tensor {
  return t.ctx === ctx ? t : new Tensor(ctx, ctx.importValue(t.value, t.ctx));
}

export function astypeIn(ctx: TraceContext, t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : emit(ctx, 'cast', [t], { dtype });
}

/** Converts one operand to a Tensor of `dtype` in `ctx`. */
export function liftAs(op: string, ctx: TraceContext, x: Operand, dtype: DType): Tensor {
  if (typeof x === 'number' || typeof x === 'boolean') {
    checkLiteral(op, x, dtype);
    return scalar(ctx, x, dtype);
  }
  return astypeIn(ctx, x instanceof Tensor ? imported(ctx, x) : captured(op, ctx, x), dtype);
}

/** Converts one operand to a Tensor of its own dtype (numbers become f32 or i32, booleans bool). */
export function lift(op: string, x: Operand): Tensor {
  const ctx = traceOf(op, [x]);
  return liftAs(op, ctx, x, resultDType(op, [operandType(x)]));
}

/** Converts operands to Tensors of their common dtype (see promote.ts). */
export function liftAll(op: string, xs: readonly Operand[]): { ctx: TraceContext; tensors: Tensor[]; dtype: DType } {
  const ctx = traceOf(op, xs);
  const dtype = resultDType(op, xs.map(operandType));
  return { ctx, dtype, tensors: xs.map((x) => liftAs(op, ctx, x, dtype)) };
}

/** Converts one operand to an f32 Tensor. */
export function liftF32(op: string, x: Operand): Tensor {
  const t = lift(op, x);
  return astypeIn(t.ctx, t, 'f32');
}
