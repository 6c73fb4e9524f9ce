import { writeFileSync } from 'node:fs';
import { AxonicError } from '../ir/errors.ts';
import { encodeModel, graphToOnnx, ONNX_OPSET } from '../onnx/index.ts';
import { graphFrom, type GraphSource } from './graph-source.ts';

export interface ExportOnnxCommand extends GraphSource {
  readonly output?: string;
}

/** `axonic export-onnx`: the ONNX model of a graph; every graph input is a model input. */
export function runExportOnnx(o: ExportOnnxCommand): number {
  if (!o.output) throw new AxonicError('export-onnx writes a binary file: give -o MODEL.onnx');
  const model = graphToOnnx(graphFrom(o));
  const bytes = encodeModel(model);
  writeFileSync(o.output, bytes);
  const { input, output } = model.graph;
  process.stdout.write(
    `wrote ${o.output}: ONNX opset ${ONNX_OPSET}, inputs ${input.map((i) => i.name).join(', ')}, ` +
      `outputs ${output.map((i) => i.name).join(', ')} (${bytes.length} bytes)\n`,
  );
  return 0;
}
