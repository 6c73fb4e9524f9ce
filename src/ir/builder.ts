import { AxonicError, ShapeError, type SourceLoc } from './errors.ts';
import { Value, type Graph, type Node } from './graph.ts';
import type { OpAttrs, OpName } from './op-attrs.ts';
import { opDef } from './registry.ts';
import { formatType, type TensorType } from './shape.ts';

/**
 * Builds a graph node by node, inferring result types as it goes. Shape errors gain the source
 * location of the node being added.
 */
export class GraphBuilder {
  readonly inputs: Value[] = [];
  readonly nodes: Node[] = [];

  input(type: TensorType): Value {
    const v = new Value(type);
    this.inputs.push(v);
    return v;
  }

  add<K extends OpName>(
    op: K,
    inputs: readonly Value[],
    attrs: OpAttrs[K],
    opts: { regions?: readonly Graph[]; loc?: SourceLoc } = {},
  ): Value[] {
    const def = opDef(op);
    const regions = opts.regions ?? [];
    if (def.arity !== 'variadic' && inputs.length !== def.arity)
      throw new ShapeError(op, `takes ${def.arity} operand(s), got ${inputs.length}`, inputs.map((v) => formatType(v.type)), opts.loc);
    let types: TensorType[];
    try {
      types = def.infer(inputs.map((v) => v.type), attrs, regions);
    } catch (e) {
      if (e instanceof ShapeError) throw e.withLoc(opts.loc);
      if (e instanceof AxonicError) throw e;
      throw e;
    }
    const outputs = types.map((t) => new Value(t));
    this.nodes.push({ op, inputs, outputs, attrs, regions, loc: opts.loc });
    return outputs;
  }

  /** Adds a single-result op and returns its result. */
  add1<K extends OpName>(op: K, inputs: readonly Value[], attrs: OpAttrs[K], loc?: SourceLoc): Value {
    return this.add(op, inputs, attrs, { loc })[0];
  }

  build(outputs: readonly Value[], name = 'main'): Graph {
    return { name, inputs: [...this.inputs], nodes: [...this.nodes], outputs: [...outputs] };
  }
}
