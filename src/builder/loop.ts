import { formatLoc, formatType, sameType, ShapeError, type Graph, type SourceLoc } from '../ir/index.ts';
import { callSite } from './location.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace, type TraceContext } from './trace-context.ts';
import { loopUntil, type ToleranceOptions } from './tolerance-loop.ts';
import { flatten, leafPaths, treeDefKey, unflatten, type Tree } from './tree.ts';

/** The user's line that made `t` in trace `ctx`, when a node of that trace made it. */
function madeAt(ctx: TraceContext, t: Tensor): SourceLoc | undefined {
  return ctx.builder.nodes.find((n) => n.outputs.includes(t.value))?.loc;
}

/** A loop state: one Tensor or a tree of them (arrays and plain objects). */
export type LoopState = Tree<Tensor>;

/**
 * Runs `body` `trips` times on a carried state and returns the final state, as one `loop`
 * primitive: on WebGPU every iteration is recorded into the same submission. The body receives
 * the state (same tree structure, dtypes and shapes as `init`) and, if it declares a second
 * parameter, the iteration index as an i32 scalar. It may close over tensors of the enclosing
 * function; they become loop-invariant operands. With `options.tol`, `trips` is a maximum and the
 * loop stops at the first trip whose residual falls under tol (see tolerance-loop.ts).
 *
 *     const s = ax.loop(50, (s) => s.add(s.neg().add(ax.tanh(s.matmul(w).add(x))).mul(0.1)), s0);
 */
export function loop<S extends LoopState>(trips: number, body: (state: S, i: Tensor) => S, init: S, options?: ToleranceOptions<S>): S {
  if (options !== undefined) return loopUntil(trips, body, init, options);
  const ctx = requireTrace('loop');
  if (!Number.isInteger(trips) || trips < 0)
    throw new TraceError(`ax.loop: trips must be a non-negative integer, got ${trips}`);
  const loc = callSite();
  const { leaves, def } = flatten<Operand>(init as Tree<Operand>);
  if (leaves.length === 0) throw new TraceError('ax.loop: the initial state has no arrays');
  const paths = leafPaths(def, 'state');
  const initial = leaves.map((leaf) => lift('loop', leaf));
  const counted = body.length >= 2;
  const carriedInit = counted ? [...initial, liftAs('loop', ctx, 0, 'i32')] : initial;

  const { graph, outer } = withNewTrace((inner) => {
    const inputs = carriedInit.map((t) => new Tensor(inner, inner.builder.input({ dtype: t.dtype, shape: t.shape })));
    const state = unflatten(def, counted ? inputs.slice(0, -1) : inputs) as S;
    const result = body(state, counted ? inputs[inputs.length - 1] : (undefined as unknown as Tensor));
    const { leaves: outs, def: outDef } = flatten<Operand>(result as Tree<Operand>);
    if (outs.length !== leaves.length || treeDefKey(outDef) !== treeDefKey(def))
      throw new ShapeError(
        'loop',
        `the body must return a state with the structure of the initial state (${paths.join(', ')}), got ${outs.length} arrays`,
        initial.map(formatType),
        loc,
      );
    const next = outs.map((leaf, i) => {
      const t = liftAs('loop', inner, leaf, initial[i].dtype);
      if (!sameType(t.value.type, initial[i].value.type)) {
        const made = madeAt(inner, t);
        throw new ShapeError(
          'loop',
          `the body returns ${formatType(t)} for ${paths[i]}, but the state is ${formatType(initial[i])}: return a new ` +
            `${paths[i]} of the same shape and dtype${made ? ` (the body made it at ${formatLoc(made)})` : ''}`,
          [formatType(initial[i])],
          loc,
        );
      }
      return t;
    });
    if (counted) next.push(liftAs('loop', inner, inputs[inputs.length - 1].add(1), 'i32'));
    const g: Graph = inner.builder.build(next.map((t) => t.value), 'body');
    return { graph: g, outer: [...inner.closedOver.keys()] };
  }, ctx);

  const operands = [...carriedInit.map((t) => t.value), ...outer];
  const results = ctx.builder.add('loop', operands, { trips, carried: carriedInit.length }, { regions: [graph], loc });
  const state = results.slice(0, leaves.length).map((v) => new Tensor(ctx, v));
  return unflatten(def, state) as S;
}

/**
 * JAX's `fori_loop(lower, upper, body, init)`: `body(i, state)` for i = lower … upper − 1.
 */
export function foriLoop<S extends LoopState>(lower: number, upper: number, body: (i: Tensor, state: S) => S, init: S): S {
  if (!Number.isInteger(lower) || !Number.isInteger(upper))
    throw new TraceError(`ax.foriLoop: bounds must be integers, got ${lower} and ${upper}`);
  return loop(Math.max(upper - lower, 0), (s: S, i: Tensor) => body(i.add(lower), s), init);
}
