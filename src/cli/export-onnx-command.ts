import { writeFileSync } from 'node:fs';
import { encodeModel, graphToOnnx, ONNX_OPSET } from '../onnx/index.ts';
import { graphFrom, type GraphSource } from './graph-source.ts';

export interface ExportOnnxCommand extends GraphSource {
  readonly output: string;
}

/**
 * `axonic export-onnx`: the ONNX model of a graph. A model file's parameters (its initial values)
 * become initializers and its ports keep their names; every input of an IR file is a model input.
 */
export async function runExportOnnx(o: ExportOnnxCommand): Promise<number> {
  const { graph, inputNames, outputNames, params } = graphFrom(o);
  const model = graphToOnnx(graph, { inputNames, outputNames, initializers: params });
  const bytes = encodeModel(model);
  writeFileSync(o.output, bytes);
  const { input, output } = model.graph;
  process.stdout.write(
    `wrote ${o.output}: ONNX opset ${ONNX_OPSET}, inputs ${input.map((i) => i.name).join(', ')}, ` +
      `outputs ${output.map((i) => i.name).join(', ')} (${bytes.length} bytes)\n`,
  );
  return 0;
}
