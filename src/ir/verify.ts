import { AxonicError, VerifyError, formatLoc } from './errors.ts';
import type { Graph, Node, Value } from './graph.ts';
import { isOpName, opDef } from './registry.ts';
import { formatType, sameType, symbolsOf, type TensorType } from './shape.ts';

const where = (n: Node) => `${n.op}${n.loc ? ` at ${formatLoc(n.loc)}` : ''}`;

/**
 * Checks a graph's invariants: known ops, operand counts, attributes present, every operand
 * defined before use in its own region (regions are isolated from above), each value defined
 * once, result types equal to what the op's rule infers, and every symbolic dim bound by an input
 * of the graph (sizes are bound from the arguments alone). Throws VerifyError.
 */
export function verifyGraph(g: Graph): void {
  const definedAnywhere = new Set<Value>();
  const checkedRegions = new Set<Graph>();
  const bound = new Set(symbolsOf(g.inputs.map((v) => v.type.shape)));
  const checkBound = (t: TensorType, what: string) => {
    for (const s of symbolsOf([t.shape]))
      if (!bound.has(s))
        throw new VerifyError(`${what} has type ${formatType(t)}, but no input of @${g.name} binds dimension ${s}; give an input that dimension, or use a size`);
  };
  const check = (graph: Graph, path: string) => {
    const scope = new Set<Value>();
    const define = (v: Value, what: string) => {
      if (definedAnywhere.has(v)) throw new VerifyError(`${path}: value %${v.id} defined twice (${what})`);
      definedAnywhere.add(v);
      scope.add(v);
    };
    graph.inputs.forEach((v, i) => {
      define(v, `input ${i}`);
      checkBound(v.type, `${path}: input ${i}`);
    });
    graph.nodes.forEach((n, i) => {
      const at = `${path} node ${i} (${where(n)})`;
      if (!isOpName(n.op)) throw new VerifyError(`${at}: unknown op`);
      const def = opDef(n.op);
      if (def.arity !== 'variadic' && n.inputs.length !== def.arity)
        throw new VerifyError(`${at}: takes ${def.arity} operand(s), has ${n.inputs.length}`);
      for (const key of Object.keys(def.attrs))
        if (!(key in (n.attrs as object))) throw new VerifyError(`${at}: missing attribute ${key}`);
      n.inputs.forEach((v, j) => {
        if (!scope.has(v)) throw new VerifyError(`${at}: operand ${j} (%${v.id}) is not defined before use in this region`);
      });
      if (n.regions.length !== (def.regions?.length ?? 0))
        throw new VerifyError(`${at}: has ${n.regions.length} region(s), needs ${def.regions?.length ?? 0}`);
      // A region object may be shared by several nodes (regions are immutable and isolated).
      n.regions.forEach((r, j) => {
        if (checkedRegions.has(r)) return;
        checkedRegions.add(r);
        check(r, `${at} region ${def.regions?.[j]}`);
      });
      let inferred;
      try {
        inferred = def.infer(n.inputs.map((v) => v.type), n.attrs as never, n.regions);
      } catch (e) {
        if (e instanceof AxonicError) throw new VerifyError(`${at}: ${e.message}`);
        throw e;
      }
      if (inferred.length !== n.outputs.length) throw new VerifyError(`${at}: ${n.outputs.length} results, rule gives ${inferred.length}`);
      n.outputs.forEach((v, j) => {
        if (!sameType(v.type, inferred[j]))
          throw new VerifyError(`${at}: result ${j} is ${formatType(v.type)}, rule gives ${formatType(inferred[j])}`);
        define(v, `result of ${n.op}`);
        checkBound(v.type, `${at}: result ${j}`);
      });
    });
    graph.outputs.forEach((v, i) => {
      if (!scope.has(v)) throw new VerifyError(`${path}: output ${i} (%${v.id}) is not defined in this region`);
    });
  };
  check(g, `@${g.name}`);
}
