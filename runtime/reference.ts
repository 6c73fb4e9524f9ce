import {
  bindDims, evalShape, formatShape, formatType, InputError, opDef,
  type AttrKind, type DimBinding, type Graph, type HostTensor, type Node, type Shape, type Value,
} from '../src/ir/index.ts';

/** Replaces symbolic dims in shape-valued attributes by their bound sizes. */
export function concreteAttrs(node: Node, binding: DimBinding): Node['attrs'] {
  const schema = opDef(node.op).attrs as Record<string, AttrKind>;
  const attrs = { ...(node.attrs as Record<string, unknown>) };
  for (const [k, kind] of Object.entries(schema))
    if (kind === 'shape') attrs[k] = evalShape(attrs[k] as (string | number)[], binding);
  return attrs as Node['attrs'];
}

/** Binds the graph's symbolic dims from the actual input shapes; throws InputError on mismatch. */
export function bindInputs(g: Graph, inputs: readonly HostTensor[]): Map<string, number> {
  if (inputs.length !== g.inputs.length)
    throw new InputError('list', `${g.inputs.length} arguments`, `${inputs.length}`);
  inputs.forEach((t, i) => {
    if (t.dtype !== g.inputs[i].type.dtype)
      throw new InputError(String(i), formatType(g.inputs[i].type), `${t.dtype}${formatShape(t.shape)}`, 'dtype differs');
  });
  const r = bindDims(g.inputs.map((v) => v.type.shape), inputs.map((t) => t.shape));
  if ('error' in r) {
    const t = inputs[r.index];
    throw new InputError(String(r.index), formatType(g.inputs[r.index].type), `${t.dtype}${formatShape(t.shape)}`, r.error);
  }
  return r.binding;
}

/**
 * The reference interpreter: evaluates a graph in float64, one primitive at a time through the
 * registry's `evalRef`. It is the oracle of every test and the backend when WebGPU is absent.
 */
export function evaluate(g: Graph, inputs: readonly HostTensor[], binding?: DimBinding): HostTensor[] {
  const dims = binding ?? bindInputs(g, inputs);
  const env = new Map<Value, HostTensor>();
  g.inputs.forEach((v, i) => env.set(v, inputs[i]));
  const ctx = {
    evalGraph: (body: Graph, args: readonly HostTensor[]) => evaluate(body, args, dims),
    concreteShape: (shape: Shape) => evalShape(shape, dims),
  };
  for (const node of g.nodes) {
    const args = node.inputs.map((v) => env.get(v)!);
    const results = opDef(node.op).evalRef(args, concreteAttrs(node, dims) as never, ctx, node.regions);
    node.outputs.forEach((v, i) => env.set(v, results[i]));
  }
  return g.outputs.map((v) => env.get(v)!);
}
