import { formatType, sameType, ShapeError, Value, type Graph, type SourceLoc, type TensorType } from '../ir/index.ts';
import { callSite } from './location.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace, type TraceContext } from './trace-context.ts';
import { flatten, leafPaths, treeDefKey, unflatten, type Tree, type TreeDef } from './tree.ts';

export interface WhileOptions {
  /** The most trips the loop takes (it stops earlier once cond is false). */
  readonly maxTrips: number;
  /**
   * On WebGPU, the trips recorded into one submission before the runtime reads cond back
   * (default 10): larger chunks mean fewer round trips, and at most checkEvery − 1 trips that
   * compute nothing (they keep the converged state) after cond turns false. Values do not depend
   * on it.
   */
  readonly checkEvery?: number;
}

export const DEFAULT_CHECK_EVERY = 10;

/** A region traced on the state's types; inputs: the state, then the values it closes over. */
interface Traced {
  readonly graph: Graph;
  readonly closed: readonly Value[];
}

function traceRegion(ctx: TraceContext, types: readonly TensorType[], build: (inner: TraceContext, state: Tensor[]) => Tensor[], name: string): Traced {
  return withNewTrace((inner) => {
    const state = types.map((t) => new Tensor(inner, inner.builder.input(t)));
    const outs = build(inner, state);
    return { graph: inner.builder.build(outs.map((t) => t.value), name), closed: [...inner.closedOver.keys()] };
  }, ctx);
}

/** The region with inputs (state..., every closure of either region...), the unused ones fresh. */
function withClosures(r: Traced, carried: number, closures: readonly Value[]): Graph {
  const own = new Map(r.closed.map((v, i) => [v, r.graph.inputs[carried + i]]));
  return { ...r.graph, inputs: [...r.graph.inputs.slice(0, carried), ...closures.map((v) => own.get(v) ?? new Value(v.type))] };
}

/** The body's next state checked against the state's structure and types, as loop checks it. */
function nextState(inner: TraceContext, result: unknown, def: TreeDef, initial: readonly Tensor[], loc: SourceLoc | undefined): Tensor[] {
  const paths = leafPaths(def, 'state');
  const { leaves, def: got } = flatten<Operand>(result as Tree<Operand>);
  if (leaves.length !== initial.length || treeDefKey(got) !== treeDefKey(def))
    throw new ShapeError(
      'whileLoop',
      `the body must return a state with the structure of the initial state (${paths.join(', ')}), got ${leaves.length} arrays`,
      initial.map(formatType),
      loc,
    );
  return leaves.map((leaf, i) => {
    const t = liftAs('whileLoop', inner, leaf, initial[i].dtype);
    if (!sameType(t.value.type, initial[i].value.type))
      throw new ShapeError(
        'whileLoop',
        `the body returns ${formatType(t)} for ${paths[i]}, but the state is ${formatType(initial[i])}: return a new ${paths[i]} of the same shape and dtype`,
        [formatType(initial[i])],
        loc,
      );
    return t;
  });
}

/**
 * JAX's `lax.while_loop(cond, body, init)` with a bound: while `cond(state)` holds and fewer
 * than `maxTrips` trips were taken, `state = body(state)`; returns the first state for which
 * cond is false (`init` itself when cond(init) is false), or the state after maxTrips trips. cond
 * returns a scalar: bool, or a number meaning ≠ 0. Both may close over tensors of the enclosing
 * function.
 *
 * On WebGPU the loop runs in chunks of `checkEvery` trips, each chunk one submission; between
 * chunks the runtime reads one flag back and stops once cond is false. Inside a chunk every trip
 * is guarded on the device (a trip after cond turned false keeps the state), so the result is the
 * exact state at the trip where cond first fails, whatever checkEvery is.
 *
 * Reverse mode differentiates the trips actually taken, exactly: the loop is the guarded step
 * applied maxTrips times, differentiated as a scan (so it stores maxTrips states and runs maxTrips
 * backward steps).
 *
 *     const s = ax.whileLoop((s) => ax.max(ax.abs(s.grad)).gt(1e-4), step, s0, { maxTrips: 500 });
 */
export function whileLoop<S extends Tree<Tensor>>(cond: (state: S) => Operand, body: (state: S) => S, init: S | Tree<Operand>, options: WhileOptions): S {
  const ctx = requireTrace('whileLoop');
  const loc = callSite();
  const { maxTrips, checkEvery = DEFAULT_CHECK_EVERY } = options ?? ({} as WhileOptions);
  if (!Number.isInteger(maxTrips) || maxTrips < 0)
    throw new TraceError(`ax.whileLoop: options.maxTrips must be a non-negative integer (the most trips the loop may take), got ${maxTrips}`);
  if (!Number.isInteger(checkEvery) || checkEvery < 1)
    throw new TraceError(`ax.whileLoop: options.checkEvery must be a positive integer, got ${checkEvery}`);
  const { leaves, def } = flatten<Operand>(init as Tree<Operand>);
  if (leaves.length === 0) throw new TraceError('ax.whileLoop: the initial state has no arrays');
  const initial = leaves.map((leaf) => lift('whileLoop', leaf));
  const types = initial.map((t) => t.value.type);
  const asState = (ts: Tensor[]) => unflatten(def, ts) as S;

  const condRegion = traceRegion(ctx, types, (inner, state) => {
    const raw = cond(asState(state));
    const go = typeof raw === 'number' || typeof raw === 'boolean' ? liftAs('whileLoop', inner, raw, 'bool') : lift('whileLoop', raw);
    if (go.ndim !== 0 || !['bool', 'i32', 'u32', 'f32'].includes(go.dtype))
      throw new ShapeError('whileLoop', `cond must return a scalar (bool, or a number meaning != 0), got ${formatType(go)}`, types.map(formatType), loc);
    return [go.dtype === 'bool' ? go : go.ne(0)];
  }, 'cond');
  const bodyRegion = traceRegion(ctx, types, (inner, state) => nextState(inner, body(asState(state)), def, initial, loc), 'body');
  const closures = [...new Set([...condRegion.closed, ...bodyRegion.closed])];
  const carried = initial.length;
  const regions = [withClosures(condRegion, carried, closures), withClosures(bodyRegion, carried, closures)];
  const operands = [...initial.map((t) => t.value), ...closures];
  const attrs = { max_trips: maxTrips, check_every: checkEvery, carried };
  const results = ctx.builder.add('while_loop', operands, attrs, { regions, loc });
  return asState(results.map((v) => new Tensor(ctx, v)));
}
