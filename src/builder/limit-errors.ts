import { BYTES_PER_ELEMENT, formatLoc, formatType, LimitError, walkNodes, type Graph, type TensorType } from '../ir/index.ts';

/** Bytes a value of this type takes, or undefined while a dim is an unbound name. */
function bytesOf(type: TensorType, binding: ReadonlyMap<string, number>): number | undefined {
  let n = BYTES_PER_ELEMENT;
  for (const d of type.shape) {
    const size = typeof d === 'number' ? d : binding.get(d);
    if (size === undefined) return undefined;
    n *= size;
  }
  return n;
}

/**
 * A LimitError about a buffer over the adapter's storage-binding size, restated with what the
 * user wrote: the argument path of an input that is too big, or the op and the user's file:line
 * that made a value too big (the first such value in program order, preferring one of the type
 * the compiler named). Other LimitErrors, or ones no value explains, come back as they were.
 */
export function explainLimit(
  error: unknown,
  graph: Graph,
  inPaths: readonly string[],
  maxBytes: number,
  binding: ReadonlyMap<string, number> = new Map(),
): unknown {
  if (!(error instanceof LimitError)) return error;
  const over = (type: TensorType) => {
    const bytes = bytesOf(type, binding);
    return bytes !== undefined && bytes > maxBytes ? bytes : undefined;
  };
  const named = (type: TensorType) => error.message.includes(`a ${formatType(type)} value`);
  const bound = (type: TensorType) => {
    const names = type.shape.filter((d): d is string => typeof d === 'string');
    return names.length ? ` with ${names.map((d) => `${d}=${binding.get(d)}`).join(', ')}` : '';
  };
  const limit = `more than this adapter's maxStorageBufferBindingSize of ${maxBytes} bytes`;

  const blame: { text: string; type: TensorType }[] = [];
  graph.inputs.forEach((v, i) => {
    const bytes = over(v.type);
    if (bytes !== undefined)
      blame.push({
        type: v.type,
        text: `argument ${inPaths[i] ?? `#${i}`} is ${formatType(v.type)}${bound(v.type)}, ${bytes} bytes, ${limit}: pass a smaller array (split it along an axis, or use a smaller batch)`,
      });
  });
  for (const node of walkNodes(graph))
    for (const v of node.outputs) {
      const bytes = over(v.type);
      if (bytes === undefined) continue;
      const where = node.loc ? ` at ${formatLoc(node.loc)}` : '';
      blame.push({
        type: v.type,
        text: `${node.op}${where} makes a ${formatType(v.type)}${bound(v.type)} value of ${bytes} bytes, ${limit}: make it smaller there (split the computation along an axis, or use a smaller batch)`,
      });
    }
  const chosen = blame.find((b) => named(b.type)) ?? blame[0];
  return chosen ? new LimitError(chosen.text, { cause: error }) : error;
}
