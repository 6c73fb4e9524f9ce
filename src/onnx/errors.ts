import { AxonicError, formatLoc, type SourceLoc } from '../ir/errors.ts';

/**
 * A graph that ONNX cannot express as exported: `op` names the IR primitive (random_bits has no
 * ONNX counterpart, for one), and the message says what to change.
 */
export class OnnxExportError extends AxonicError {
  override name = 'OnnxExportError';
  constructor(
    readonly op: string,
    readonly detail: string,
    readonly loc?: SourceLoc,
  ) {
    super(`ONNX export: ${op}: ${detail}${loc ? ` at ${formatLoc(loc)}` : ''}`);
  }
}
