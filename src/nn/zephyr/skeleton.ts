import { formatShape, isSymbol, ShapeError, type Shape, type SourceLoc } from '../../ir/index.ts';
import { ParameterShapeError, ZephyrError } from './errors.ts';
import type { Initializer } from './initializers.ts';

/** One declared parameter: where it sits in the tree, its shape and initialiser, and who declared it. */
export interface Template {
  readonly path: readonly string[];
  readonly shape: readonly number[];
  readonly initializer: Initializer;
  readonly site: SourceLoc | undefined;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A parameter path as code reads it: `params.mlp[0].weights`. */
export const pathName = (path: readonly string[]): string =>
  'params' + path.map((k) => (/^\d+$/.test(k) ? `[${k}]` : IDENT.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join('');

const SKELETON: unique symbol = Symbol('zephyr.skeleton');

/**
 * The templates one `zephyr.trace` collects. Its `root` is the skeleton passed as `params`: any
 * key read from a skeleton gives a child skeleton (a Proxy), and `validate` on a skeleton records
 * a template here. Declaration order fixes the order of the parameters (and of their keys).
 */
export class Recorder {
  readonly templates = new Map<string, Template>();
  readonly root: unknown = this.node([]);

  /** Records `path` with `shape`; throws when it was declared with another shape, or as a group. */
  declare(path: readonly string[], shape: Shape, initializer: Initializer, site: SourceLoc | undefined): readonly number[] {
    const name = pathName(path);
    if (shape.some((d) => isSymbol(d) || !Number.isInteger(d) || (d as number) < 0))
      throw new ShapeError(
        'zephyr.validate',
        `${name} is declared as ${formatShape(shape)}; parameter shapes must be known sizes (trace with concrete example inputs)`,
        [],
        site,
      );
    const dims = shape as readonly number[];
    const key = JSON.stringify(path);
    const known = this.templates.get(key);
    if (known) {
      if (formatShape(known.shape) !== formatShape(dims)) throw new ParameterShapeError(name, known, { shape: dims, site });
      return known.shape;
    }
    for (const other of this.templates.values()) {
      const [short, long] = other.path.length < path.length ? [other.path, path] : [path, other.path];
      if (short.every((k, i) => long[i] === k))
        throw new ZephyrError(
          `${pathName(short)} is declared as an array and ${pathName(long)} inside it; a parameter is either an array or a group`,
        );
    }
    this.templates.set(key, { path: [...path], shape: [...dims], initializer, site });
    return dims;
  }

  private node(path: readonly string[]): unknown {
    const children = new Map<string, unknown>();
    const misuse = (): never => {
      throw new ZephyrError(
        `${pathName(path)} is an undeclared parameter: declare it with zephyr.validate(${pathName(path)}, shape) and use the ` +
          `tensor validate returns`,
      );
    };
    // A function target, so that calling a placeholder (a slip for a method call) can say what went wrong.
    return new Proxy(() => undefined, {
      get: (_target, prop) => {
        if (prop === SKELETON) return { recorder: this, path };
        if (typeof prop === 'symbol' || prop === 'then') return undefined;
        if (prop === 'toString') return () => `${pathName(path)} (parameter placeholder)`;
        if (prop === 'valueOf' || prop === 'toJSON') return misuse;
        let child = children.get(prop);
        if (!child) children.set(prop, (child = this.node([...path, prop])));
        return child;
      },
      apply: misuse,
      set: () => {
        throw new ZephyrError(`${pathName(path)} is read-only while tracing: parameters are declared with zephyr.validate`);
      },
    });
  }
}

/** The recorder and path of a skeleton node, or undefined for anything else. */
export function skeletonOf(x: unknown): { recorder: Recorder; path: readonly string[] } | undefined {
  if (typeof x !== 'function') return undefined;
  return (x as unknown as { [SKELETON]?: { recorder: Recorder; path: readonly string[] } })[SKELETON];
}
