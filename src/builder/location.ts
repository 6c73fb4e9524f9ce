import type { SourceLoc } from '../ir/index.ts';

/** axonic's own src/ folder; frames inside it are library code, not the user's call site. */
const SRC_DIR = toPath(new URL('..', import.meta.url).href).replace(/\/$/, '');

function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  return decodeURIComponent(file.slice('file://'.length));
}

const cwd = (): string | undefined =>
  (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();

// "    at fn (/path/file.ts:12:5)", "    at /path/file.ts:12:5", "    at file:///path/file.ts:12:5"
const FRAME = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/;

/** The first frame of a stack outside the library, or undefined when the stack holds none. */
export function userFrame(stack: string): SourceLoc | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = toPath(m[1]);
    if (file.startsWith('node:') || file.startsWith('internal/') || file.startsWith(SRC_DIR + '/')) continue;
    const dir = cwd();
    const shown = dir && file.startsWith(dir + '/') ? file.slice(dir.length + 1) : file;
    return { file: shown, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

function stackOf(depth: number): string {
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = savedLimit;
  return stack;
}

/**
 * The user's call site: the first stack frame outside axonic's src/ folder (and outside Node's
 * internals), with the path made relative to the working directory when it lies inside it. Every
 * node the builder adds carries it, so a shape error points at the line that wrote the op.
 * (Formatting the source-mapped stack costs tens of microseconds per node: fine for tracing.)
 */
export function callSite(): SourceLoc | undefined {
  if (sourceOverride.length) return sourceOverride[sourceOverride.length - 1];
  // Composite functions nest several library frames above the user's frame.
  return userFrame(stackOf(64));
}

/** Locations that stand for the user's call site while a frontend (the model language) builds ops. */
const sourceOverride: SourceLoc[] = [];

/**
 * Runs `body` with `loc` as the call site of every op it builds: a frontend that lowers another
 * language through the builder API (src/lang) points nodes and shape errors at its own source
 * rather than at a stack frame.
 */
export function atSourceLocation<T>(loc: SourceLoc, body: () => T): T {
  sourceOverride.push(loc);
  try {
    return body();
  } finally {
    sourceOverride.pop();
  }
}
