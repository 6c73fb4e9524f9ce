import { isSymbol, sizeOf, type Dim, type Shape } from '../../src/ir/index.ts';

const RESERVED_CAPITALISED = new Set(['NULL', 'Self']);

/** The sizes uniform: one u32 field per program dim, in `dims` order, then a word that is always 0. */
export class SizesLayout {
  readonly fields: ReadonlyMap<string, string>;
  constructor(readonly dims: readonly string[]) {
    const fields = new Map<string, string>();
    const used = new Set<string>();
    dims.forEach((d, i) => {
      // Capitalised identifiers cannot clash with WGSL keywords (all lower case) or our locals.
      let name = /^[A-Z][A-Za-z0-9_]*$/.test(d) && !RESERVED_CAPITALISED.has(d) ? d : `d${i}_${d.replace(/[^A-Za-z0-9]/g, '_')}`;
      if (used.has(name)) name = `${name}_${i}`;
      used.add(name);
      fields.set(d, name);
    });
    this.fields = fields;
  }
  get declaration(): string {
    // ax_zero (always 0, after the dims) hides literals from the compiler: see literal().
    const members = [...this.dims.map((d) => `  ${this.fields.get(d)}: u32,`), '  ax_zero: u32,'];
    return `struct Sizes {\n${members.join('\n')}\n}\n@group(0) @binding(0) var<uniform> sizes: Sizes;`;
  }
  dim(d: Dim): string {
    if (!isSymbol(d)) return `${d}u`;
    const f = this.fields.get(d);
    if (!f) throw new Error(`wgsl: dimension ${d} is not among the program dims [${this.dims}]`);
    return `sizes.${f}`;
  }
}

/** `let cI = ...;` for each coordinate of `shape`, from the flat index named `index`. */
export function coordinateLets(shape: Shape, index: string, sizes: SizesLayout, names: (axis: number) => string): string[] {
  const lines: string[] = [];
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    const size = sizes.dim(d);
    if (i === 0) lines.unshift(`let ${names(i)} = ${rest};`);
    else lines.unshift(`let ${names(i)} = ${d === 1 ? '0u' : `${rest} % ${size}`};`);
    rest = d === 1 ? rest : `(${rest} / ${size})`;
  }
  return lines;
}

/** Number of elements of `shape` as a WGSL u32 expression. */
export function elementCount(shape: Shape, sizes: SizesLayout): string {
  const { constant, symbols } = sizeOf(shape);
  const factors = symbols.map((s) => sizes.dim(s));
  if (constant !== 1 || factors.length === 0) factors.unshift(`${constant}u`);
  return factors.length === 1 ? factors[0] : `(${factors.join(' * ')})`;
}
