import type { OpDef, OpTable } from './op-def.ts';
import type { OpName } from './op-attrs.ts';
import { binaryOps } from './ops/binary.ts';
import { concatenate, gather } from './ops/concat-gather.ts';
import { cond } from './ops/cond.ts';
import { dot_general } from './ops/dot.ts';
import { custom_vjp } from './ops/custom-vjp.ts';
import { dynamic_slice, dynamic_update_slice } from './ops/dynamic-slice.ts';
import { loop } from './ops/loop.ts';
import { broadcast_in_dim, pad, reshape, slice, transpose } from './ops/movement.ts';
import { reduceOps } from './ops/reduce.ts';
import { rev } from './ops/rev.ts';
import { scan } from './ops/scan.ts';
import { cast, select } from './ops/select-cast.ts';
import { constant, iota, random_bits } from './ops/source.ts';
import { unaryOps } from './ops/unary.ts';
import { while_loop } from './ops/while-loop.ts';

/** The op registry: one entry per primitive (a missing entry is a type error). */
export const OPS: OpTable = {
  ...unaryOps,
  ...binaryOps,
  select,
  cast,
  ...reduceOps,
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

export const OP_NAMES = Object.keys(OPS) as OpName[];

export const isOpName = (s: string): s is OpName => Object.prototype.hasOwnProperty.call(OPS, s);

export const opDef = <K extends OpName>(op: K): OpDef<K> => OPS[op] as OpDef<K>;
