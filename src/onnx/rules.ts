import type { RuleTable } from './rule.ts';
import { custom_vjp, cond, loop, scan, while_loop } from './rules-control.ts';
import { dot_general } from './rules-dot.ts';
import { binaryRules, cast, select, unaryRules } from './rules-elementwise.ts';
import {
  broadcast_in_dim, concatenate, dynamic_slice, dynamic_update_slice, gather, pad, reduceRules, reshape, rev, slice, transpose,
} from './rules-movement.ts';
import { constant, iota, random_bits } from './rules-sources.ts';

/** How each IR primitive exports to ONNX (opset 18): one entry per primitive, or a typed refusal. */
export const ONNX_RULES: RuleTable = {
  ...unaryRules,
  ...binaryRules,
  select,
  cast,
  ...reduceRules,
  reshape,
  broadcast_in_dim,
  transpose,
  slice,
  pad,
  concatenate,
  gather,
  rev,
  dynamic_slice,
  dynamic_update_slice,
  dot_general,
  iota,
  constant,
  random_bits,
  loop,
  scan,
  while_loop,
  custom_vjp,
  cond,
};
