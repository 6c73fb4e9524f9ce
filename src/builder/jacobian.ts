import { formatType, ShapeError, type Shape } from '../ir/index.ts';
import { jvp, vjp } from './autodiff.ts';
import { callSite } from './location.ts';
import { lift, liftAs, type Operand } from './operand.ts';
import { eye } from './ops-create.ts';
import { reshape } from './ops-shape.ts';
import { subtraceOutputType } from './subtrace.ts';
import { Tensor } from './tensor.ts';
import { requireTrace, TraceError } from './trace-context.ts';
import { vmap } from './vmap.ts';

/**
 * Jacobians and Hessians (JAX's jacrev, jacfwd, hessian), built from the transforms that already
 * exist: jacrev maps the VJP over the rows of an identity (one reverse pass per output element,
 * batched by vmap into one program), jacfwd maps the JVP over its columns, hessian is
 * jacfwd(jacrev(f)). The function takes and returns single f32 arrays here (the argument picked
 * by `argnums`; others are held fixed); the Jacobian of an output of shape O with respect to an
 * input of shape I has shape [...O, ...I]. Sizes must be concrete: the identity is materialised.
 */
export interface JacobianOptions {
  /** Which positional argument to differentiate (default 0). */
  argnums?: number;
}

type ArrayFn = (...args: any[]) => Tensor;

/** The size of a concrete shape; a ShapeError naming `what` for a symbolic one. */
function sizeOf(op: string, what: string, shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number')
      throw new ShapeError(op, `${what} has the symbolic shape [${shape.join(',')}]; a Jacobian needs concrete sizes (trace with a concrete batch)`, [], callSite());
    n *= d;
  }
  return n;
}

/** `fn` as a function of argument `argnum` alone, the other arguments held at `args`. */
function prepare(op: string, fn: ArrayFn, args: readonly Operand[], argnum: number) {
  if (!Number.isInteger(argnum) || argnum < 0 || argnum >= args.length)
    throw new TraceError(`ax.${op}: argnums ${argnum} is out of range for ${args.length} argument(s)`);
  const ctx = requireTrace(op);
  const arg = args[argnum];
  if (!(arg instanceof Tensor) && typeof arg !== 'number' && (typeof arg !== 'object' || arg === null || !('dtype' in arg)))
    throw new TraceError(`ax.${op}: argument ${argnum} must be a single array (pass trees through the other arguments, or ravel them)`);
  const x = typeof arg === 'number' ? liftAs(op, ctx, arg, 'f32') : lift(op, arg);
  if (x.dtype !== 'f32') throw new ShapeError(op, `argument ${argnum} is ${formatType(x)}; only f32 arrays can be differentiated`, [formatType(x)], callSite());
  const f = (xi: Tensor): Tensor => {
    const out = fn(...args.map((a, i) => (i === argnum ? xi : a)));
    if (!(out instanceof Tensor)) throw new TraceError(`ax.${op}: the function must return a single array`);
    return out;
  };
  const outType = subtraceOutputType(op, f, x);
  if (outType.dtype !== 'f32') throw new ShapeError(op, `the function returns ${formatType(outType)}; a Jacobian needs an f32 result`, [formatType(outType)], callSite());
  return { f, x, outShape: outType.shape, nIn: sizeOf(op, `argument ${argnum}`, x.shape), nOut: sizeOf(op, 'the result', outType.shape) };
}

/** `jacrev(fn)(...args)`: the Jacobian by reverse mode, [...out shape, ...argument shape]. */
export function jacrev(fn: ArrayFn, opts: JacobianOptions = {}) {
  return (...args: Operand[]): Tensor => {
    const { f, x, outShape, nOut } = prepare('jacrev', fn, args, opts.argnums ?? 0);
    const row = (ct: Tensor) => (vjp(f, x)[1](ct) as Tensor[])[0];
    const rows = vmap(row)(reshape(eye(nOut), [nOut, ...outShape])) as Tensor;
    return reshape(rows, [...outShape, ...x.shape]);
  };
}

/** `jacfwd(fn)(...args)`: the Jacobian by forward mode, [...out shape, ...argument shape]. */
export function jacfwd(fn: ArrayFn, opts: JacobianOptions = {}) {
  return (...args: Operand[]): Tensor => {
    const { f, x, outShape, nIn } = prepare('jacfwd', fn, args, opts.argnums ?? 0);
    const column = (t: Tensor) => jvp(f, [x], [t])[1] as Tensor;
    const columns = vmap(column, 0, -1)(reshape(eye(nIn), [nIn, ...x.shape])) as Tensor;
    return reshape(columns, [...outShape, ...x.shape]);
  };
}

/** `hessian(fn)(...args)`: jacfwd(jacrev(fn)), [...argument shape, ...argument shape] for a scalar fn. */
export function hessian(fn: ArrayFn, opts: JacobianOptions = {}) {
  const argnum = opts.argnums ?? 0;
  return (...args: Operand[]): Tensor =>
    jacfwd((xi: Tensor) => jacrev(fn, opts)(...args.map((a, i) => (i === argnum ? xi : a))))(args[argnum]);
}
