import { Emitter, GraphBuilder, inlineGraph, isNodeOf, type Graph, type Node, type Value } from '../src/ir/index.ts';

/**
 * Rewrites every while_loop into the form the runtime runs (graph → graph, values unchanged;
 * after simplify, so that nothing rewrites the form before fuse lowers it). The flag f = cond(s)
 * is computed once before the loop and carried as the last state; a trip computes
 *
 *     s' = f ? body(s) : s,    f' = f ? cond(s') : f,
 *
 * and the loop's cond region just yields f. The runtime records chunks of check_every trips and
 * reads f back between chunks only. Once f is false every trip leaves the state as it is, so the
 * result is exactly the state at the first trip where cond fails, wherever that falls in a chunk;
 * cond runs once per trip. The reference evaluates the rewritten loop to the same values.
 */
export function guardWhileLoops(g: Graph): Graph {
  if (!hasWhile(g)) return g;
  const b = new GraphBuilder();
  const map = new Map(g.inputs.map((v) => [v, b.input(v.type)]));
  for (const n of g.nodes) {
    const ins = n.inputs.map((v) => map.get(v)!);
    const regions = n.regions.map(guardWhileLoops);
    const outs = isNodeOf(n, 'while_loop') ? guarded(b, { ...n, regions }, ins) : b.add(n.op, ins, n.attrs as never, { regions, loc: n.loc });
    n.outputs.forEach((v, i) => map.set(v, outs[i]));
  }
  return b.build(g.outputs.map((v) => map.get(v)!), g.name);
}

/**
 * Whether a while_loop has the guarded form: cond yields the last carried value, a bool f, and
 * every carried result is the state itself or `select(f, _, state)`. Such a loop can run extra
 * trips once f is false without changing anything, which is what the runtime's chunks do.
 */
export function isGuarded(n: Node<'while_loop'>): boolean {
  const carried = n.attrs.carried;
  const [cond, body] = n.regions;
  const flag = cond.inputs[carried - 1];
  if (cond.nodes.length !== 0 || cond.outputs[0] !== flag || flag.type.dtype !== 'bool') return false;
  const producer = new Map<Value, Node>();
  for (const m of body.nodes) for (const v of m.outputs) producer.set(v, m);
  const f = body.inputs[carried - 1];
  return body.outputs.every((v, i) => {
    const s = body.inputs[i];
    const p = producer.get(v);
    return v === s || (p?.op === 'select' && p.inputs[0] === f && p.inputs[2] === s);
  });
}

function guarded(b: GraphBuilder, n: Node<'while_loop'>, ins: readonly Value[]): Value[] {
  const { carried } = n.attrs;
  const [cond, body] = n.regions;
  const [state, constants] = [ins.slice(0, carried), ins.slice(carried)];
  const [flag] = inlineGraph(b, cond, ins);
  const types = [...state, flag, ...constants].map((v) => v.type);

  const c = new GraphBuilder();
  const condArgs = types.map((t) => c.input(t));
  const newCond = c.build([condArgs[carried]], 'cond');

  const s = new GraphBuilder();
  const e = new Emitter(s, n.loc);
  const args = types.map((t) => s.input(t));
  const [old, go, consts] = [args.slice(0, carried), args[carried], args.slice(carried + 1)];
  const stepped = inlineGraph(s, body, [...old, ...consts]).map((v, i) => e.select(go, v, old[i]));
  const [next] = inlineGraph(s, cond, [...stepped, ...consts]);
  const newBody = s.build([...stepped, e.select(go, next, go)], 'body');

  const attrs = { ...n.attrs, carried: carried + 1 };
  return b.add('while_loop', [...state, flag, ...constants], attrs, { regions: [newCond, newBody], loc: n.loc }).slice(0, carried);
}

function hasWhile(g: Graph): boolean {
  return g.nodes.some((n) => n.op === 'while_loop' || n.regions.some(hasWhile));
}
