import { vjpGraph } from '../../passes/autodiff.ts';
import { formatType, ShapeError, type Value } from '../ir/index.ts';
import { callSite } from './location.ts';
import { liftAs, type Operand } from './operand.ts';
import { Tensor } from './tensor.ts';
import { inlineInto, traceSub, type SubTrace } from './subtrace.ts';
import { argumentPaths } from './trace.ts';
import { TraceError } from './trace-context.ts';
import { flatten, numLeaves, unflatten, type Tree, type TreeDef } from './tree.ts';
import { emit } from './emit.ts';
import type { ArgsOf, AuxOf, GradsOf } from './grad-types.ts';

export interface GradOptions {
  /** Which positional arguments to differentiate (default 0); an array gives a tuple of gradients. */
  argnums?: number | readonly number[];
  /** The function returns [output, aux]; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

type Fn = (...args: any[]) => unknown;

/** Graph input indices of the leaves of the chosen positional arguments, per argument. */
function leafRanges(inDef: TreeDef): [number, number][] {
  if (inDef.kind !== 'array') throw new Error('argument list must be an array');
  let start = 0;
  return inDef.children.map((child) => {
    const n = numLeaves(child);
    const r: [number, number] = [start, start + n];
    start += n;
    return r;
  });
}

function zeros(sub: SubTrace, v: Value): Value {
  return emit(sub.ctx, 'constant', [], { shape: v.type.shape, dtype: v.type.dtype, value: [0] }).value;
}

/**
 * `valueAndGrad(fn)(...args)` = [fn(...args), ∇ fn] for a scalar f32 `fn` (JAX's value_and_grad).
 * With `hasAux`, fn returns [out, aux] and the value is [out, aux]. Works under a trace (inside
 * ax.jit / ax.trace), composes with itself (grad of grad) and with vmap.
 */
export function valueAndGrad<F extends Fn, const N extends number | readonly number[] = 0>(
  fn: F,
  opts?: { argnums?: N; hasAux?: false },
): (...args: ArgsOf<Parameters<F>>) => [Tensor, GradsOf<Parameters<F>, N>];
export function valueAndGrad<F extends Fn, const N extends number | readonly number[] = 0>(
  fn: F,
  opts: { argnums?: N; hasAux: true },
): (...args: ArgsOf<Parameters<F>>) => [[Tensor, AuxOf<ReturnType<F>>], GradsOf<Parameters<F>, N>];
export function valueAndGrad(fn: Fn, opts?: GradOptions): (...args: Tree<Operand>[]) => [Tree<Tensor>, Tree<Tensor>];
export function valueAndGrad(fn: Fn, opts: GradOptions = {}): (...args: any[]) => [any, any] {
  const argnums = opts.argnums ?? 0;
  const nums = typeof argnums === 'number' ? [argnums] : [...argnums];
  return (...args: Tree<Operand>[]): [Tree<Tensor>, Tree<Tensor>] => {
    for (const i of nums)
      if (!Number.isInteger(i) || i < 0 || i >= args.length)
        throw new TraceError(`ax.grad: argnums ${i} is out of range for ${args.length} argument(s)`);
    const sub = traceSub('grad', fn, args);
    const { graph, outDef } = sub;
    const outLeaves = graph.outputs;
    let auxDef: TreeDef | undefined;
    if (opts.hasAux) {
      if (outDef.kind !== 'array' || outDef.children.length !== 2)
        throw new TraceError('ax.grad with hasAux: the function must return [output, aux]');
      auxDef = outDef.children[1];
      if (outDef.children[0].kind !== 'leaf') throw new TraceError('ax.grad with hasAux: output must be a single array');
    } else if (outDef.kind !== 'leaf') {
      throw new TraceError('ax.grad: the function must return a single scalar array (use hasAux for extra results)');
    }
    // The arguments first: an integer argument makes an integer output too, and is the cause.
    const ranges = leafRanges(sub.inDef);
    const paths = argumentPaths(fn, sub.inDef);
    const wrt: number[] = [];
    for (const i of nums)
      for (let j = ranges[i][0]; j < ranges[i][1]; j++) {
        const type = graph.inputs[j].type;
        if (type.dtype !== 'f32')
          throw new ShapeError(
            'grad',
            `cannot differentiate with respect to ${paths[j]} (${formatType(type)}): only f32 arrays have gradients; ` +
              `cast it with .astype('f32') before the call, or leave argument ${i} out of argnums`,
            [formatType(type)],
            callSite(),
          );
        wrt.push(j);
      }
    const out = outLeaves[0];
    if (out.type.shape.length !== 0 || out.type.dtype !== 'f32')
      throw new ShapeError('grad', `the differentiated function must return an f32 scalar, got ${formatType(out.type)}`, [formatType(out.type)], callSite());
    const vg = vjpGraph(graph, wrt, [0]);
    const one = liftAs('grad', sub.ctx, 1, 'f32').value;
    const results = inlineInto(sub.ctx, vg, [...sub.args.map((t) => t.value), ...sub.closedOver, one]);
    const values = results.slice(0, outLeaves.length);
    const grads = results.slice(outLeaves.length);
    const gradTrees: Tree<Tensor>[] = [];
    let k = 0;
    const inDef = sub.inDef as Extract<TreeDef, { kind: 'array' }>;
    for (const i of nums) {
      const n = ranges[i][1] - ranges[i][0];
      gradTrees.push(unflatten(inDef.children[i], grads.slice(k, k + n)));
      k += n;
    }
    const g = typeof argnums === 'number' ? gradTrees[0] : gradTrees;
    const value = opts.hasAux ? [values[0], unflatten(auxDef!, values.slice(1))] : values[0];
    return [value, g];
  };
}

/** `grad(fn)(...args)`: the gradient of a scalar f32 function (with `hasAux`: [grad, aux]). */
export function grad<F extends Fn, const N extends number | readonly number[] = 0>(
  fn: F,
  opts?: { argnums?: N; hasAux?: false },
): (...args: ArgsOf<Parameters<F>>) => GradsOf<Parameters<F>, N>;
export function grad<F extends Fn, const N extends number | readonly number[] = 0>(
  fn: F,
  opts: { argnums?: N; hasAux: true },
): (...args: ArgsOf<Parameters<F>>) => [GradsOf<Parameters<F>, N>, AuxOf<ReturnType<F>>];
export function grad(fn: Fn, opts?: GradOptions): (...args: Tree<Operand>[]) => Tree<Tensor>;
export function grad(fn: Fn, opts: GradOptions = {}): (...args: any[]) => any {
  const vg = valueAndGrad(fn, opts);
  return (...args: Tree<Operand>[]): Tree<Tensor> => {
    const [value, g] = vg(...args);
    return opts.hasAux ? [g, (value as Tree<Tensor>[])[1]] : g;
  };
}

/**
 * `vjp(fn, ...primals)` = [fn(...primals), vjpFn] where vjpFn(cotangent) returns the cotangent of
 * every argument (an array, one tree per argument; zeros for non-float leaves).
 */
export function vjp(fn: Fn, ...primals: Tree<Operand>[]): [Tree<Tensor>, (ct: Tree<Operand>) => Tree<Tensor>[]] {
  const sub = traceSub('vjp', fn, primals);
  const inputs = [...sub.args.map((t) => t.value), ...sub.closedOver];
  const outs = inlineInto(sub.ctx, sub.graph, inputs);
  const wrt = sub.args.map((_, i) => i).filter((i) => sub.graph.inputs[i].type.dtype === 'f32');
  const vjpFn = (ct: Tree<Operand>): Tree<Tensor>[] => {
    const { leaves, def } = flatten<Operand>(ct);
    if (leaves.length !== sub.graph.outputs.length || JSON.stringify(def) !== JSON.stringify(sub.outDef))
      throw new TraceError('ax.vjp: the cotangent must have the structure of the function output');
    const cts = leaves.map((leaf, i) => liftAs('vjp', sub.ctx, leaf, sub.graph.outputs[i].type.dtype).value);
    const vg = vjpGraph(sub.graph, wrt);
    const res = inlineInto(sub.ctx, vg, [...inputs, ...cts]).slice(sub.graph.outputs.length);
    const all = sub.args.map((t, i) => {
      const j = wrt.indexOf(i);
      return j >= 0 ? res[j] : new Tensor(sub.ctx, zeros(sub, t.value));
    });
    const ranges = leafRanges(sub.inDef);
    const inDef = sub.inDef as Extract<TreeDef, { kind: 'array' }>;
    return ranges.map(([a, b], i) => unflatten(inDef.children[i], all.slice(a, b)));
  };
  return [unflatten(sub.outDef, outs), vjpFn];
}

/**
 * Forward mode: `jvp(fn, primals, tangents)` = [fn(...primals), J·tangents]. Built by transposing
 * the (linear) VJP, so every primitive's VJP rule serves forward mode too.
 */
export function jvp(fn: Fn, primals: readonly Tree<Operand>[], tangents: readonly Tree<Operand>[]): [Tree<Tensor>, Tree<Tensor>] {
  if (primals.length !== tangents.length) throw new TraceError('ax.jvp: give one tangent per primal');
  const sub = traceSub('jvp', fn, primals);
  const { graph } = sub;
  const tLeaves = flatten<Operand>(tangents as Tree<Operand>).leaves;
  if (tLeaves.length !== sub.args.length) throw new TraceError('ax.jvp: tangents must have the structure of the primals');
  const wrt = sub.args.map((_, i) => i).filter((i) => graph.inputs[i].type.dtype === 'f32');
  const nIn = graph.inputs.length;
  const nOut = graph.outputs.length;
  // vg: (inputs, u) -> (outputs, Jᵀu). Its VJP with respect to u, at cotangent t, is J t. Only
  // f32 outputs have a tangent; the others (indices, masks) get zeros.
  const floatOuts = graph.outputs.flatMap((v, i) => (v.type.dtype === 'f32' ? [i] : []));
  const vg = vjpGraph(graph, wrt, floatOuts);
  const uIndices = floatOuts.map((_, k) => nIn + k);
  const gradOutputs = wrt.map((_, k) => nOut + k);
  const jg = vjpGraph(vg, uIndices, gradOutputs);
  const u = floatOuts.map((i) => zeros(sub, graph.outputs[i]));
  const t = wrt.map((i) => liftAs('jvp', sub.ctx, tLeaves[i], 'f32').value);
  t.forEach((v, k) => {
    const want = graph.inputs[wrt[k]].type;
    if (formatType(v.type) !== formatType(want))
      throw new ShapeError('jvp', `tangent ${wrt[k]} is ${formatType(v.type)}, its primal is ${formatType(want)}`, [formatType(v.type), formatType(want)], callSite());
  });
  const res = inlineInto(sub.ctx, jg, [...sub.args.map((a) => a.value), ...sub.closedOver, ...u, ...t]);
  const outs = res.slice(0, nOut);
  const floatTangents = res.slice(nOut + wrt.length);
  const tangentsOut = graph.outputs.map((v, i) => {
    const k = floatOuts.indexOf(i);
    return k >= 0 ? floatTangents[k] : new Tensor(sub.ctx, zeros(sub, v));
  });
  return [unflatten(sub.outDef, outs), unflatten(sub.outDef, tangentsOut)];
}

