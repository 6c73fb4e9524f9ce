import { formatLoc, formatType, InputError, type TensorType } from '../ir/index.ts';
import { userFrame } from './location.ts';
import { parameterNames } from './param-names.ts';
import { numLeaves, stepName, type TreeDef } from './tree.ts';

/**
 * Messages for calls of jit functions (and traces) that do not fit the function: each names the
 * argument path to change and says what was expected there.
 */

type Fn = (...args: never[]) => unknown;

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** What a subtree is, in words ('a list of 2', 'an object with keys w, b', 'nothing'). */
function shapeOf(d: TreeDef): string {
  switch (d.kind) {
    case 'leaf':
      return 'one array or number';
    case 'none':
      return d.value === null ? 'null' : 'nothing';
    case 'array':
      return `a list of ${d.children.length}`;
    case 'object':
      return d.keys.length ? `an object with keys ${d.keys.join(', ')}` : 'an empty object';
    case 'node':
      return `a ${d.type}`;
  }
}

/**
 * The first place where a call's argument structure `actual` differs from the specs' `declared`
 * one, as an InputError naming the argument path; `types` are the declared leaves' types.
 */
export function structureError(fn: Fn, declared: TreeDef, actual: TreeDef, types: readonly TensorType[]): InputError {
  let leaf = 0;
  const expected = (d: TreeDef) => (d.kind === 'leaf' ? formatType(types[leaf]) : shapeOf(d));
  const walk = (d: TreeDef, a: TreeDef, path: string): InputError | undefined => {
    if (d.kind !== a.kind || (d.kind === 'node' && a.kind === 'node' && d.type !== a.type))
      return new InputError(path, expected(d), shapeOf(a), a.kind === 'array' ? 'wrap a JS array of numbers with ax.array(...)' : undefined);
    if (d.kind === 'leaf' || d.kind === 'none') {
      leaf += numLeaves(d);
      return undefined;
    }
    if (d.kind === 'node' && a.kind === 'node') return walk(d.child, a.child, path);
    if (d.kind === 'array' && a.kind === 'array') {
      for (let i = 0; i < Math.max(d.children.length, a.children.length); i++) {
        const p = path + stepName(i);
        if (i >= a.children.length) return new InputError(p, expected(d.children[i]), 'nothing', `the specs have ${plural(d.children.length, 'entry', 'entries')} there`);
        if (i >= d.children.length) return new InputError(p, 'nothing', shapeOf(a.children[i]), `the specs have ${plural(d.children.length, 'entry', 'entries')} there`);
        const e = walk(d.children[i], a.children[i], p);
        if (e) return e;
      }
      return undefined;
    }
    if (d.kind === 'object' && a.kind === 'object') {
      for (let i = 0; i < d.keys.length; i++) {
        const j = a.keys.indexOf(d.keys[i]);
        const p = path + stepName(d.keys[i]);
        if (j < 0) return new InputError(p, expected(d.children[i]), 'nothing', `the call's object has keys ${a.keys.join(', ') || '(none)'}`);
        const e = walk(d.children[i], a.children[j], p);
        if (e) return e;
      }
      const extra = a.keys.find((k) => !d.keys.includes(k));
      if (extra !== undefined) return new InputError(path + stepName(extra), 'nothing', shapeOf(a.children[a.keys.indexOf(extra)]), 'the specs have no such key');
    }
    return undefined;
  };
  if (declared.kind === 'array' && actual.kind === 'array') {
    const names = parameterNames(fn, Math.max(declared.children.length, actual.children.length));
    const n = declared.children.length;
    const m = actual.children.length;
    const counts = `the specs declare ${plural(n, 'argument')} (${names.slice(0, n).join(', ')}), the call passed ${m}`;
    for (let i = 0; i < Math.max(n, m); i++) {
      if (i >= m) return new InputError(names[i], expected(declared.children[i]), 'nothing', counts);
      if (i >= n) return new InputError(names[i], 'nothing', shapeOf(actual.children[i]), counts);
      const e = walk(declared.children[i], actual.children[i], names[i]);
      if (e) return e;
    }
  }
  return walk(declared, actual, 'list') ?? new InputError('list', 'the structure of the specs', 'another structure');
}

/**
 * When tracing failed and the call passed fewer arguments than `fn` declares, the error to
 * throw: the first missing argument by name (the failure itself, e.g. `ax.add: operand 1 is
 * undefined`, is its cause). Undefined when every declared argument was passed.
 */
export function missingArgument(fn: Fn, passed: number, failure: unknown): InputError | undefined {
  if (passed >= fn.length) return undefined;
  const names = parameterNames(fn, fn.length);
  const why = `${fn.name || 'the function'} takes ${plural(fn.length, 'argument')} (${names.join(', ')}), the call passed ${passed}`;
  return new InputError(names[passed], 'an array or a number', 'nothing', why, { cause: failure });
}

const isNumberList = (x: unknown): boolean =>
  Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === 'number' || typeof v === 'boolean' || isNumberList(v));

/**
 * When tracing failed with a TypeError (`x.add is not a function`) and an argument is a plain JS
 * array of numbers, which jit and trace read as a list of scalar arguments, the error to throw:
 * it names that argument, the user's line that failed, and the fix (ax.array).
 */
export function plainArrayArgument(fn: Fn, args: readonly unknown[], failure: unknown): InputError | undefined {
  if (!(failure instanceof TypeError)) return undefined;
  const names = parameterNames(fn, args.length);
  const i = args.findIndex(isNumberList);
  if (i < 0) return undefined;
  const n = (args[i] as unknown[]).flat(Infinity).length;
  const loc = failure.stack ? userFrame(failure.stack) : undefined;
  const where = loc ? ` at ${formatLoc(loc)}` : '';
  return new InputError(
    names[i],
    'an array',
    `a JS array of ${plural(n, 'number')}`,
    `a JS array is read as a list of ${plural(n, 'scalar')}, so the function failed${where} with "${failure.message}": ` +
      'wrap it with ax.array(...) to pass one array',
    { cause: failure },
  );
}
