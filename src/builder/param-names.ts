/**
 * The names of a function's parameters, read from its source text, for error messages that say
 * `argument w` rather than `argument 0`. Best effort: a parameter that is not a plain identifier
 * (destructured, rest, with a default) or a function whose text cannot be read gets `arg<i>`.
 */
export function parameterNames(fn: (...args: never[]) => unknown, count: number): string[] {
  const source = wrappedBy.get(fn) ?? fn;
  if (!parsed.has(fn)) parsed.set(fn, parameterList(Function.prototype.toString.call(source)));
  const listed = parsed.get(fn);
  return Array.from({ length: count }, (_, i) => {
    const name = listed?.[i]?.trim();
    return name && /^[A-Za-z_$][\w$]*$/.test(name) ? name : `arg${i}`;
  });
}

/** Wrappers (eager ax functions) whose parameters are those of the function they wrap. */
const wrappedBy = new WeakMap<object, object>();

/** Gives `wrapper` the name, length and parameter names of `fn` (so `ax.jit(ax.sin)` names its argument x). */
export function sameParameters(wrapper: object, fn: (...args: never[]) => unknown): void {
  wrappedBy.set(wrapper, wrappedBy.get(fn) ?? fn);
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  Object.defineProperty(wrapper, 'length', { value: fn.length });
}

/** Parsed once per function: jit functions ask on every call. */
const parsed = new WeakMap<object, string[] | undefined>();

function parameterList(src: string): string[] | undefined {
  const text = src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').trim();
  // `x => ...` and `async x => ...`
  const single = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (single) return [single[1]];
  const open = text.indexOf('(');
  if (open < 0) return undefined;
  let depth = 0;
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        parts.push(text.slice(start, i));
        return parts.filter((p, j) => p.trim() !== '' || j < parts.length - 1);
      }
    } else if (c === ',' && depth === 1) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}
