import type { OpAttrs, OpName } from '../ir/index.ts';
import { callSite } from './location.ts';
import { Tensor } from './tensor.ts';
import type { TraceContext } from './trace-context.ts';

/** Adds one primitive to the trace, located at the user's call site, and wraps its result. */
export function emit<K extends OpName>(ctx: TraceContext, op: K, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor {
  const value = ctx.builder.add1(op, inputs.map((t) => t.value), attrs, callSite());
  return new Tensor(ctx, value);
}
