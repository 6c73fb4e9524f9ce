import {
  BINARY_OPS, DTYPES, isSymbol, sameType, UNARY_OPS,
  type BinaryOp, type Dim, type DType, type OpName, type Shape, type UnaryOp, type Value,
} from '../../src/ir/index.ts';
import { chance, pick, shuffle, sortedSubset } from './random-chooser.ts';
import type { ProgramGen } from './random-graph.ts';
import { cond, dynamicSlice, dynamicUpdateSlice, rev } from './random-graph-steps-window.ts';

/**
 * One step per primitive: picks operands whose types fit (or makes fresh ones) and applies the
 * op. Returns false when nothing fits yet. Total over the registry, so a new primitive without a
 * step is a type error here.
 */
export type Step = (gen: ProgramGen) => boolean;

const rankAtLeast = (k: number) => (v: Value) => v.type.shape.length >= k;

/** A shape that broadcasts against `shape` to `shape` itself: a suffix with some dims set to 1. */
function broadcastPartner(gen: ProgramGen, shape: Shape): Dim[] {
  const drop = gen.c.int(0, shape.length);
  return shape.slice(drop).map((d) => (chance(gen.c, 30) ? 1 : d));
}

/** A fresh operand of this dtype and shape: a new graph input or a splat constant. */
function fresh(gen: ProgramGen, dtype: DType, shape: Shape): Value | undefined {
  return chance(gen.c, 50) ? gen.input({ dtype, shape }) : gen.splat(dtype, shape);
}

function unaryStep(op: UnaryOp): Step {
  return (gen) => {
    const xs = gen.values.filter((v) => gen.accepts(op, [v.type], {}));
    return xs.length > 0 && gen.apply1(op, [pick(gen.c, xs)], {}) !== undefined;
  };
}

function binaryStep(op: BinaryOp): Step {
  return (gen) => {
    const as = gen.values.filter((v) => gen.accepts(op, [v.type, v.type], {}));
    if (as.length === 0) return false;
    const a = pick(gen.c, as);
    const existing = gen.values.filter((v) => gen.accepts(op, [a.type, v.type], {}));
    const b = chance(gen.c, 40) ? pick(gen.c, existing) : fresh(gen, a.type.dtype, broadcastPartner(gen, a.type.shape));
    if (!b) return false;
    return gen.apply1(op, chance(gen.c, 50) ? [a, b] : [b, a], {}) !== undefined;
  };
}

const select: Step = (gen) => {
  const preds = gen.values.filter((v) => v.type.dtype === 'bool');
  if (preds.length === 0) return false;
  const p = pick(gen.c, preds);
  const branches = gen.values.filter((v) => gen.accepts('select', [p.type, v.type, v.type], {}));
  const a = branches.length && chance(gen.c, 70) ? pick(gen.c, branches) : fresh(gen, gen.dtype(), p.type.shape);
  if (!a) return false;
  const others = gen.values.filter((v) => gen.accepts('select', [p.type, a.type, v.type], {}));
  const b = chance(gen.c, 50) ? pick(gen.c, others) : fresh(gen, a.type.dtype, broadcastPartner(gen, a.type.shape));
  return b !== undefined && gen.apply1('select', [p, a, b], {}) !== undefined;
};

const cast: Step = (gen) => gen.apply1('cast', [pick(gen.c, gen.values)], { dtype: pick(gen.c, DTYPES) }) !== undefined;

function reduceStep(op: 'reduce_sum' | 'reduce_max' | 'reduce_min'): Step {
  return (gen) => {
    const xs = gen.values.filter((v) => v.type.dtype !== 'bool' && v.type.shape.length > 0);
    if (xs.length === 0) return false;
    const x = pick(gen.c, xs);
    const rank = x.type.shape.length;
    const axes = sortedSubset(gen.c, rank, gen.c.int(chance(gen.c, 10) ? 0 : 1, rank));
    return gen.apply1(op, [x], { axes, keepdims: chance(gen.c, 50) }) !== undefined;
  };
}

const divisorsOf = (n: number): number[] => [...Array(n + 1).keys()].filter((d) => d > 1 && d < n && n % d === 0);

/** Regroups the concrete factor of the element count; symbols move around but stay whole. */
const reshape: Step = (gen) => {
  const x = pick(gen.c, gen.values);
  let rest = x.type.shape.reduce<number>((acc, d) => (isSymbol(d) ? acc : acc * d), 1);
  const dims: Dim[] = x.type.shape.filter(isSymbol);
  while (chance(gen.c, 50)) {
    const divisors = divisorsOf(rest);
    if (divisors.length === 0) break;
    const d = pick(gen.c, divisors);
    dims.push(d);
    rest /= d;
  }
  if (rest > 1) dims.push(rest);
  if (chance(gen.c, 25)) dims.push(1);
  const shape = shuffle(gen.c, dims);
  return shape.length <= 5 && gen.apply1('reshape', [x], { shape }) !== undefined;
};

const broadcastInDim: Step = (gen) => {
  const xs = gen.values.filter((v) => v.type.shape.length <= 3);
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const rank = x.type.shape.length;
  const outRank = rank + gen.c.int(0, 2);
  const dims = sortedSubset(gen.c, outRank, rank);
  const shape: Dim[] = Array.from({ length: outRank }, () => gen.dim());
  dims.forEach((d, i) => {
    const own = x.type.shape[i];
    shape[d] = own === 1 && chance(gen.c, 50) ? shape[d] : own;
  });
  return gen.apply1('broadcast_in_dim', [x], { shape, dims }) !== undefined;
};

const transpose: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  return gen.apply1('transpose', [x], { perm: shuffle(gen.c, [...x.type.shape.keys()]) }) !== undefined;
};

const slice: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const start: number[] = [];
  const limit: Dim[] = [];
  const stride: number[] = [];
  for (const d of x.type.shape) {
    // A symbolic axis can only be kept whole; concrete ones keep at least one element.
    const s = isSymbol(d) ? 0 : gen.c.int(0, d - 1);
    start.push(s);
    limit.push(isSymbol(d) ? d : gen.c.int(s + 1, d));
    stride.push(isSymbol(d) ? 1 : gen.c.int(1, 3));
  }
  return gen.apply1('slice', [x], { start, limit, stride }) !== undefined;
};

const pad: Step = (gen) => {
  const x = pick(gen.c, gen.values);
  const amount = (d: Dim) => (isSymbol(d) ? 0 : gen.c.int(0, 2));
  const low = x.type.shape.map(amount);
  const high = x.type.shape.map(amount);
  return gen.apply1('pad', [x], { low, high, value: gen.literal(x.type.dtype) }) !== undefined;
};

const concatenate: Step = (gen) => {
  const xs = gen.values.filter((v) => v.type.shape.some((d) => !isSymbol(d)));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const axis = pick(gen.c, [...x.type.shape.keys()].filter((i) => !isSymbol(x.type.shape[i])));
  const fits = (v: Value) =>
    v.type.dtype === x.type.dtype &&
    v.type.shape.length === x.type.shape.length &&
    v.type.shape.every((d, i) => (i === axis ? !isSymbol(d) : d === x.type.shape[i]));
  const operands = [x];
  for (let k = gen.c.int(0, 2); k > 0; k--) {
    const partners = gen.values.filter(fits);
    if (chance(gen.c, 50)) operands.push(pick(gen.c, partners));
    else operands.push(gen.input({ dtype: x.type.dtype, shape: x.type.shape.map((d, i) => (i === axis ? gen.c.int(1, 3) : d)) }));
  }
  return gen.apply1('concatenate', shuffle(gen.c, operands), { axis }) !== undefined;
};

const gather: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const axis = gen.c.int(0, x.type.shape.length - 1);
  const existing = gen.values.filter((v) => (v.type.dtype === 'i32' || v.type.dtype === 'u32') && v.type.shape.length <= 2);
  let idx: Value | undefined;
  if (existing.length && chance(gen.c, 40)) idx = pick(gen.c, existing);
  else {
    // Indices reach past both ends, to exercise clamping.
    const size = gen.elements([x.type.shape[axis]]);
    const dtype = pick(gen.c, ['i32', 'u32'] as const);
    const shape = Array.from({ length: gen.c.int(0, 2) }, () => gen.c.int(1, 3));
    const count = shape.reduce((a, b) => a * b, 1);
    const value = Array.from({ length: count }, () => gen.c.int(dtype === 'i32' ? -2 : 0, size + 2));
    idx = gen.apply1('constant', [], { shape, dtype, value });
  }
  return idx !== undefined && x.type.shape.length + idx.type.shape.length <= 6 && gen.apply1('gather', [x, idx], { axis }) !== undefined;
};

/** Pairs lhs axes with equal-sized rhs axes, as contracting (up to 2) or batch (up to 1) pairs. */
function pairAxes(gen: ProgramGen, lhs: Shape, rhs: Shape) {
  const attrs = { lhs_contracting: [] as number[], rhs_contracting: [] as number[], lhs_batch: [] as number[], rhs_batch: [] as number[] };
  const usedRhs = new Set<number>();
  for (const l of shuffle(gen.c, [...lhs.keys()])) {
    const r = shuffle(gen.c, [...rhs.keys()]).find((j) => !usedRhs.has(j) && rhs[j] === lhs[l]);
    if (r === undefined) continue;
    if (attrs.lhs_contracting.length < 2 && chance(gen.c, 60)) {
      attrs.lhs_contracting.push(l);
      attrs.rhs_contracting.push(r);
      usedRhs.add(r);
    } else if (attrs.lhs_batch.length < 1 && chance(gen.c, 50)) {
      attrs.lhs_batch.push(l);
      attrs.rhs_batch.push(r);
      usedRhs.add(r);
    }
  }
  return attrs;
}

const dotGeneral: Step = (gen) => {
  const lhsCandidates = gen.values.filter((v) => v.type.dtype !== 'bool' && v.type.shape.length >= 1 && v.type.shape.length <= 3);
  if (lhsCandidates.length === 0) return false;
  const lhs = pick(gen.c, lhsCandidates);
  const existing = gen.values.filter((v) => v.type.dtype === lhs.type.dtype && v.type.shape.length <= 3);
  let rhs: Value;
  if (chance(gen.c, 40)) rhs = pick(gen.c, existing);
  else {
    // A fresh rhs that shares some of lhs's dims (so pairs exist) next to free dims of its own.
    const shared = shuffle(gen.c, [...lhs.type.shape]).slice(0, gen.c.int(1, Math.min(2, lhs.type.shape.length)));
    const free = Array.from({ length: gen.c.int(0, 1) }, () => gen.dim());
    rhs = gen.input({ dtype: lhs.type.dtype, shape: shuffle(gen.c, [...shared, ...free]) });
  }
  const attrs = pairAxes(gen, lhs.type.shape, rhs.type.shape);
  const outRank = lhs.type.shape.length + rhs.type.shape.length - 2 * attrs.lhs_contracting.length - attrs.lhs_batch.length;
  return outRank <= 4 && gen.apply1('dot_general', [lhs, rhs], attrs) !== undefined;
};

const iota: Step = (gen) => {
  const shape = gen.shape(1, 3);
  const dtype = pick(gen.c, ['f32', 'i32', 'u32'] as const);
  return gen.apply1('iota', [], { shape, dimension: gen.c.int(0, shape.length - 1), dtype }) !== undefined;
};

const constant: Step = (gen) => {
  const dtype = gen.dtype();
  if (chance(gen.c, 50)) return gen.splat(dtype, gen.shape(0, 3)) !== undefined;
  const shape = Array.from({ length: gen.c.int(0, 2) }, () => gen.c.int(1, 4));
  const value = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => gen.literal(dtype));
  return gen.apply1('constant', [], { shape, dtype, value }) !== undefined;
};

const randomBits: Step = (gen) => {
  const keys = gen.values.filter((v) => v.type.dtype === 'u32' && v.type.shape.length === 1 && v.type.shape[0] === 2);
  const key =
    keys.length && chance(gen.c, 50)
      ? pick(gen.c, keys)
      : gen.apply1('constant', [], { shape: [2], dtype: 'u32', value: [gen.c.int(0, 0xffffffff), gen.c.int(0, 0xffffffff)] });
  return key !== undefined && gen.apply1('random_bits', [key], { shape: gen.shape(0, 3) }) !== undefined;
};

/** One elementwise update inside a loop body that keeps `v`'s type (so it can be carried). */
function sameTypeUpdate(body: ProgramGen, v: Value): Value | undefined {
  const t = v.type;
  if (chance(body.c, 40)) {
    const unary = UNARY_OPS.filter((op) => body.accepts(op, [t], {}));
    return unary.length ? body.apply1(pick(body.c, unary), [v], {}) : undefined;
  }
  const keepsType = (op: BinaryOp, w: Value) => {
    const result = body.resultTypes(op, [t, w.type], {});
    return result !== undefined && sameType(result[0], t);
  };
  const partners = body.values.filter((w) => w.type.dtype === t.dtype);
  const w = chance(body.c, 50) && partners.length ? pick(body.c, partners) : body.splat(t.dtype, []);
  if (!w) return undefined;
  const ops = BINARY_OPS.filter((op) => keepsType(op, w));
  return ops.length ? body.apply1(pick(body.c, ops), chance(body.c, 50) ? [v, w] : [w, v], {}) : undefined;
}

const loop: Step = (gen) => {
  const chosen = shuffle(gen.c, gen.values).slice(0, gen.c.int(1, 3));
  const carried = gen.c.int(1, chosen.length);
  const body = gen.nested();
  const params = chosen.map((v) => body.input(v.type));
  const next = params.slice(0, carried).map((p) => {
    let v = p;
    for (let k = gen.c.int(1, 2); k > 0; k--) v = sameTypeUpdate(body, v) ?? v;
    return v;
  });
  const region = body.b.build(next, 'body');
  return gen.apply('loop', chosen, { trips: gen.c.int(0, 3), carried }, [region]) !== undefined;
};

/**
 * A scan over the leading axis of one value (or none, with a length of its own), with a carry of
 * up to two values updated elementwise and constants, stacking one or two of the body's values.
 */
const scan: Step = (gen) => {
  // (Length 0 makes empty stacks, which other steps do not expect; tables cover it.)
  const stackable = gen.values.filter((v) => v.type.shape.length >= 1 && typeof v.type.shape[0] === 'number' && v.type.shape[0] > 0);
  const xs = stackable.length && chance(gen.c, 80) ? [pick(gen.c, stackable)] : [];
  const length = xs.length ? (xs[0].type.shape[0] as number) : gen.c.int(1, 3);
  const others = shuffle(gen.c, gen.values.filter((v) => !xs.includes(v))).slice(0, gen.c.int(xs.length ? 0 : 1, 2));
  const carried = gen.c.int(0, others.length);
  const body = gen.nested();
  const carry = others.slice(0, carried).map((v) => body.input(v.type));
  xs.forEach((v) => body.input({ dtype: v.type.dtype, shape: v.type.shape.slice(1) }));
  others.slice(carried).forEach((v) => body.input(v.type));
  const next = carry.map((p) => {
    let v = p;
    for (let k = gen.c.int(1, 2); k > 0; k--) v = sameTypeUpdate(body, v) ?? v;
    return v;
  });
  const ys = Array.from({ length: gen.c.int(carried ? 0 : 1, 2) }, () => {
    const v = pick(body.c, body.values);
    return sameTypeUpdate(body, v) ?? v;
  });
  const region = body.b.build([...next, ...ys], 'body');
  const attrs = { length, carried, scanned: xs.length, reverse: chance(gen.c, 50) };
  return gen.apply('scan', [...others.slice(0, carried), ...xs, ...others.slice(carried)], attrs, [region]) !== undefined;
};

/** A while_loop over up to two values and an i32 counter, with cond counter < K and a bound of its own. */
const whileLoop: Step = (gen) => {
  const chosen = shuffle(gen.c, gen.values).slice(0, gen.c.int(1, 2));
  const carried = gen.c.int(1, chosen.length);
  const counter = gen.splat('i32', [], 0);
  if (!counter) return false;
  const operands = [...chosen.slice(0, carried), counter, ...chosen.slice(carried)];
  const cond = gen.nested();
  const condIn = operands.map((v) => cond.input(v.type));
  const limit = cond.splat('i32', [], cond.c.int(0, 4));
  const go = limit && cond.apply1('lt', [condIn[carried], limit], {});
  if (!go) return false;
  const body = gen.nested();
  const params = operands.map((v) => body.input(v.type));
  const next = params.slice(0, carried).map((p) => sameTypeUpdate(body, p) ?? p);
  const one = body.splat('i32', [], 1);
  const count = one && body.apply1('add', [params[carried], one], {});
  if (!count) return false;
  const regions = [cond.b.build([go], 'cond'), body.b.build([...next, count], 'body')];
  const attrs = { max_trips: gen.c.int(0, 4), check_every: gen.c.int(1, 3), carried: carried + 1 };
  return gen.apply('while_loop', operands, attrs, regions) !== undefined;
};

/** A custom_vjp whose fwd updates its operands elementwise and whose bwd passes cotangents through. */
const customVjp: Step = (gen) => {
  const chosen = shuffle(gen.c, gen.values).slice(0, gen.c.int(1, 2));
  const fwd = gen.nested();
  const params = chosen.map((v) => fwd.input(v.type));
  const results = [sameTypeUpdate(fwd, params[0]) ?? params[0]];
  const fwdGraph = fwd.b.build(results, 'fwd');
  const bwd = gen.nested();
  const ins = chosen.map((v) => bwd.input(v.type));
  const outs = results.map((v) => bwd.input(v.type));
  const cts = results.map((v) => bwd.input(v.type));
  void ins;
  void outs;
  const grads = chosen.map((v, i) => (i === 0 ? cts[0] : bwd.splat(v.type.dtype, v.type.shape, 0)));
  if (grads.some((g) => g === undefined)) return false;
  const bwdGraph = bwd.b.build(grads as Value[], 'bwd');
  return gen.apply('custom_vjp', chosen, {}, [fwdGraph, bwdGraph]) !== undefined;
};

export const STEPS: { readonly [K in OpName]: Step } = {
  ...(Object.fromEntries(UNARY_OPS.map((op) => [op, unaryStep(op)])) as Record<UnaryOp, Step>),
  ...(Object.fromEntries(BINARY_OPS.map((op) => [op, binaryStep(op)])) as Record<BinaryOp, Step>),
  select,
  cast,
  reduce_sum: reduceStep('reduce_sum'),
  reduce_max: reduceStep('reduce_max'),
  reduce_min: reduceStep('reduce_min'),
  reshape,
  broadcast_in_dim: broadcastInDim,
  transpose,
  slice,
  pad,
  concatenate,
  gather,
  rev,
  dynamic_slice: dynamicSlice,
  dynamic_update_slice: dynamicUpdateSlice,
  dot_general: dotGeneral,
  iota,
  constant,
  random_bits: randomBits,
  loop,
  scan,
  while_loop: whileLoop,
  custom_vjp: customVjp,
  cond,
};
