import type { DType } from '../ir/dtype.ts';
import type { Value } from '../ir/graph.ts';
import { isSymbol, type Dim, type Shape, type TensorType } from '../ir/shape.ts';
import { OnnxExportError } from './errors.ts';
import {
  ATTR_TYPE, ONNX_DTYPE,
  type AttributeMsg, type DimMsg, type GraphMsg, type NodeMsg, type TensorMsg, type ValueInfoMsg,
} from './proto.ts';

/** An attribute of an ONNX node, tagged with its type. */
export type Attr =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly graph: GraphMsg }
  | { readonly tensor: TensorMsg }
  | { readonly string: string };

export const onnxDType = (d: DType | 'i64'): number =>
  d === 'f32' ? ONNX_DTYPE.FLOAT : d === 'i32' ? ONNX_DTYPE.INT32 : d === 'u32' ? ONNX_DTYPE.UINT32 : d === 'bool' ? ONNX_DTYPE.BOOL : ONNX_DTYPE.INT64;

/** The bytes of `values` as the dtype stores them (little-endian, as ONNX's raw_data). */
export function rawData(dtype: DType | 'i64', values: ArrayLike<number | bigint>): Uint8Array {
  const n = values.length;
  const typed =
    dtype === 'f32' ? Float32Array.from(values as ArrayLike<number>)
    : dtype === 'i32' ? Int32Array.from(values as ArrayLike<number>)
    : dtype === 'u32' ? Uint32Array.from(values as ArrayLike<number>)
    : dtype === 'bool' ? Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0))
    : BigInt64Array.from({ length: n }, (_, i) => BigInt(values[i]));
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

export function tensorMsg(dtype: DType | 'i64', dims: readonly number[], values: ArrayLike<number | bigint>, name?: string): TensorMsg {
  return { ...(name !== undefined && { name }), dims: [...dims], data_type: onnxDType(dtype), raw_data: rawData(dtype, values) };
}

/** An IR type, or one of the int64 tensors ONNX uses for sizes and counters. */
export interface OnnxType {
  readonly dtype: DType | 'i64';
  readonly shape: Shape;
}

export function valueInfo(name: string, type: OnnxType): ValueInfoMsg {
  const dim = type.shape.map((d): DimMsg => (isSymbol(d) ? { dim_param: d } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: onnxDType(type.dtype), shape: { dim } } } };
}

function attribute(name: string, a: Attr): AttributeMsg {
  if ('int' in a) return { name, type: ATTR_TYPE.INT, i: a.int };
  if ('ints' in a) return { name, type: ATTR_TYPE.INTS, ints: [...a.ints] };
  if ('float' in a) return { name, type: ATTR_TYPE.FLOAT, f: a.float };
  if ('graph' in a) return { name, type: ATTR_TYPE.GRAPH, g: a.graph };
  if ('tensor' in a) return { name, type: ATTR_TYPE.TENSOR, t: a.tensor };
  return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.string) };
}

/** Fresh names for the whole model: ONNX names are one namespace across a graph and its subgraphs. */
export class Names {
  private readonly used = new Set<string>();
  private count = 0;

  /** `wanted` itself when free, else `wanted_2`, `wanted_3`... */
  claim(wanted: string): string {
    let name = wanted;
    for (let k = 2; this.used.has(name); k++) name = `${wanted}_${k}`;
    this.used.add(name);
    return name;
  }

  fresh(hint: string): string {
    return this.claim(`${hint}_${this.count++}`);
  }
}

/**
 * One ONNX graph being written: the main graph, or the body of a Loop or a branch of an If.
 * IR values map to ONNX names per scope; a subgraph reaches values of enclosing scopes by name,
 * as ONNX allows, so the sizes of symbolic dims live once in the main graph.
 */
export class Scope {
  readonly nodes: NodeMsg[] = [];
  readonly valueInfo: ValueInfoMsg[] = [];
  private readonly env = new Map<Value, string>();
  private readonly described = new Set<string>();
  /** Names the nodes of this scope produce: the only ones its value_info may describe. */
  private readonly produced = new Set<string>();
  /** Main graph only: int64[1] sizes of symbolic dims, and the nodes that compute them (emitted first). */
  private readonly dims = new Map<string, string>();
  readonly prelude: NodeMsg[] = [];

  constructor(
    readonly names: Names,
    /** Where each symbolic dim can be read: a main-graph input name and an axis. */
    private readonly dimSources: ReadonlyMap<string, { readonly input: string; readonly axis: number }>,
    readonly parent?: Scope,
  ) {}

  child(): Scope {
    return new Scope(this.names, this.dimSources, this);
  }

  private get root(): Scope {
    return this.parent ? this.parent.root : this;
  }

  bind(v: Value, name: string): void {
    this.env.set(v, name);
  }

  /** The ONNX name of an IR value of this scope. */
  nameOf(v: Value): string {
    const name = this.env.get(v);
    if (name === undefined) throw new Error(`ONNX export: value %${v.id} has no name in this scope (an exporter bug)`);
    return name;
  }

  /** Declares the type of a name this scope produces (ONNX value_info), once. */
  describe(name: string, type: TensorType): void {
    if (this.described.has(name) || !this.produced.has(name)) return;
    this.described.add(name);
    this.valueInfo.push(valueInfo(name, type));
  }

  /** Appends a node; returns its output names. */
  node(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputs = 1, into = this.nodes): string[] {
    const out = Array.from({ length: outputs }, () => this.names.fresh(opType.toLowerCase()));
    for (const o of out) this.produced.add(o);
    into.push({
      name: this.names.fresh(`${opType}_node`),
      op_type: opType,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([k, a]) => attribute(k, a)),
    });
    return out;
  }

  /** A node with one output. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  /** A constant tensor, as a Constant node of this scope. */
  constant(dtype: DType | 'i64', dims: readonly number[], values: ArrayLike<number | bigint>): string {
    return this.op('Constant', [], { value: { tensor: tensorMsg(dtype, dims, values) } });
  }

  scalar(dtype: DType | 'i64', v: number | bigint): string {
    return this.constant(dtype, [], [v]);
  }

  /** A 1-D int64 tensor. */
  ints(values: readonly (number | bigint)[]): string {
    return this.constant('i64', [values.length], values);
  }

  /** The size of a dim as int64[1]. */
  dim(d: Dim): string {
    return isSymbol(d) ? this.root.symbolSize(d) : this.ints([d]);
  }

  /** The size of a dim as an int64 scalar. */
  dimScalar(d: Dim): string {
    return isSymbol(d) ? this.op('Squeeze', [this.root.symbolSize(d)]) : this.scalar('i64', d);
  }

  /** A shape as a 1-D int64 tensor: constants where the dims are sizes, read from the inputs where they are names. */
  shape(shape: Shape): string {
    if (!shape.some(isSymbol)) return this.ints(shape as number[]);
    const parts: string[] = [];
    let run: number[] = [];
    for (const d of shape) {
      if (!isSymbol(d)) {
        run.push(d);
        continue;
      }
      if (run.length) parts.push(this.ints(run));
      run = [];
      parts.push(this.dim(d));
    }
    if (run.length) parts.push(this.ints(run));
    return parts.length === 1 ? parts[0] : this.op('Concat', parts, { axis: { int: 0 } });
  }

  private symbolSize(d: string): string {
    const known = this.dims.get(d);
    if (known) return known;
    const source = this.dimSources.get(d);
    if (!source) throw new OnnxExportError('shape', `dimension ${d} is not the size of an axis of any graph input`);
    const attrs = { start: { int: source.axis }, end: { int: source.axis + 1 } };
    const [name] = this.node('Shape', [source.input], attrs, 1, this.prelude);
    this.dims.set(d, name);
    return name;
  }

  /** This scope as a GraphProto (inputs and outputs given by the caller). */
  graph(name: string, input: ValueInfoMsg[], output: ValueInfoMsg[], initializer: TensorMsg[] = []): GraphMsg {
    const outputs = new Set(output.map((o) => o.name));
    const inputs = new Set(input.map((i) => i.name));
    return {
      name,
      node: [...this.prelude, ...this.nodes],
      input,
      output,
      initializer,
      value_info: this.valueInfo.filter((v) => !outputs.has(v.name) && !inputs.has(v.name)),
    };
  }
}
