import {
  coerce, opDef, symbolsOf, walkNodes,
  type BufferDecl, type Graph, type Node, type TensorType, type Value,
} from '../src/ir/index.ts';
import type { KernelPlan, LoweredProgram, PlanStep } from './kernel-plan.ts';
import { bindOperands, nodeKernel, splatLiteral, type OperandRef } from './kernel-exprs.ts';

/** The values of one graph level (the top graph or a loop body) and the steps that compute them. */
interface Scope {
  readonly refs: Map<Value, OperandRef>;
  readonly steps: PlanStep[];
  /** Buffers that a step of this level writes (a loop body's state must be one of these). */
  readonly written: Set<number>;
}

/**
 * Graph → kernel plans, steps and buffers: one kernel per primitive, one buffer per value (no
 * memory planning yet). Splat constants are inlined into their consumers as literals and
 * materialised only where a buffer is needed (graph outputs, loop operands and results).
 */
export function lowerGraph(graph: Graph): LoweredProgram {
  const buffers: BufferDecl[] = [];
  const newBuffer = (type: TensorType, kind: BufferDecl['kind'], data?: readonly number[]): number => {
    const id = buffers.length;
    buffers.push(data ? { id, dtype: type.dtype, shape: type.shape, kind, data } : { id, dtype: type.dtype, shape: type.shape, kind });
    return id;
  };
  const bufferRef = (buffer: number, type: TensorType): OperandRef => ({ kind: 'buffer', buffer, type });

  const refOf = (scope: Scope, v: Value): OperandRef => {
    const r = scope.refs.get(v);
    if (!r) throw new Error(`lower: value %${v.id} has no buffer (graph not verified?)`);
    return r;
  };

  const emitKernel = (scope: Scope, plan: KernelPlan) => {
    scope.steps.push({ kind: 'kernel', plan });
    scope.written.add(plan.output.buffer);
  };

  /** The buffer holding `ref`, writing a splat constant into a fresh one when needed. */
  const materialise = (scope: Scope, ref: OperandRef): number => {
    if (ref.kind === 'buffer') return ref.buffer;
    const out = newBuffer(ref.type, 'temp');
    emitKernel(scope, {
      name: 'fill',
      inputs: [],
      output: { buffer: out, dtype: ref.type.dtype, shape: ref.type.shape },
      anchor: { kind: 'map', expr: splatLiteral(ref.type.dtype, ref.value) },
      preludes: [],
    });
    return out;
  };

  const lowerConstant = (scope: Scope, node: Node<'constant'>) => {
    const out = node.outputs[0];
    const { value, dtype } = node.attrs;
    if (value.length === 1) scope.refs.set(out, { kind: 'splat', type: out.type, value: value[0] });
    else scope.refs.set(out, bufferRef(newBuffer(out.type, 'const', value.map((v) => coerce(dtype, v))), out.type));
  };

  const lowerLoop = (scope: Scope, node: Node<'loop'>) => {
    const { trips, carried } = node.attrs;
    const body = node.regions[0];
    const operands = node.inputs.map((v) => materialise(scope, refOf(scope, v)));
    const stateIn = body.inputs.slice(0, carried).map((v) => newBuffer(v.type, 'temp'));
    const inner: Scope = { refs: new Map(), steps: [], written: new Set() };
    // Carried inputs read the ping-pong state; invariant inputs read the outer buffers directly.
    body.inputs.forEach((v, i) => inner.refs.set(v, bufferRef(i < carried ? stateIn[i] : operands[i], v.type)));
    lowerNodes(inner, body);
    // Each next state must be its own buffer, written by the body: the runtime swaps it with
    // stateIn on odd iterations, so a body input, a constant or a repeat gets a copy.
    const stateOut: number[] = [];
    body.outputs.forEach((v) => {
      const ref = refOf(inner, v);
      let id = materialise(inner, ref);
      if (!inner.written.has(id) || stateOut.includes(id)) {
        const copy = newBuffer(v.type, 'temp');
        inner.steps.push({ kind: 'copy', from: id, to: copy });
        inner.written.add(copy);
        id = copy;
      }
      stateOut.push(id);
    });
    const results = node.outputs.map((v) => {
      const id = newBuffer(v.type, 'temp');
      scope.refs.set(v, bufferRef(id, v.type));
      scope.written.add(id);
      return id;
    });
    scope.steps.push({ kind: 'loop', trips, init: operands.slice(0, carried), stateIn, stateOut, results, body: inner.steps });
  };

  const lowerNode = (scope: Scope, node: Node) => {
    const kind = opDef(node.op).kernel.kind;
    if (kind === 'constant') return lowerConstant(scope, node as Node<'constant'>);
    if (node.op === 'custom_vjp') throw new Error('lower: custom_vjp must be inlined first (pass inline-custom-vjp)');
    if (kind === 'control') return lowerLoop(scope, node as Node<'loop'>);
    const out = node.outputs[0];
    const { anchor: unbound, preludes } = nodeKernel(node);
    const { anchor, inputs } = bindOperands(unbound, node.inputs.map((v) => refOf(scope, v)));
    const buffer = newBuffer(out.type, 'temp');
    emitKernel(scope, { name: node.op, inputs, output: { buffer, dtype: out.type.dtype, shape: out.type.shape }, anchor, preludes });
    scope.refs.set(out, bufferRef(buffer, out.type));
  };

  const lowerNodes = (scope: Scope, g: Graph) => {
    for (const node of g.nodes) lowerNode(scope, node);
  };

  const top: Scope = { refs: new Map(), steps: [], written: new Set() };
  const inputs = graph.inputs.map((v) => {
    const id = newBuffer(v.type, 'input');
    top.refs.set(v, bufferRef(id, v.type));
    return id;
  });
  lowerNodes(top, graph);
  const outputs = graph.outputs.map((v) => materialise(top, refOf(top, v)));
  return { name: graph.name, dims: programDims(graph), buffers, steps: top.steps, inputs, outputs };
}

/** Every symbolic dim the graph mentions (inputs first), in order of first appearance. */
export function programDims(graph: Graph): string[] {
  const shapes = graph.inputs.map((v) => v.type.shape);
  const visit = (g: Graph) => {
    for (const v of g.inputs) shapes.push(v.type.shape);
    for (const n of g.nodes) for (const v of n.outputs) shapes.push(v.type.shape);
  };
  visit(graph);
  for (const n of walkNodes(graph)) n.regions.forEach(visit);
  return symbolsOf(shapes);
}
