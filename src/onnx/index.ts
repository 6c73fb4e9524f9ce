/**
 * ONNX export (`axonic/onnx`): a traced function or an IR graph as an ONNX model that ONNX Runtime
 * (or any ONNX runtime) serves. Kept out of the main entry so that protobufjs loads only here.
 */
import { simplifyGraph } from '../../passes/simplify/index.ts';
import { DeviceArray } from '../../runtime/device-array.ts';
import { isHostTensor } from '../builder/concrete.ts';
import { Spec } from '../builder/spec.ts';
import { traceFunction, type ArgTree, type TraceableFn } from '../builder/trace.ts';
import { flatten, leafPaths } from '../builder/tree.ts';
import { graphToOnnx, type InitializerValue } from './export.ts';
import { OnnxExportError } from './errors.ts';
import { encodeModel, type ModelMsg } from './proto.ts';

export { graphToOnnx, ONNX_OPSET, type GraphToOnnxOptions, type InitializerValue } from './export.ts';
export { OnnxExportError } from './errors.ts';
export { encodeModel, decodeModel, type ModelMsg } from './proto.ts';

export interface ExportOnnxOptions {
  /** Simplify the traced graph first, as the compiler does (default true). */
  readonly simplify?: boolean;
  /** A description stored in the model. */
  readonly doc?: string;
}

/** The values of one argument leaf, if it has values (a parameter): they become an initializer. */
async function valuesOf(leaf: unknown, path: string): Promise<InitializerValue | undefined> {
  if (leaf instanceof Spec) return undefined;
  if (leaf instanceof DeviceArray) return { dtype: leaf.dtype, shape: leaf.shape, data: await leaf.data() };
  if (isHostTensor(leaf)) return leaf;
  if (typeof leaf === 'number') return { dtype: 'f32', shape: [], data: [leaf] };
  if (typeof leaf === 'boolean') return { dtype: 'bool', shape: [], data: [leaf ? 1 : 0] };
  throw new OnnxExportError('graph input', `argument ${path} is not a spec, an array or a number`);
}

/**
 * The ONNX model of `fn` traced at `args` (one tree per positional argument, as ax.trace takes):
 * `ax.spec` leaves become model inputs, named by their argument paths (`params.w`, `x`), and
 * arrays or numbers become initializers (the parameters a trained model carries). Outputs are
 * named by their result paths (`out[0]`, `out.loss`).
 */
export async function toOnnxModel(fn: TraceableFn, args: readonly ArgTree[], options: ExportOnnxOptions = {}): Promise<ModelMsg> {
  const traced = traceFunction(fn, args);
  const { leaves } = flatten<unknown>(args as ArgTree);
  const initializers = new Map<number, InitializerValue>();
  for (let i = 0; i < leaves.length; i++) {
    const values = await valuesOf(leaves[i], traced.inPaths[i]);
    if (values) initializers.set(i, values);
  }
  const graph = options.simplify === false ? traced.graph : simplifyGraph(traced.graph, { afterAutodiff: true });
  return graphToOnnx(graph, {
    inputNames: traced.inPaths,
    outputNames: leafPaths(traced.outDef, 'out'),
    initializers,
    doc: options.doc,
  });
}

/** `toOnnxModel` as the bytes of a .onnx file. */
export async function exportOnnx(fn: TraceableFn, args: readonly ArgTree[], options: ExportOnnxOptions = {}): Promise<Uint8Array> {
  return encodeModel(await toOnnxModel(fn, args, options));
}
