import {
  formatType, opDef,
  type AttrValue, type Graph, type OpAttrs, type OpName, type TensorType, type Value,
} from '../../src/ir/index.ts';
import { formatAttr } from '../../src/ir/printer.ts';

/** Ops whose two operands may be swapped without changing any result bit (in the reference). */
const COMMUTATIVE: ReadonlySet<OpName> = new Set<OpName>(['add', 'mul', 'max', 'min', 'and', 'or', 'xor', 'eq', 'ne']);

/** Attributes in schema order, written as the text IR writes them (so -0, NaN and inf are distinct). */
export function attrsKey<K extends OpName>(op: K, attrs: OpAttrs[K]): string {
  const values = attrs as Record<string, AttrValue>;
  return Object.keys(opDef(op).attrs)
    .map((k) => `${k}=${formatAttr(values[k])}`)
    .join(',');
}

interface KeyedNode {
  readonly op: OpName;
  readonly inputs: readonly Value[];
  readonly attrs: unknown;
  readonly regions: readonly Graph[];
  readonly types: readonly TensorType[];
}

/**
 * The structure of a node for common-subexpression elimination: op, attributes, operands (by
 * identity, sorted for commutative ops), result types and regions (by structure). Two nodes with
 * the same key compute the same values. Source locations are not part of it.
 */
export function nodeKey(n: KeyedNode, operandName: (v: Value) => string = (v) => `${v.id}`): string {
  const operands = n.inputs.map(operandName);
  if (COMMUTATIVE.has(n.op)) operands.sort();
  const regions = n.regions.map(graphKey).join('|');
  return `${n.op}[${attrsKey(n.op, n.attrs as never)}](${operands.join(',')})->${n.types.map(formatType).join(',')}{${regions}}`;
}

/** A graph's structure with values numbered locally: equal for graphs that differ only in names and locations. */
export function graphKey(g: Graph): string {
  const local = new Map<Value, string>();
  const name = (v: Value) => local.get(v) ?? `?${v.id}`;
  g.inputs.forEach((v) => local.set(v, `${local.size}`));
  const parts = [`(${g.inputs.map((v) => formatType(v.type)).join(',')})`];
  for (const n of g.nodes) {
    parts.push(nodeKey({ ...n, types: n.outputs.map((v) => v.type) }, name));
    n.outputs.forEach((v) => local.set(v, `${local.size}`));
  }
  parts.push(`yield ${g.outputs.map(name).join(',')}`);
  return parts.join(';');
}
