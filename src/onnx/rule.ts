import type { Graph, Node } from '../ir/graph.ts';
import type { OpName } from '../ir/op-attrs.ts';
import { OnnxExportError } from './errors.ts';
import type { Scope } from './writer.ts';

/** What a rule gets besides its node: where to write, and how to write the node's regions. */
export interface RuleContext {
  readonly s: Scope;
  /** Writes the IR graph `g` into `scope` with its inputs bound to `inputs`; returns the names of its outputs. */
  inline(scope: Scope, g: Graph, inputs: readonly string[]): string[];
}

/**
 * How one IR primitive becomes ONNX nodes: given the ONNX names of its operands, writes nodes into
 * `cx.s` and returns one name per result. The rule table is total over the IR's primitives, so a
 * new primitive is a type error here until its export (or its refusal) is written.
 */
export type Rule<K extends OpName> = (cx: RuleContext, node: Node<K>, inputs: readonly string[]) => string[];

export type RuleTable = { readonly [K in OpName]: Rule<K> };

/** A primitive ONNX has no counterpart for: exporting it is an OnnxExportError naming it. */
export const unsupported =
  (why: string) =>
  (_cx: RuleContext, node: Node): never => {
    throw new OnnxExportError(node.op, why, node.loc);
  };
