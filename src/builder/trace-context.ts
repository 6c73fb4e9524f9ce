import { AxonicError, GraphBuilder, type Value } from '../ir/index.ts';

/** A builder-API call that cannot be traced (no active trace, a Tensor from another trace, ...). */
export class TraceError extends AxonicError {
  override name = 'TraceError';
}

let nextTraceId = 1;

/** One trace in progress: the graph being built and what it has captured. */
export class TraceContext {
  readonly id = nextTraceId++;
  readonly builder = new GraphBuilder();
  finished = false;
  /** Concrete arrays already captured as constants, by identity, so each is embedded once. */
  readonly captured = new Map<object, Value>();
  /**
   * For the body of a structured op (loop): values of the enclosing trace that the body closes
   * over, each turned into an extra body input (outer value -> body input).
   */
  readonly closedOver = new Map<Value, Value>();

  /** `parent` is set for a subgraph body that may close over the parent's tensors. */
  constructor(readonly parent?: TraceContext) {}

  /** Whether tensors of `owner` may be used here (they are imported as body inputs). */
  canImportFrom(owner: TraceContext): boolean {
    for (let p = this.parent; p; p = p.parent) if (p === owner) return !owner.finished;
    return false;
  }

  /** The value standing for `outer` (a value of an enclosing trace `owner`) inside this trace. */
  importValue(outer: Value, owner: TraceContext): Value {
    if (owner === this) return outer;
    const inParent = this.parent!.importValue(outer, owner);
    let inner = this.closedOver.get(inParent);
    if (!inner) {
      inner = this.builder.input(inParent.type);
      this.closedOver.set(inParent, inner);
    }
    return inner;
  }
}

const active: TraceContext[] = [];

/** The innermost trace in progress, or undefined outside every trace. */
export const currentTrace = (): TraceContext | undefined => active[active.length - 1];

/** Runs `body` with a fresh trace active; the trace is finished (and unusable) afterwards. */
export function withNewTrace<T>(body: (ctx: TraceContext) => T, parent?: TraceContext): T {
  const ctx = new TraceContext(parent);
  active.push(ctx);
  try {
    return body(ctx);
  } finally {
    active.pop();
    ctx.finished = true;
  }
}

/** The trace an op called `op` adds its node to; throws when there is none. */
export function requireTrace(op: string): TraceContext {
  const ctx = currentTrace();
  if (!ctx)
    throw new TraceError(
      `ax.${op} was called outside a trace: call it inside a function passed to ax.jit or ax.trace`,
    );
  return ctx;
}

/** Checks that a Tensor made by trace `owner` may be used by `op` in trace `ctx`. */
export function checkOwner(op: string, owner: TraceContext, ctx: TraceContext, what: string): void {
  if (owner === ctx || ctx.canImportFrom(owner)) return;
  if (owner.finished)
    throw new TraceError(
      `ax.${op}: ${what} belongs to a trace that has finished (it escaped its traced function); ` +
        `return it from that function, or pass the concrete value in as an argument`,
    );
  throw new TraceError(
    `ax.${op}: ${what} belongs to an outer trace; pass it to the inner traced function as an argument ` +
      `instead of closing over it`,
  );
}
