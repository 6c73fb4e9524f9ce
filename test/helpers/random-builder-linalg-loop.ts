import * as ax from '../../src/index.ts';
import { isSymbol, type Dim, type HostTensor } from '../../src/ir/index.ts';
import { chance, pick, shuffle } from './random-chooser.ts';
import {
  broadcast, dimSize, elementsOf, MAX_BOUND, MAX_ELEMENTS, sameShape, type BuilderStep, type BuildState, type Live,
} from './random-builder-state.ts';

/**
 * The steps that combine tensors structurally: contractions (matmul, einsum) between operands
 * whose shapes fit, and ax.loop with a small body that closes over tensors of the program.
 */

/** A contraction operand: a pool tensor or a constant made to fit. */
interface Factor {
  readonly v: ax.Tensor | HostTensor;
  readonly shape: readonly Dim[];
  readonly bound: number;
}

const fromLive = (l: Live): Factor => ({ v: l.t, shape: l.t.shape, bound: l.bound });

function constantFactor(s: BuildState, shape: readonly number[]): Factor {
  return { v: s.constant(shape), shape, bound: 1 };
}

/** a @ aᵀ or aᵀ @ a: always fits, and contracts a symbolic axis when a has one. */
function gram(s: BuildState, a0: Live): boolean {
  const rank = a0.t.ndim;
  if (rank < 2) return false;
  const rows = chance(s.c, 50);
  const k = dimSize(a0.t.shape[rows ? rank - 1 : rank - 2]);
  if ((elementsOf(a0.t.shape) / k) ** 2 > MAX_ELEMENTS) return false;
  const a = a0.bound * a0.bound * k > MAX_BOUND ? s.tame(a0, 1) : a0;
  const at = ax.swapaxes(a.t, -1, -2);
  return s.push('matmul', rows ? ax.matmul(a.t, at) : ax.matmul(at, a.t), a.bound * a.bound * k);
}

/** matmul(a, b) with b from the pool (a vector, a matrix or a batch that fits) or a constant. */
function matmul(s: BuildState, a0: Live): boolean {
  const k = a0.t.shape[a0.t.ndim - 1];
  const partners = s.live(['f32'], (l) => {
    const r = l.t.ndim;
    if (r === 1) return l.t.shape[0] === k;
    if (r > 3 || l.t.shape[r - 2] !== k) return false;
    return a0.t.ndim <= 2 || r === 2 || broadcast(a0.t.shape.slice(0, -2), l.t.shape.slice(0, -2)) !== undefined;
  });
  let b0: Factor;
  if (partners.length > 0 && chance(s.c, 60)) b0 = fromLive(pick(s.c, partners));
  else if (isSymbol(k)) return false;
  else b0 = constantFactor(s, chance(s.c, 20) ? [k] : [k, s.c.int(1, 5)]);
  const kk = dimSize(k);
  // (a's elements / k) · (b's elements / k) bounds the result's size, batch broadcast included.
  if ((elementsOf(a0.t.shape) / kk) * (elementsOf(b0.shape) / kk) > MAX_ELEMENTS) return false;
  let a = a0;
  let b = b0;
  if (a.bound * b.bound * kk > MAX_BOUND) {
    a = s.tame(a, 1);
    b = b.v instanceof ax.Tensor ? fromLive(s.tame({ t: b.v, bound: b.bound }, 1)) : b;
  }
  return s.push('matmul', ax.matmul(a.t, b.v), a.bound * b.bound * kk);
}

const LETTERS = 'ijklmnop';

/** einsum over a random subscript pattern between a and a partner that shares some letters. */
function einsum(s: BuildState, a0: Live): boolean {
  const aLetters = [...LETTERS.slice(0, a0.t.ndim)];
  const size = new Map<string, Dim>(aLetters.map((c, i) => [c, a0.t.shape[i]]));
  let fresh = a0.t.ndim;
  const newLetter = (d: Dim) => {
    const c = LETTERS[fresh++];
    size.set(c, d);
    return c;
  };
  // A pool partner's axes map to a's letters of equal size (or to new letters).
  const labelled = (l: Live): string[] | undefined => {
    const used = new Set<string>();
    const letters = l.t.shape.map((d) => {
      const same = aLetters.filter((c) => size.get(c) === d && !used.has(c));
      const c = same.length > 0 ? same[0] : undefined;
      if (c) used.add(c);
      return c ?? '?';
    });
    return used.size > 0 ? letters : undefined;
  };
  const partners = s.live(['f32'], (l) => l.t.ndim >= 1 && l.t.ndim <= 3 && labelled(l) !== undefined);
  let b0: Factor;
  let bLetters: string[];
  if (partners.length > 0 && chance(s.c, 60)) {
    const l = pick(s.c, partners);
    b0 = fromLive(l);
    bLetters = labelled(l)!.map((c, i) => (c === '?' ? newLetter(l.t.shape[i]) : c));
  } else {
    const concrete = aLetters.filter((c) => !isSymbol(size.get(c)!));
    bLetters = shuffle(s.c, concrete).slice(0, s.c.int(concrete.length ? 1 : 0, Math.min(2, concrete.length)));
    if (bLetters.length === 0 || chance(s.c, 40)) bLetters.push(newLetter(s.c.int(1, 4)));
    bLetters = shuffle(s.c, bLetters);
    b0 = constantFactor(s, bLetters.map((c) => size.get(c) as number));
  }
  const all = [...new Set([...aLetters, ...bLetters])];
  const implicit = chance(s.c, 15);
  const once = all.filter((c) => aLetters.includes(c) !== bLetters.includes(c)).sort();
  const out = implicit ? once : shuffle(s.c, all.filter(() => chance(s.c, 60)));
  const outElements = out.reduce((n, c) => n * dimSize(size.get(c)!), 1);
  const summed = all.reduce((n, c) => n * dimSize(size.get(c)!), 1) / outElements;
  if (outElements > MAX_ELEMENTS || out.length > 4 || summed > MAX_BOUND) return false;
  let a = a0;
  let b = b0;
  if (a.bound * b.bound * summed > MAX_BOUND) {
    a = s.tame(a, 1);
    b = b.v instanceof ax.Tensor ? fromLive(s.tame({ t: b.v, bound: b.bound }, 1)) : b;
  }
  const spec = `${aLetters.join('')},${bLetters.join('')}${implicit ? '' : `->${out.join('')}`}`;
  return s.push(`einsum`, ax.einsum(spec, a.t, b.v), a.bound * b.bound * summed);
}

export const contract: BuilderStep = (s) => {
  const as = s.live(['f32'], (l) => l.t.ndim >= 1 && l.t.ndim <= 3);
  if (as.length === 0) return false;
  const a = pick(s.c, as);
  return pick(s.c, [gram, matmul, einsum])(s, a);
};

type Update = (t: ax.Tensor, i?: ax.Tensor) => ax.Tensor;

/**
 * s ← α s + (1 − α) tanh(drive): the drive is β s or s @ W, plus maybe a closed-over tensor (a
 * loop invariant) and the iteration index. Values stay within max(bound, 1).
 */
function update(s: BuildState, state: Live): Update {
  const closures = s.live(['f32'], (l) => sameShape(state.t.shape, broadcast(state.t.shape, l.t.shape)));
  const captured = closures.length > 0 && chance(s.c, 60) ? pick(s.c, closures).t : undefined;
  const k = state.t.shape[state.t.ndim - 1];
  const w = k !== undefined && !isSymbol(k) && chance(s.c, 40) ? s.constant([k, k]) : undefined;
  const alpha = pick(s.c, [0.5, 0.8, 0.9]);
  const beta = pick(s.c, [0.5, 1, -0.7]);
  return (t, i) => {
    let drive = w ? ax.matmul(t, w) : t.mul(beta);
    if (captured) drive = drive.add(captured);
    if (i) drive = drive.add(i.astype('f32').mul(0.1));
    return t.mul(alpha).add(ax.tanh(drive).mul(1 - alpha));
  };
}

/** ax.loop over one tensor, an array of two or an object of two, with or without the index. */
export const loop: BuilderStep = (s) => {
  const xs = s.live(['f32']);
  if (xs.length === 0) return false;
  const states = [pick(s.c, xs)];
  if (chance(s.c, 40)) states.push(pick(s.c, xs));
  const updates = states.map((st) => update(s, st));
  const trips = s.c.int(0, 4);
  const counted = chance(s.c, 40);
  const init = states.map((l) => l.t);
  const step = (ts: readonly ax.Tensor[], i?: ax.Tensor) => ts.map((t, k) => updates[k](t, i));
  let results: ax.Tensor[];
  if (states.length === 1) {
    results = [counted ? ax.loop(trips, (t, i) => step([t], i)[0], init[0]) : ax.loop(trips, (t) => step([t])[0], init[0])];
  } else if (chance(s.c, 50)) {
    results = counted ? ax.loop(trips, (ts, i) => step(ts, i), init) : ax.loop(trips, (ts) => step(ts), init);
  } else {
    const toObject = ([p, q]: readonly ax.Tensor[]) => ({ p, q });
    const out = counted
      ? ax.loop(trips, ({ p, q }, i) => toObject(step([p, q], i)), toObject(init))
      : ax.loop(trips, ({ p, q }) => toObject(step([p, q])), toObject(init));
    results = [out.p, out.q];
  }
  results.forEach((t, k) => s.push('loop', t, Math.max(states[k].bound, 1)));
  return true;
};
