import { formatType, ShapeError, Value, type Graph, type TensorType } from '../ir/index.ts';
import { emit } from './emit.ts';
import { callSite } from './location.ts';
import { lift, liftAs, scalar, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError, withNewTrace, type TraceContext } from './trace-context.ts';
import { flatten, leafPaths, treeDefKey, unflatten, type Tree, type TreeDef } from './tree.ts';

/** A branch: takes the operands (trees of Tensors, as given) and returns a tree of Tensors. */
export type Branch<R extends Tree<Tensor>> = (...operands: any[]) => R;

/** One branch traced into a region: inputs are the operand leaves, then the values it closes over. */
interface TracedBranch {
  readonly graph: Graph;
  readonly def: TreeDef;
  /** Values of the enclosing trace the branch closes over, in the order of its extra inputs. */
  readonly closed: readonly Value[];
}

function traceBranch(op: string, ctx: TraceContext, fn: Branch<Tree<Tensor>>, operandDef: TreeDef, types: readonly TensorType[]): TracedBranch {
  return withNewTrace((inner) => {
    const ins = types.map((t) => new Tensor(inner, inner.builder.input(t)));
    const result = fn(...(unflatten(operandDef, ins) as unknown[]));
    const { leaves, def } = flatten<Operand>(result as Tree<Operand>);
    const outs = leaves.map((leaf) => lift(op, leaf));
    return { graph: inner.builder.build(outs.map((t) => t.value), 'branch'), def, closed: [...inner.closedOver.keys()] };
  }, ctx);
}

/** The branch's region with inputs (operands..., every closure of either branch...), unused ones fresh. */
function withClosures(b: TracedBranch, operands: number, closures: readonly Value[], name: string): Graph {
  const own = new Map(b.closed.map((v, i) => [v, b.graph.inputs[operands + i]]));
  const inputs = [...b.graph.inputs.slice(0, operands), ...closures.map((v) => own.get(v) ?? new Value(v.type))];
  return { ...b.graph, name, inputs };
}

/** A cond node choosing between two branches (labelled for errors) on a bool scalar. */
function condOf<R extends Tree<Tensor>>(
  op: string,
  pred: Tensor,
  branches: readonly [Branch<R>, Branch<R>],
  labels: readonly [string, string],
  operands: readonly Tree<Operand>[],
): R {
  const ctx = requireTrace(op);
  const loc = callSite();
  const { leaves, def } = flatten<Operand>(operands as Tree<Operand>);
  const xs = leaves.map((leaf) => (typeof leaf === 'number' ? liftAs(op, ctx, leaf, 'f32') : lift(op, leaf)));
  const types = xs.map((t) => ({ dtype: t.dtype, shape: t.shape }));
  const [a, b] = branches.map((fn) => traceBranch(op, ctx, fn, def, types));
  const operandTypes = [formatType(pred), ...xs.map(formatType)];
  const outTypes = (t: TracedBranch) => t.graph.outputs.map((v) => formatType(v.type)).join(', ');
  if (treeDefKey(a.def) !== treeDefKey(b.def))
    throw new ShapeError(op, `${labels[0]} returns (${leafPaths(a.def, 'out').join(', ')}) but ${labels[1]} returns (${leafPaths(b.def, 'out').join(', ')}): the branches must return the same structure`, operandTypes, loc);
  if (outTypes(a) !== outTypes(b))
    throw new ShapeError(op, `${labels[0]} returns (${outTypes(a)}) but ${labels[1]} returns (${outTypes(b)}): the branches must return the same dtypes and shapes`, operandTypes, loc);
  const closures = [...new Set([...a.closed, ...b.closed])];
  const regions = [withClosures(a, xs.length, closures, 'then'), withClosures(b, xs.length, closures, 'else')];
  const results = ctx.builder.add('cond', [pred.value, ...xs.map((t) => t.value), ...closures], {}, { regions, loc });
  return unflatten(a.def, results.map((v) => new Tensor(ctx, v))) as R;
}

/** A scalar of an allowed dtype, or a ShapeError naming `op` and the operand. */
function scalarOperand(op: string, what: string, x: Operand, dtypes: readonly string[]): Tensor {
  const t = lift(op, x);
  if (t.ndim !== 0 || !dtypes.includes(t.dtype))
    throw new ShapeError(op, `the ${what} must be a scalar of dtype ${dtypes.join(' or ')}, got ${formatType(t)}`, [formatType(t)], callSite());
  return t;
}

/**
 * JAX's `lax.cond(pred, trueFn, falseFn, ...operands)`: `trueFn(...operands)` when pred holds,
 * else `falseFn(...operands)`, as one `cond` node whose branches are traced into regions. Both
 * branches must return the same structure, dtypes and shapes. `pred` is a bool scalar (an integer
 * scalar means pred != 0). Tensors a branch closes over become operands. The reference evaluates
 * only the chosen branch; on WebGPU the choice is made on the device (both branches run, a select
 * keeps one: no host round trip). Gradients flow through the chosen branch only; under vmap a
 * batched predicate selects per example, as in JAX.
 *
 *     const y = ax.cond(x.sum().gt(0), (v) => v.mul(2), (v) => v.neg(), x);
 */
export function cond<R extends Tree<Tensor>>(pred: Operand, trueFn: Branch<R>, falseFn: Branch<R>, ...operands: Tree<Operand>[]): R {
  const p = scalarOperand('cond', 'predicate', pred, ['bool', 'i32', 'u32']);
  const flag = p.dtype === 'bool' ? p : emit(p.ctx, 'ne', [p, scalar(p.ctx, 0, p.dtype)], {});
  return condOf('cond', flag, [trueFn, falseFn], ['trueFn', 'falseFn'], operands);
}

/**
 * JAX's `lax.switch(index, branches, ...operands)`: `branches[index](...operands)`, the index (an
 * integer scalar) clamped into [0, branches.length - 1] as JAX clamps it. Built as a balanced
 * tree of cond nodes on `index <= mid`, which clamps by itself; one branch is called directly.
 * (Exported as `ax.switch`.)
 *
 *     const y = ax.switch(k, [(v) => v.sin(), (v) => v.cos(), (v) => v.tanh()], x);
 */
export function switchOf<R extends Tree<Tensor>>(index: Operand, branches: readonly Branch<R>[], ...operands: Tree<Operand>[]): R {
  if (!Array.isArray(branches) || branches.length === 0)
    throw new TraceError('ax.switch: branches must be a non-empty array of functions');
  const i = scalarOperand('switch', 'index', index, ['i32', 'u32']);
  const k = i.dtype === 'i32' ? i : emit(i.ctx, 'cast', [i], { dtype: 'i32' });
  const pick = (lo: number, hi: number, ops: readonly Tree<Operand>[]): R => {
    if (lo === hi) return branches[lo](...ops);
    const mid = (lo + hi) >> 1;
    const left: Branch<R> = (...xs) => pick(lo, mid, xs);
    const right: Branch<R> = (...xs) => pick(mid + 1, hi, xs);
    return condOf('switch', k.le(mid), [left, right], [`branch ${lo}`, `branch ${mid + 1}`], ops);
  };
  return pick(0, branches.length - 1, operands);
}
