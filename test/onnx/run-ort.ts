import * as ort from 'onnxruntime-node';
import type { DType, HostData, HostTensor } from '../../src/ir/index.ts';

const ORT_TYPE: { readonly [D in DType]: ort.Tensor.Type } = { f32: 'float32', i32: 'int32', u32: 'uint32', bool: 'bool' };

function typedArray(t: HostTensor): HostData {
  switch (t.dtype) {
    case 'f32':
      return Float32Array.from(t.data);
    case 'i32':
      return Int32Array.from(t.data);
    case 'u32':
      return Uint32Array.from(t.data);
    case 'bool':
      return Uint8Array.from(t.data);
  }
}

/**
 * An ONNX Runtime session (CPU execution provider) of an exported model. Loading runs ONNX
 * Runtime's model check: the graph is resolved and its types and shapes inferred, strictly, so a
 * declared value_info that disagrees with ONNX's own inference fails the load.
 */
export function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  const options = { executionProviders: ['cpu'], extra: { session: { strict_shape_type_inference: '1' } } };
  return ort.InferenceSession.create(bytes, options as ort.InferenceSession.SessionOptions);
}

/** Runs the session on inputs given in the order of its input names; returns the outputs in the order of its output names. */
export async function runOrt(session: ort.InferenceSession, inputs: readonly HostTensor[]): Promise<{ dims: readonly number[]; data: ArrayLike<number> }[]> {
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    const t = inputs[i];
    feeds[name] = new ort.Tensor(ORT_TYPE[t.dtype], typedArray(t) as never, [...t.shape]);
  });
  const results = await session.run(feeds);
  return session.outputNames.map((name) => {
    const r = results[name] as ort.Tensor;
    const data = r.type === 'bool' ? Uint8Array.from(r.data as ArrayLike<number>) : (r.data as ArrayLike<number>);
    return { dims: r.dims, data };
  });
}
