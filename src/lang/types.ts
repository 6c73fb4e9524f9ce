import { Tensor } from '../builder/tensor.ts';
import { formatType, isDType, isSymbol, type Dim, type TensorType } from '../ir/index.ts';
import type { TypeExpr } from './ast.ts';
import { fail } from './diagnostics.ts';
import type { Env } from './env.ts';
import type { SourceFile } from './source.ts';
import { describe, type LangValue } from './values.ts';

/**
 * `f32[N, 784]` as a tensor type. A dim that names a number in scope (a constant, a model's
 * hyperparameter) is that size; any other name is a symbolic dim.
 */
export function resolveType(t: TypeExpr, env: Env, file: SourceFile): TensorType {
  const dtype = t.dtype.name;
  if (!isDType(dtype)) fail('type', `unknown dtype '${dtype}'`, file, t.dtype.span, { help: 'the dtypes are f32, i32, u32 and bool' });
  const shape: Dim[] = t.dims.map((d) => {
    if (d.kind === 'size') return d.value;
    const v = env.lookup(d.name);
    if (v === undefined) return d.name;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    fail('type', `the dim ${d.name} names ${describe(v)}, not a size`, file, d.span, {
      help: `a dim is a size, a name bound to a size, or a new name for a symbolic dim`,
    });
  });
  return { dtype, shape };
}

/**
 * Checks a value against a declared type: dtype equal, concrete dims equal, symbolic dims bound
 * consistently (in `bindings`, shared by one call's parameters and its result).
 */
export function checkType(
  value: LangValue,
  type: TensorType,
  bindings: Map<string, Dim>,
  what: string,
  file: SourceFile,
  span: { start: number; end: number },
): void {
  const actual: TensorType | undefined =
    value instanceof Tensor ? value : typeof value === 'number' ? { dtype: 'f32', shape: [] } : undefined;
  const wanted = formatType(type);
  if (!actual) fail('type', `${what} must be a tensor ${wanted}, got ${describe(value)}`, file, span);
  const mismatch = (why: string): never => fail('shape', `${what} must be ${wanted}, got ${formatType(actual)}: ${why}`, file, span);
  if (actual.dtype !== type.dtype) mismatch(`the dtype is ${actual.dtype}`);
  if (actual.shape.length !== type.shape.length) mismatch(`it has ${actual.shape.length} axes, not ${type.shape.length}`);
  type.shape.forEach((d, i) => {
    const got = actual.shape[i];
    if (!isSymbol(d)) {
      if (got !== d) mismatch(`axis ${i} is ${got}, not ${d}`);
      return;
    }
    const bound = bindings.get(d);
    if (bound === undefined) bindings.set(d, got);
    else if (bound !== got) mismatch(`${d} is ${bound} elsewhere in this call, but axis ${i} is ${got}`);
  });
}
