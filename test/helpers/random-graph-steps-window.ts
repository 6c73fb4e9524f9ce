import { isSymbol, UNARY_OPS, type Dim, type Shape, type Value } from '../../src/ir/index.ts';
import { chance, pick, shuffle, sortedSubset } from './random-chooser.ts';
import type { ProgramGen } from './random-graph.ts';
import type { Step } from './random-graph-steps.ts';

/** Random-program steps for rev, the dynamic windows and cond (see random-graph-steps.ts). */

const rankAtLeast = (k: number) => (v: Value) => v.type.shape.length >= k;

export const rev: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const rank = x.type.shape.length;
  return gen.apply1('rev', [x], { dims: sortedSubset(gen.c, rank, gen.c.int(1, rank)) }) !== undefined;
};

/**
 * i32 start indices for the window axes of `x` after `batch` leading batch axes: a constant that
 * reaches past both ends (clamping), or a fresh input (values in [-20, 20]).
 */
function startsFor(gen: ProgramGen, x: Value, batch: number): Value | undefined {
  const shape: Dim[] = [...x.type.shape.slice(0, batch), x.type.shape.length - batch];
  if (chance(gen.c, 40)) return gen.input({ dtype: 'i32', shape });
  const dims = x.type.shape.slice(batch).map((d) => gen.elements([d]));
  if (batch > 0) return gen.splat('i32', shape, gen.c.int(-2, Math.max(...dims) + 2));
  return gen.apply1('constant', [], { shape, dtype: 'i32', value: dims.map((d) => gen.c.int(-2, d + 2)) });
}

/**
 * A window on each axis after the batch axes: a symbolic axis whole, a concrete one 1 to its size
 * (empty windows are left to the primitives' own tests: the reshape step cannot regroup them).
 */
const windowOf = (gen: ProgramGen, shape: Shape, batch: number): Dim[] =>
  shape.slice(batch).map((d) => (isSymbol(d) ? d : gen.c.int(1, d)));

const batchAxes = (gen: ProgramGen, x: Value): number => (x.type.shape.length >= 2 && chance(gen.c, 30) ? 1 : 0);

export const dynamicSlice: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const batch = batchAxes(gen, x);
  const starts = startsFor(gen, x, batch);
  return starts !== undefined && gen.apply1('dynamic_slice', [x, starts], { sizes: windowOf(gen, x.type.shape, batch) }) !== undefined;
};

export const dynamicUpdateSlice: Step = (gen) => {
  const xs = gen.values.filter(rankAtLeast(1));
  if (xs.length === 0) return false;
  const x = pick(gen.c, xs);
  const batch = batchAxes(gen, x);
  const shape = [...x.type.shape.slice(0, batch), ...windowOf(gen, x.type.shape, batch)];
  const startsType = { dtype: 'i32' as const, shape: [...x.type.shape.slice(0, batch), x.type.shape.length - batch] };
  const fits = gen.values.filter((v) => gen.accepts('dynamic_update_slice', [x.type, v.type, startsType], {}));
  const update = fits.length && chance(gen.c, 40) ? pick(gen.c, fits) : gen.input({ dtype: x.type.dtype, shape });
  const starts = startsFor(gen, x, batch);
  return starts !== undefined && gen.apply1('dynamic_update_slice', [x, update, starts], {}) !== undefined;
};

/** A value of `v`'s type in a branch: `v` itself, a unary op of it, or a splat. */
function branchValue(body: ProgramGen, v: Value): Value | undefined {
  const r = body.c.int(1, 3);
  if (r === 1) return v;
  if (r === 2) {
    const ops = UNARY_OPS.filter((op) => body.accepts(op, [v.type], {}));
    return ops.length ? body.apply1(pick(body.c, ops), [v], {}) : v;
  }
  return body.splat(v.type.dtype, v.type.shape);
}

/** cond on a bool scalar (an existing one, a fresh input or a comparison) over 1–2 operands. */
export const cond: Step = (gen) => {
  const scalars = gen.values.filter((v) => v.type.dtype === 'bool' && v.type.shape.length === 0);
  const pred = scalars.length && chance(gen.c, 60) ? pick(gen.c, scalars) : gen.input({ dtype: 'bool', shape: [] });
  const operands = shuffle(gen.c, gen.values.filter((v) => v !== pred)).slice(0, gen.c.int(1, 2));
  if (operands.length === 0) return false;
  const results = operands.slice(0, gen.c.int(1, operands.length));
  const branch = (name: string) => {
    const body = gen.nested();
    const params = operands.map((v) => body.input(v.type));
    const outs = results.map((_, i) => branchValue(body, params[i]));
    return outs.every((v) => v !== undefined) ? body.b.build(outs as Value[], name) : undefined;
  };
  const [onTrue, onFalse] = [branch('then'), branch('else')];
  return onTrue !== undefined && onFalse !== undefined && gen.apply('cond', [pred, ...operands], {}, [onTrue, onFalse]) !== undefined;
};
