import * as ax from '../../builder/index.ts';
import type { Tree } from '../../builder/tree.ts';
import * as zephyr from '../../nn/zephyr/index.ts';
import type { Dim } from '../../ir/index.ts';
import { fail } from '../diagnostics.ts';
import type { BoundArgs } from '../signature.ts';
import { Callable, callWith, describe, Initializer, Tuple, type CallSite, type LangValue } from '../values.ts';
import { define, table } from './builtin.ts';

/** Arrays made from nothing (zeros, ranges, random draws), control flow, and parameter initialisers. */

function sizes(a: BoundArgs, name: string): Dim[] {
  const v = a.value(name);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return [v];
  if (Array.isArray(v) && v.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || typeof d === 'string')) return v as Dim[];
  a.error(name, `${name} of ${a.callee} must be a shape like [2, 3], got ${describe(v)}`);
}

const concreteSizes = (a: BoundArgs, name: string): number[] => {
  const s = sizes(a, name);
  if (s.some((d) => typeof d === 'string')) a.error(name, `${name} of ${a.callee} needs known sizes, got [${s.join(', ')}]`, 'value');
  return s as number[];
};

/** The state of a loop as the builder takes it: a tensor, or an array for a tuple or list. */
function toTree(v: LangValue, site: CallSite): Tree<ax.Tensor> {
  if (v instanceof ax.Tensor) return v;
  if (v instanceof Tuple) return v.items.map((x) => toTree(x, site));
  if (Array.isArray(v)) return v.map((x) => toTree(x, site));
  fail('type', `a loop state holds tensors, got ${describe(v)}`, site.file, site.span);
}

const fromTree = (t: Tree<ax.Tensor>): LangValue => (Array.isArray(t) ? new Tuple(t.map((x) => fromTree(x as Tree<ax.Tensor>))) : (t as ax.Tensor));

function callable(a: BoundArgs, name: string): Callable {
  const v = a.value(name);
  if (!(v instanceof Callable)) a.error(name, `${name} of ${a.callee} must be a function, got ${describe(v)}`);
  return v;
}

/** `loop(trips, body, init)`: body(state) or body(state, i), trips times, as one loop node. */
function loop(a: BoundArgs): LangValue {
  const trips = a.int('trips', undefined, 0);
  const body = callable(a, 'body');
  const site = a.site;
  const init = toTree(a.value('init')!, site);
  const step = (s: Tree<ax.Tensor>, i?: ax.Tensor) => toTree(callWith(body, i ? [fromTree(s), i] : [fromTree(s)], site), site);
  // The builder counts the body's parameters to decide whether it passes the iteration index.
  const result = (body.arity ?? 1) >= 2 ? ax.loop(trips, (s, i) => step(s, i), init) : ax.loop(trips, (s) => step(s), init);
  return fromTree(result);
}

function cond(a: BoundArgs): LangValue {
  const site = a.site;
  const [yes, no] = [callable(a, 'then'), callable(a, 'otherwise')];
  const operands = a.rest.map((r) => toTree(r.value, site));
  const branch = (f: Callable) => (...xs: ax.Tensor[]) => toTree(callWith(f, xs.map(fromTree), site), site);
  return fromTree(ax.cond(a.operand('predicate'), branch(yes), branch(no), ...operands));
}

const initializer = (name: string, params: readonly string[], make: (a: BoundArgs) => zephyr.Initializer, doc: string) =>
  define(name, params, (a) => new Initializer(name, make(a)), doc);

export const INITIALIZERS = table(
  initializer('normal', ['std?', 'mean?'], (a) => {
    const [std, mean] = [a.number('std', 1), a.number('mean', 0)];
    return std === 1 && mean === 0 ? zephyr.normal : (k, s) => ax.add(ax.multiply(ax.random.normal(k, s), std), mean);
  }, 'initialiser: N(mean, std²)'),
  initializer('uniform', ['min?', 'max?'], (a) => {
    const [min, max] = [a.number('min', 0), a.number('max', 1)];
    return min === 0 && max === 1 ? zephyr.uniform : (k, s) => ax.random.uniform(k, s, { min, max });
  }, 'initialiser: U[min, max)'),
  initializer('truncated_normal', [], () => zephyr.truncatedNormal, 'initialiser: N(0, 1) restricted to (−2, 2)'),
  initializer('scaled_normal', [], () => zephyr.normalScaledByRsqrt, 'initialiser: N(0, 1) / √(last dim)'),
  initializer('lecun', [], () => zephyr.initializerBase, "initialiser: zephyr's default (truncated normal / √(first dim); zeros for vectors)"),
);

export const CREATE = table(
  define('zeros', ['shape', 'dtype?'], (a) => ax.zeros(sizes(a, 'shape'), a.dtype('dtype', 'f32')), 'an array of zeros'),
  define('ones', ['shape', 'dtype?'], (a) => ax.ones(sizes(a, 'shape'), a.dtype('dtype', 'f32')), 'an array of ones'),
  define('full', ['shape', 'value', 'dtype?'], (a) => ax.full(sizes(a, 'shape'), a.number('value'), a.has('dtype') ? a.dtype('dtype') : undefined), 'an array filled with value'),
  define('zeros_like', ['x', 'dtype?'], (a) => ax.zerosLike(a.operand('x'), a.has('dtype') ? a.dtype('dtype') : undefined), 'zeros of the shape of x'),
  define('ones_like', ['x', 'dtype?'], (a) => ax.onesLike(a.operand('x'), a.has('dtype') ? a.dtype('dtype') : undefined), 'ones of the shape of x'),
  define('arange', ['start', 'stop?', 'step?'], (a) => ax.arange(a.number('start'), a.has('stop') ? a.number('stop') : undefined, a.number('step', 1)), 'start, start + step, … below stop'),
  define('linspace', ['start', 'stop', 'num'], (a) => ax.linspace(a.number('start'), a.number('stop'), a.int('num', undefined, 1)), 'num evenly spaced numbers from start to stop'),
  define('eye', ['n', 'm?'], (a) => ax.eye(a.int('n', undefined, 0), a.int('m', a.int('n'), 0)), 'the identity matrix'),
  define('loop', ['trips', 'body', 'init'], loop, 'body applied trips times to a state (one loop node: one GPU submission)'),
  define('cond', ['predicate', 'then', 'otherwise', '*operands'], cond, 'then(*operands) if predicate else otherwise(*operands), chosen on the device'),
);

const key = (a: BoundArgs) => ax.random.key(a.int('seed', undefined, 0));

/** `random.normal(seed, shape)`: draws from axonic's keyed generator (the same numbers on CPU and GPU). */
export const RANDOM = table(
  define('normal', ['seed', 'shape', 'std?', 'mean?'], (a) => {
    const z = ax.random.normal(key(a), concreteSizes(a, 'shape'));
    const [std, mean] = [a.number('std', 1), a.number('mean', 0)];
    return std === 1 && mean === 0 ? z : ax.add(ax.multiply(z, std), mean);
  }, 'standard normal numbers (scaled by std, shifted by mean)'),
  define('uniform', ['seed', 'shape', 'min?', 'max?'], (a) => ax.random.uniform(key(a), concreteSizes(a, 'shape'), { min: a.number('min', 0), max: a.number('max', 1) }), 'uniform numbers in [min, max)'),
  define('bernoulli', ['seed', 'p', 'shape'], (a) => ax.random.bernoulli(key(a), a.number('p'), concreteSizes(a, 'shape')), 'booleans, true with probability p'),
);

