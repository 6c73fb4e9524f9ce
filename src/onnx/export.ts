import type { DType } from '../ir/dtype.ts';
import type { Graph, Node } from '../ir/graph.ts';
import type { OpName } from '../ir/op-attrs.ts';
import { isSymbol, type Shape } from '../ir/shape.ts';
import { verifyGraph } from '../ir/verify.ts';
import { OnnxExportError } from './errors.ts';
import type { ModelMsg, TensorMsg } from './proto.ts';
import type { Rule, RuleContext } from './rule.ts';
import { ONNX_RULES } from './rules.ts';
import { Names, Scope, tensorMsg, valueInfo } from './writer.ts';

/** The opset every exported model imports (ai.onnx), and the ONNX IR version that goes with it. */
export const ONNX_OPSET = 18;
const IR_VERSION = 8;

/** Values for a graph input that the model carries as an initializer (a parameter). */
export interface InitializerValue {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface GraphToOnnxOptions {
  /** The ONNX name of each graph input (default input_0, input_1, ...). */
  readonly inputNames?: readonly string[];
  /** The ONNX name of each graph output (default output_0, ...). */
  readonly outputNames?: readonly string[];
  /** Graph inputs (by position) with values: they become initializers, not model inputs. */
  readonly initializers?: ReadonlyMap<number, InitializerValue>;
  /** A description stored in the model (doc_string). */
  readonly doc?: string;
  readonly producerVersion?: string;
}

function lowerNode(cx: RuleContext, node: Node): string[] {
  const rule = ONNX_RULES[node.op] as Rule<OpName>;
  const inputs = node.inputs.map((v) => cx.s.nameOf(v));
  let names: string[];
  try {
    names = rule(cx, node, inputs);
  } catch (e) {
    if (e instanceof OnnxExportError && !e.loc && node.loc) throw new OnnxExportError(e.op, e.detail, node.loc);
    throw e;
  }
  if (names.length !== node.outputs.length)
    throw new Error(`ONNX export of ${node.op} gave ${names.length} results for ${node.outputs.length} (an exporter bug)`);
  return names;
}

/** Writes `g` into `scope`, its inputs bound to `inputs`; returns the names of its outputs. */
function inline(scope: Scope, g: Graph, inputs: readonly string[]): string[] {
  g.inputs.forEach((v, i) => scope.bind(v, inputs[i]));
  const cx: RuleContext = { s: scope, inline };
  for (const node of g.nodes) {
    const names = lowerNode(cx, node);
    node.outputs.forEach((v, i) => {
      scope.bind(v, names[i]);
      scope.describe(names[i], v.type);
    });
  }
  return g.outputs.map((v) => scope.nameOf(v));
}

/** Where each symbolic dim of the model inputs can be read: the first input and axis that has it. */
function dimSources(shapes: readonly (readonly [string, Shape])[]): Map<string, { input: string; axis: number }> {
  const found = new Map<string, { input: string; axis: number }>();
  for (const [input, shape] of shapes)
    shape.forEach((d, axis) => {
      if (isSymbol(d) && !found.has(d)) found.set(d, { input, axis });
    });
  return found;
}

/**
 * The ONNX model of a verified, shape-inferred IR graph: symbolic dims become dim params of the
 * inputs, outputs and intermediate values; inputs with values become initializers; loop becomes
 * Loop, cond If, and custom_vjp its forward. A primitive without an ONNX counterpart throws
 * OnnxExportError naming it.
 */
export function graphToOnnx(graph: Graph, options: GraphToOnnxOptions = {}): ModelMsg {
  verifyGraph(graph);
  const names = new Names();
  const initial = options.initializers ?? new Map<number, InitializerValue>();
  const inputNames = graph.inputs.map((_, i) => names.claim(options.inputNames?.[i] ?? `input_${i}`));
  const initializers: TensorMsg[] = [];
  for (const [i, value] of initial) {
    const t = graph.inputs[i]?.type;
    if (!t) throw new OnnxExportError('graph input', `initializer for input ${i}, but the graph has ${graph.inputs.length} inputs`);
    if (t.dtype !== value.dtype || t.shape.length !== value.shape.length || t.shape.some((d, k) => d !== value.shape[k]))
      throw new OnnxExportError('graph input', `initializer ${inputNames[i]} is ${value.dtype}[${value.shape}], the input is ${t.dtype}[${t.shape}]`);
    initializers.push(tensorMsg(value.dtype, value.shape, value.data, inputNames[i]));
  }
  const fed = graph.inputs.map((v, i) => [i, v] as const).filter(([i]) => !initial.has(i));
  const root = new Scope(names, dimSources(fed.map(([i, v]) => [inputNames[i], v.type.shape] as const)));
  const results = inline(root, graph, inputNames);
  const output = results.map((name, i) => {
    const out = names.claim(options.outputNames?.[i] ?? `output_${i}`);
    root.nodes.push({ name: names.fresh('Identity_node'), op_type: 'Identity', input: [name], output: [out], attribute: [] });
    return valueInfo(out, graph.outputs[i].type);
  });
  const input = fed.map(([i, v]) => valueInfo(inputNames[i], v.type));
  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'axonic',
    producer_version: options.producerVersion ?? '0.1.0',
    ...(options.doc !== undefined && { doc_string: options.doc }),
    graph: root.graph(graph.name, input, output, initializers),
  };
}
