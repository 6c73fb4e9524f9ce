import * as ax from '../../builder/index.ts';
import type { Dim } from '../../ir/index.ts';
import type { BoundArgs } from '../signature.ts';
import { describe } from '../values.ts';
import { define, table } from './builtin.ts';

/** Reductions, shape functions and contractions: the ax functions under their NumPy names. */

function shapeArg(a: BoundArgs, name: string): Dim[] {
  const v = a.value(name);
  if (Array.isArray(v) && v.every((d) => (typeof d === 'number' && Number.isInteger(d)) || typeof d === 'string')) return v as Dim[];
  if (typeof v === 'number' && Number.isInteger(v)) return [v];
  a.error(name, `${name} of ${a.callee} must be a shape like [2, 3] (sizes, or dims of x.shape), got ${describe(v)}`);
}

const reduction = (name: string, f: (x: ax.Operand, axis?: number | number[], keepdims?: boolean) => ax.Tensor, doc: string) =>
  define(name, ['x', 'axis?', 'keepdims?'], (a) => f(a.operand('x'), a.axis('axis'), a.bool('keepdims', false)), doc);

const argReduction = (name: string, f: (x: ax.Operand, axis?: number, keepdims?: boolean) => ax.Tensor, doc: string) =>
  define(name, ['x', 'axis?', 'keepdims?'], (a) => f(a.operand('x'), a.has('axis') ? a.int('axis') : undefined, a.bool('keepdims', false)), doc);

export const ARRAYS = table(
  reduction('sum', ax.sum, 'the sum over axis (all axes when absent)'),
  reduction('mean', ax.mean, 'the mean over axis (all axes when absent)'),
  reduction('max', ax.max, 'the largest element over axis'),
  reduction('min', ax.min, 'the smallest element over axis'),
  reduction('any', ax.any, 'whether any element over axis is true'),
  reduction('all', ax.all, 'whether every element over axis is true'),
  reduction('norm', ax.norm, 'the Euclidean norm over axis'),
  reduction('logsumexp', ax.logsumexp, 'log Σ exp(x) over axis, shifted by the max'),
  define('var', ['x', 'axis?', 'ddof?'], (a) => ax.variance(a.operand('x'), a.axis('axis'), { ddof: a.number('ddof', 0) }), 'the variance over axis'),
  define('std', ['x', 'axis?', 'ddof?'], (a) => ax.std(a.operand('x'), a.axis('axis'), { ddof: a.number('ddof', 0) }), 'the standard deviation over axis'),
  argReduction('argmax', ax.argmax, 'the index of the largest element along axis'),
  argReduction('argmin', ax.argmin, 'the index of the smallest element along axis'),
  define('softmax', ['x', 'axis?'], (a) => ax.softmax(a.operand('x'), a.axis('axis') ?? -1), 'exp(x) / Σ exp(x) along axis (default the last)'),
  define('log_softmax', ['x', 'axis?'], (a) => ax.logSoftmax(a.operand('x'), a.axis('axis') ?? -1), 'x − logsumexp(x) along axis (default the last)'),
  define('one_hot', ['labels', 'classes', 'dtype?'], (a) => ax.nn.oneHot(a.operand('labels'), a.int('classes', undefined, 1), a.dtype('dtype', 'f32')), 'rows with a 1 at each label'),
  define('reshape', ['x', 'shape'], (a) => ax.reshape(a.operand('x'), shapeArg(a, 'shape')), 'x with another shape (one size may be -1)'),
  define('transpose', ['x', 'perm?'], (a) => ax.transpose(a.operand('x'), a.has('perm') ? a.ints('perm') : undefined), 'x with its axes reordered (reversed by default)'),
  define('swapaxes', ['x', 'a', 'b'], (a) => ax.swapaxes(a.operand('x'), a.int('a'), a.int('b')), 'x with two axes exchanged'),
  define('expand_dims', ['x', 'axis'], (a) => ax.expandDims(a.operand('x'), a.axis('axis')!), 'x with a new axis of size 1'),
  define('squeeze', ['x', 'axis?'], (a) => ax.squeeze(a.operand('x'), a.axis('axis')), 'x without its axes of size 1'),
  define('broadcast_to', ['x', 'shape'], (a) => ax.broadcastTo(a.operand('x'), shapeArg(a, 'shape')), 'x broadcast to shape'),
  define('concat', ['xs', 'axis?'], (a) => ax.concatenate(a.operands('xs'), a.int('axis', 0)), 'the arrays of xs joined along axis (default 0)'),
  define('concatenate', ['xs', 'axis?'], (a) => ax.concatenate(a.operands('xs'), a.int('axis', 0)), 'the arrays of xs joined along axis (default 0)'),
  define('stack', ['xs', 'axis?'], (a) => ax.stack(a.operands('xs'), a.int('axis', 0)), 'the arrays of xs stacked on a new axis'),
  define('take', ['x', 'indices', 'axis?'], (a) => ax.take(a.operand('x'), a.operand('indices'), a.has('axis') ? a.int('axis') : undefined), 'the elements of x at indices along axis'),
  define('flip', ['x', 'axis?'], (a) => ax.flip(a.operand('x'), a.axis('axis')), 'x reversed along axis (all axes when absent)'),
  define('tile', ['x', 'reps'], (a) => ax.tile(a.operand('x'), a.value('reps') as number | number[]), 'x repeated reps times along each axis'),
  define('repeat', ['x', 'repeats', 'axis?'], (a) => ax.repeat(a.operand('x'), a.value('repeats') as number | number[], a.has('axis') ? a.int('axis') : undefined), 'each element of x repeated'),
  define('tril', ['x', 'k?'], (a) => ax.tril(a.operand('x'), a.int('k', 0)), 'x below the k-th diagonal'),
  define('triu', ['x', 'k?'], (a) => ax.triu(a.operand('x'), a.int('k', 0)), 'x above the k-th diagonal'),
  define('diag', ['x', 'k?'], (a) => ax.diag(a.operand('x'), a.int('k', 0)), 'the k-th diagonal, or a diagonal matrix'),
  define('matmul', ['x', 'y'], (a) => ax.matmul(a.operand('x'), a.operand('y')), 'the matrix product (x @ y)'),
  define('dot', ['x', 'y'], (a) => ax.dot(a.operand('x'), a.operand('y')), "NumPy's dot"),
  define('outer', ['x', 'y'], (a) => ax.outer(a.operand('x'), a.operand('y')), 'the outer product'),
  define('einsum', ['spec', '*operands'], (a) => ax.einsum(a.string('spec'), ...a.rest.map((r, i) => a.toOperand(r.value, r.span, `operand ${i} of einsum`))), 'Einstein summation, as numpy.einsum'),
);
