import { formatType, sameType, ShapeError, type Graph, type SourceLoc } from '../ir/index.ts';
import { callSite } from './location.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace } from './trace-context.ts';
import { flatten, leafPaths, treeDefKey, unflatten, type Tree } from './tree.ts';

export interface ScanOptions {
  /** The number of steps; required when `xs` has no arrays, else it must equal their leading axis. */
  readonly length?: number;
  /** Run the steps from the last slice to the first (slices are still read and stacked at their index). */
  readonly reverse?: boolean;
}

/** A step function: (carry, x_t) → [carry', y_t]. */
export type ScanStep<C, X, Y> = (carry: C, x: X) => readonly [C, Y];

const fail = (why: string, operands: readonly Tensor[], loc: SourceLoc | undefined) =>
  new ShapeError('scan', why, operands.map(formatType), loc);

/**
 * JAX's `lax.scan`: runs `f(carry, x_t)` for t = 0 … length − 1 (the other way with `reverse`)
 * and returns `[final carry, ys]`, where `ys` stacks each step's y along a new leading axis. The
 * carry, xs and ys are trees; each x_t is slice t of every array of `xs`. It is one `scan`
 * primitive: on WebGPU every step is recorded into one submission, each reading its slice of xs
 * and writing its slice of ys; its VJP is a reverse scan over the saved carries (backpropagation
 * through time), so the graph does not grow with the length. `f` may close over tensors of the
 * enclosing function.
 *
 *     const [h, hs] = ax.scan((h, x) => { const n = ax.tanh(h.matmul(w).add(x)); return [n, n]; }, h0, xs);
 */
export function scan<C extends Tree<Tensor>, X extends Tree<Tensor>, Y extends Tree<Tensor>>(
  f: ScanStep<C, X, Y>,
  init: C | Tree<Operand>,
  xs?: X | Tree<Operand>,
  options: ScanOptions = {},
): [C, Y] {
  const ctx = requireTrace('scan');
  const loc = callSite();
  if (typeof f !== 'function') throw new TraceError(`ax.scan: the step function is ${typeof f}; pass (carry, x) => [carry, y]`);
  const carry = flatten<Operand>((init ?? null) as Tree<Operand>);
  const carryInit = carry.leaves.map((leaf) => lift('scan', leaf));
  const carryPaths = leafPaths(carry.def, 'carry');
  const scanned = flatten<Operand>((xs ?? null) as Tree<Operand>);
  const xsInit = scanned.leaves.map((leaf) => lift('scan', leaf));
  const length = scanLength(xsInit, leafPaths(scanned.def, 'xs'), options, loc);
  const reverse = options.reverse ?? false;
  if (typeof reverse !== 'boolean') throw new TraceError(`ax.scan: options.reverse must be a boolean, got ${String(reverse)}`);

  let yDef!: ReturnType<typeof flatten>['def'];
  const { graph, outer } = withNewTrace((inner) => {
    const input = (t: { dtype: Tensor['dtype']; shape: Tensor['shape'] }) => new Tensor(inner, inner.builder.input(t));
    const carryIn = carryInit.map((t) => input({ dtype: t.dtype, shape: t.shape }));
    const sliceIn = xsInit.map((t) => input({ dtype: t.dtype, shape: t.shape.slice(1) }));
    const result = f(unflatten(carry.def, carryIn) as C, unflatten(scanned.def, sliceIn) as X);
    if (!Array.isArray(result) || result.length !== 2)
      throw fail('the step function must return [carry, y] (a pair; y may be null)', carryInit, loc);
    const next = flatten<Operand>(result[0] as Tree<Operand>);
    if (next.leaves.length !== carryInit.length || treeDefKey(next.def) !== treeDefKey(carry.def))
      throw fail(
        `the step must return a carry with the structure of the initial carry (${carryPaths.join(', ') || 'no arrays'}), ` +
          `got ${next.leaves.length} arrays`,
        carryInit,
        loc,
      );
    const carryOut = next.leaves.map((leaf, i) => {
      const t = liftAs('scan', inner, leaf, carryInit[i].dtype);
      if (!sameType(t.value.type, carryInit[i].value.type))
        throw fail(
          `the step returns ${formatType(t)} for ${carryPaths[i]}, but the carry is ${formatType(carryInit[i])}: ` +
            `return a new ${carryPaths[i]} of the same shape and dtype`,
          [carryInit[i]],
          loc,
        );
      return t;
    });
    const y = flatten<Operand>(result[1] as Tree<Operand>);
    yDef = y.def;
    const yOut = y.leaves.map((leaf) => (typeof leaf === 'number' ? liftAs('scan', inner, leaf, 'f32') : lift('scan', leaf)));
    const g: Graph = inner.builder.build([...carryOut, ...yOut].map((t) => t.value), 'body');
    return { graph: g, outer: [...inner.closedOver.keys()] };
  }, ctx);

  const operands = [...carryInit.map((t) => t.value), ...xsInit.map((t) => t.value), ...outer];
  const attrs = { length, carried: carryInit.length, scanned: xsInit.length, reverse };
  const results = ctx.builder.add('scan', operands, attrs, { regions: [graph], loc }).map((v) => new Tensor(ctx, v));
  const finalCarry = unflatten(carry.def, results.slice(0, carryInit.length)) as C;
  return [finalCarry, unflatten(yDef, results.slice(carryInit.length)) as Y];
}

/** The scan's length: options.length, or the common leading axis of the xs arrays (which must agree with it). */
function scanLength(xs: readonly Tensor[], paths: readonly string[], options: ScanOptions, loc: SourceLoc | undefined): number {
  const given = options.length;
  if (given !== undefined && (!Number.isInteger(given) || given < 0))
    throw new TraceError(`ax.scan: options.length must be a non-negative integer, got ${given}`);
  xs.forEach((t, i) => {
    if (t.shape.length === 0) throw fail(`${paths[i]} is a scalar; every array of xs needs a leading axis to scan over`, [t], loc);
    if (typeof t.shape[0] !== 'number')
      throw fail(`${paths[i]} is ${formatType(t)}; the scanned (leading) axis must be a size, not the symbolic dim ${t.shape[0]}`, [t], loc);
  });
  const length = given ?? (xs[0]?.shape[0] as number | undefined);
  if (length === undefined) throw new TraceError('ax.scan: xs has no arrays, so give the number of steps as options.length');
  xs.forEach((t, i) => {
    if (t.shape[0] !== length)
      throw fail(
        `${paths[i]} is ${formatType(t)}, but the scan has length ${length}${given === undefined ? ` (from ${paths[0]})` : ''}: ` +
          'every array of xs needs that leading axis',
        [t],
        loc,
      );
  });
  return length;
}
