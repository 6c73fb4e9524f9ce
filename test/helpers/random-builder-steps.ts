import * as ax from '../../src/index.ts';
import { isSymbol, type Dim, type DType } from '../../src/ir/index.ts';
import { chance, pick, shuffle, sortedSubset } from './random-chooser.ts';
import { contract, loop } from './random-builder-linalg-loop.ts';
import {
  broadcast, countOf, dimSize, elementsOf, MAX_BOUND, MAX_ELEMENTS, sameShape, type BuilderStep, type BuildState, type Live,
} from './random-builder-state.ts';

/**
 * One step per family of ax functions: picks operands from the pool whose shapes fit, applies
 * the function and pushes the result with a bound on its values. Returns false when nothing fits.
 */

type Result = readonly [ax.Tensor, number] | undefined;

const F32: readonly DType[] = ['f32'];
const NUMERIC: readonly DType[] = ['f32', 'i32'];
const ANY: readonly DType[] = ['f32', 'i32', 'bool'];
const rankAtLeast = (k: number) => (l: Live) => l.t.ndim >= k;

const UNARY: readonly (readonly [string, readonly DType[], (t: ax.Tensor, b: number) => Result])[] = [
  ['tanh', F32, (t) => [ax.tanh(t), 1]],
  ['sigmoid', F32, (t) => [ax.sigmoid(t), 1]],
  ['sin', F32, (t) => [ax.sin(t), 1]],
  ['cos', F32, (t) => [ax.cos(t), 1]],
  ['erf', F32, (t) => [ax.erf(t), 1]],
  ['exp', F32, (t, b) => (b <= 3 ? [ax.exp(t), Math.exp(b)] : [ax.exp(ax.clip(t, -3, 3)), Math.exp(3)])],
  ['sqrt(abs)', F32, (t, b) => [ax.sqrt(ax.abs(t)), Math.sqrt(b)]],
  ['log(1+x²)', F32, (t, b) => [ax.log(ax.square(t).add(1)), Math.log1p(b * b)]],
  ['softplus', F32, (t, b) => [ax.nn.softplus(t), b + 1]],
  ['relu', F32, (t, b) => [ax.relu(t), b]],
  ['square', NUMERIC, (t, b) => (b <= 30 ? [ax.square(t), b * b] : undefined)],
  ['abs', NUMERIC, (t, b) => [ax.abs(t), b]],
  ['negative', NUMERIC, (t, b) => [ax.negative(t), b]],
];

const unary: BuilderStep = (s) => {
  const [name, dtypes, run] = pick(s.c, UNARY);
  const xs = s.live(dtypes);
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const r = run(x.t, x.bound);
  return r !== undefined && s.push(name, ...r);
};

type Operand = ax.Tensor | number;
/** Name, dtypes, the function, and the bound of its result from the operands' bounds. */
const BINARY: readonly (readonly [string, readonly DType[], (a: Operand, b: Operand) => ax.Tensor, (x: number, y: number) => number])[] = [
  ['add', NUMERIC, ax.add, (x, y) => x + y],
  ['subtract', NUMERIC, ax.subtract, (x, y) => x + y],
  ['multiply', NUMERIC, ax.multiply, (x, y) => x * y],
  ['maximum', NUMERIC, ax.maximum, Math.max],
  ['minimum', NUMERIC, ax.minimum, Math.max],
  // The divisor is at least 1, so quotients stay as tame as the dividend.
  ['divide', F32, (a, b) => ax.divide(a, typeof b === 'number' ? 1 + b * b : ax.square(b).add(1)), (x) => x],
];

/** A partner for `a` from the pool (same dtype, broadcasting to a shape that fits), or a literal. */
function partner(s: BuildState, a: Live): Live | number {
  const fitting = s.live([a.t.dtype], (l) => {
    const shape = broadcast(a.t.shape, l.t.shape);
    return shape !== undefined && s.fits(shape);
  });
  return fitting.length > 0 && chance(s.c, 75) ? pick(s.c, fitting) : s.literal(a.t.dtype);
}

const operandOf = (x: Live | number): Operand => (typeof x === 'number' ? x : x.t);
const boundOf = (x: Live | number): number => (typeof x === 'number' ? Math.abs(x) : x.bound);

const binary: BuilderStep = (s) => {
  const [name, dtypes, op, boundFn] = pick(s.c, BINARY);
  const as = s.live(dtypes);
  if (as.length === 0) return false;
  let a = pick(s.c, as);
  let b = partner(s, a);
  const swap = chance(s.c, 50);
  const bound = () => (swap ? boundFn(boundOf(b), boundOf(a)) : boundFn(boundOf(a), boundOf(b)));
  if (bound() > MAX_BOUND) {
    if (a.t.dtype !== 'f32') return false;
    a = s.tame(a, 1);
    if (typeof b !== 'number') b = s.tame(b, 1);
  }
  const t = swap ? op(operandOf(b), operandOf(a)) : op(operandOf(a), operandOf(b));
  return s.push(name, t, bound());
};

const COMPARISONS = [
  ['less', ax.less], ['greater', ax.greater], ['lessEqual', ax.lessEqual],
  ['greaterEqual', ax.greaterEqual], ['equal', ax.equal], ['notEqual', ax.notEqual],
] as const;
const LOGICAL = [['logicalAnd', ax.logicalAnd], ['logicalOr', ax.logicalOr], ['logicalXor', ax.logicalXor]] as const;

/** A comparison (maybe combined with another mask), then where(mask, x, y) on fitting branches. */
const compareWhere: BuilderStep = (s) => {
  const as = s.live(NUMERIC);
  if (as.length === 0) return false;
  const a = pick(s.c, as);
  const [cmpName, cmp] = pick(s.c, COMPARISONS);
  let pred = cmp(a.t, operandOf(partner(s, a)));
  s.push(cmpName, pred, 1);
  const masks = s.live(['bool'], (l) => l.t !== pred && sameShape(pred.shape, broadcast(pred.shape, l.t.shape)));
  if (masks.length > 0 && chance(s.c, 30)) {
    const [name, op] = pick(s.c, LOGICAL);
    pred = op(pred, pick(s.c, masks).t);
    s.push(name, pred, 1);
  }
  const branch = (): Live | number => {
    const fitting = s.live(F32, (l) => {
      const shape = broadcast(pred.shape, l.t.shape);
      return shape !== undefined && s.fits(shape);
    });
    return fitting.length > 0 && chance(s.c, 80) ? pick(s.c, fitting) : s.literal('f32');
  };
  const x = branch();
  const y = branch();
  const xy = broadcast(typeof x === 'number' ? [] : x.t.shape, typeof y === 'number' ? [] : y.t.shape);
  const shape = xy && broadcast(pred.shape, xy);
  if (!shape || !s.fits(shape)) return true;
  return s.push('where', ax.where(pred, operandOf(x), operandOf(y)), Math.max(boundOf(x), boundOf(y)));
};

/** undefined (all axes), one axis (maybe negative), or a sorted non-empty subset. */
function randomAxes(s: BuildState, rank: number): { axis: number | number[] | undefined; axes: number[] } {
  const r = s.c.int(1, 10);
  if (r <= 2) return { axis: undefined, axes: [...Array(rank).keys()] };
  if (r <= 6) {
    const a = s.c.int(0, rank - 1);
    return { axis: chance(s.c, 30) ? a - rank : a, axes: [a] };
  }
  const axes = sortedSubset(s.c, rank, s.c.int(1, rank));
  return { axis: axes, axes };
}

const reduce: BuilderStep = (s) => {
  const xs = s.live(ANY, rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const keepdims = chance(s.c, 40);
  if (x.t.dtype === 'bool') {
    const { axis, axes } = randomAxes(s, x.t.ndim);
    const op = pick(s.c, ['any', 'all', 'sum'] as const);
    return s.push(op, ax[op](x.t, axis, keepdims), op === 'sum' ? countOf(x.t.shape, axes) : 1);
  }
  const op = pick(s.c, ['sum', 'mean', 'max', 'min', 'argmax', 'argmin'] as const);
  if (op === 'argmax' || op === 'argmin') {
    const axis = chance(s.c, 25) ? undefined : s.c.int(0, x.t.ndim - 1);
    if (axis === undefined && x.t.shape.some(isSymbol)) return false;
    const n = axis === undefined ? countOf(x.t.shape, [...x.t.shape.keys()]) : dimSize(x.t.shape[axis]);
    return s.push(op, ax[op](x.t, axis, keepdims), n);
  }
  const { axis, axes } = randomAxes(s, x.t.ndim);
  const total = x.bound * countOf(x.t.shape, axes);
  if (op === 'sum' && total <= MAX_BOUND) return s.push('sum', ax.sum(x.t, axis, keepdims), total);
  if (op === 'sum' || op === 'mean') return s.push('mean', ax.mean(x.t, axis, keepdims), x.bound);
  return s.push(op, ax[op](x.t, axis, keepdims), x.bound);
};

/** softmax, logSoftmax and logsumexp along random axes. */
const normalize: BuilderStep = (s) => {
  const xs = s.live(F32, rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const { axis, axes } = randomAxes(s, x.t.ndim);
  const logCount = Math.log(countOf(x.t.shape, axes));
  switch (pick(s.c, ['softmax', 'logSoftmax', 'logsumexp'] as const)) {
    case 'softmax':
      return s.push('softmax', ax.softmax(x.t, axis ?? -1), 1);
    case 'logSoftmax':
      return s.push('logSoftmax', ax.logSoftmax(x.t, axis ?? -1), 2 * x.bound + logCount);
    case 'logsumexp':
      return s.push('logsumexp', ax.logsumexp(x.t, axis, chance(s.c, 40)), x.bound + logCount);
  }
};

const divisorsOf = (n: number): number[] => [...Array(n + 1).keys()].filter((d) => d > 1 && d < n && n % d === 0);

/** Regroups the concrete factor of the element count; symbols stay whole; sometimes a -1. */
const reshape: BuilderStep = (s) => {
  const x = pick(s.c, s.pool);
  if (!x.t.shape.some(isSymbol) && chance(s.c, 10)) return s.push('ravel', ax.ravel(x.t), x.bound);
  let rest = x.t.shape.reduce<number>((n, d) => (isSymbol(d) ? n : n * d), 1);
  const dims: Dim[] = x.t.shape.filter(isSymbol);
  while (chance(s.c, 50)) {
    const divisors = divisorsOf(rest);
    if (divisors.length === 0) break;
    const d = pick(s.c, divisors);
    dims.push(d);
    rest /= d;
  }
  if (rest > 1) dims.push(rest);
  if (chance(s.c, 20)) dims.push(1);
  const shape = shuffle(s.c, dims);
  if (shape.length > 4) return false;
  if (shape.length > 0 && chance(s.c, 25)) shape[s.c.int(0, shape.length - 1)] = -1;
  return s.push('reshape', ax.reshape(x.t, shape), x.bound);
};

const transpose: BuilderStep = (s) => {
  const xs = s.live(ANY, rankAtLeast(2));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const rank = x.t.ndim;
  switch (s.c.int(1, 3)) {
    case 1:
      return s.push('transpose', ax.transpose(x.t), x.bound);
    case 2:
      return s.push('swapaxes', ax.swapaxes(x.t, s.c.int(-rank, rank - 1), s.c.int(0, rank - 1)), x.bound);
    default:
      return s.push('transpose', ax.transpose(x.t, shuffle(s.c, [...Array(rank).keys()])), x.bound);
  }
};

const expandOrSqueeze: BuilderStep = (s) => {
  const x = pick(s.c, s.pool);
  const ones = [...x.t.shape.keys()].filter((i) => x.t.shape[i] === 1);
  if (ones.length > 0 && chance(s.c, 50))
    return s.push('squeeze', chance(s.c, 30) ? ax.squeeze(x.t) : ax.squeeze(x.t, pick(s.c, ones)), x.bound);
  if (x.t.ndim >= 4) return false;
  const axis = s.c.int(0, x.t.ndim);
  return s.push('expandDims', ax.expandDims(x.t, chance(s.c, 30) ? axis - x.t.ndim - 1 : axis), x.bound);
};

const slice: BuilderStep = (s) => {
  const xs = s.live(ANY, rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const first = x.t.shape[0];
  if (!isSymbol(first) && chance(s.c, 15)) return s.push('index', ax.index(x.t, s.c.int(-first, first - 1)), x.bound);
  const starts: number[] = [];
  const limits: Dim[] = [];
  const strides: number[] = [];
  for (const d of x.t.shape) {
    if (isSymbol(d)) {
      // A symbolic axis can only be kept whole.
      starts.push(0);
      limits.push(d);
      strides.push(1);
      continue;
    }
    const start = s.c.int(0, d - 1);
    const limit = s.c.int(start + 1, d);
    const fromEnd = chance(s.c, 20);
    starts.push(fromEnd ? start - d : start);
    limits.push(fromEnd && limit < d ? limit - d : limit);
    strides.push(s.c.int(1, 3));
  }
  return s.push('slice', ax.slice(x.t, starts, limits, strides), x.bound);
};

const pad: BuilderStep = (s) => {
  const xs = s.live(NUMERIC);
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const value = s.literal(x.t.dtype);
  const concrete = !x.t.shape.some(isSymbol);
  const width: ax.PadWidth =
    concrete && chance(s.c, 20) ? s.c.int(0, 2) : x.t.shape.map((d) => (isSymbol(d) ? [0, 0] as const : [s.c.int(0, 2), s.c.int(0, 2)] as const));
  const grown = x.t.shape.map((d, i) => {
    if (isSymbol(d)) return d;
    const w = typeof width === 'number' ? [width, width] : (width[i] as readonly [number, number]);
    return d + w[0] + w[1];
  });
  if (!s.fits(grown)) return false;
  return s.push('pad', ax.pad(x.t, width, value), Math.max(x.bound, Math.abs(value)));
};

const concatenate: BuilderStep = (s) => {
  const xs = s.live(ANY, (l) => l.t.shape.some((d) => !isSymbol(d)));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const rank = x.t.ndim;
  const axis = pick(s.c, [...Array(rank).keys()].filter((i) => !isSymbol(x.t.shape[i])));
  const copies = s.c.int(1, 2);
  if (elementsOf(x.t.shape) * (copies + 1) > MAX_ELEMENTS) return false;
  if (rank < 4 && chance(s.c, 20)) {
    const others = [x, ...Array.from({ length: copies }, () => pick(s.c, s.live(ANY, (l) => l.t.dtype === x.t.dtype && sameShape(x.t.shape, l.t.shape))))];
    return s.push('stack', ax.stack(others.map((l) => l.t), s.c.int(0, rank)), Math.max(...others.map((l) => l.bound)));
  }
  // Partners no longer than x along the axis, so the result holds at most (copies + 1) times x.
  const fits = (l: Live) =>
    l.t.dtype === x.t.dtype &&
    l.t.ndim === rank &&
    l.t.shape.every((d, i) => (i === axis ? !isSymbol(d) && d <= (x.t.shape[i] as number) : d === x.t.shape[i]));
  const parts = shuffle(s.c, [x, ...Array.from({ length: copies }, () => pick(s.c, s.live(ANY, fits)))]);
  return s.push('concatenate', ax.concatenate(parts.map((l) => l.t), chance(s.c, 30) ? axis - rank : axis), Math.max(...parts.map((l) => l.bound)));
};

/** take along an axis (or the flattened array) with constant or computed i32 indices. */
const take: BuilderStep = (s) => {
  const xs = s.live(ANY, rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(s.c, xs);
  const flat = !x.t.shape.some(isSymbol) && chance(s.c, 15);
  const axis = flat ? undefined : s.c.int(0, x.t.ndim - 1);
  const n = axis === undefined ? countOf(x.t.shape, [...x.t.shape.keys()]) : x.t.shape[axis];
  const outer = axis === undefined ? 1 : elementsOf(x.t.shape) / dimSize(n);
  const rank = axis === undefined ? 0 : x.t.ndim - 1;
  const computed = s.live(['i32'], (l) => rank + l.t.ndim <= 4 && s.fits([outer, ...l.t.shape]));
  if (computed.length > 0 && chance(s.c, 40)) return s.push('take', ax.take(x.t, pick(s.c, computed).t, axis), x.bound);
  // Indices reach past both ends: negative ones wrap (known sizes) and the rest clamp.
  const [lo, hi] = isSymbol(n) ? [-2, 6] : [-n - 1, n + 1];
  const count = s.c.int(1, 6);
  if (rank + 1 > 4 || outer * count > MAX_ELEMENTS) return false;
  const indices = Array.from({ length: count }, () => s.c.int(lo, hi));
  return s.push('take', ax.take(x.t, indices, axis), x.bound);
};

const castStep: BuilderStep = (s) => {
  const x = pick(s.c, s.pool);
  if (x.t.dtype === 'f32') {
    const i = ax.astype(x.t, 'i32');
    s.push('astype(i32)', i, Math.floor(x.bound));
    return chance(s.c, 60) ? s.push('astype(f32)', ax.astype(i, 'f32'), Math.floor(x.bound)) : true;
  }
  const to = pick(s.c, (['f32', 'i32', 'bool'] as const).filter((d) => d !== x.t.dtype));
  return s.push(`astype(${to})`, ax.astype(x.t, to), x.bound);
};

export const BUILDER_STEPS = {
  unary,
  binary,
  compareWhere,
  reduce,
  normalize,
  reshape,
  transpose,
  expandOrSqueeze,
  slice,
  pad,
  concatenate,
  take,
  cast: castStep,
  contract,
  loop,
} as const satisfies Record<string, BuilderStep>;
