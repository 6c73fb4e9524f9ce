import {
  exprDType, isSymbol, linearize, sizeOf,
  type Dim, type DType, type KExpr, type Shape,
} from '../../src/ir/index.ts';
import { helperSources } from './helpers.ts';
import { binarySpelling, castSpelling, combineSpelling, selectSpelling, unarySpelling, type Spelling } from './operators.ts';

/** The WGSL element type of a buffer of this dtype (bool is stored as u32 0/1). */
export const storageType = (d: DType): string => (d === 'bool' ? 'u32' : d);
/** The WGSL type of a value of this dtype inside a shader. */
export const valueType = (d: DType): string => d;

/** The 32 bits of a value of the dtype, as a WGSL u32 literal. */
function bitsOf(dtype: DType, v: number): string {
  const word = new Uint32Array(1);
  if (dtype === 'f32') new Float32Array(word.buffer)[0] = v;
  else word[0] = dtype === 'bool' ? (v ? 1 : 0) : v >>> 0;
  return `0x${word[0].toString(16)}u`;
}

/**
 * A literal the WGSL compiler cannot see through: its bits OR'd with the uniform word that is
 * always 0. Drivers may fold arithmetic on literals assuming no infinity, NaN or signed zero
 * (lavapipe drops the store of x / 0.0 entirely, and folds x + 0.0 to x for x = -0).
 */
function opaqueLiteral(dtype: DType, v: number): string {
  const bits = `(${bitsOf(dtype, v)} | sizes.ax_zero)`;
  switch (dtype) {
    case 'f32':
      return `bitcast<f32>${bits}`;
    case 'i32':
      return `bitcast<i32>${bits}`;
    case 'u32':
      return bits;
    case 'bool':
      return `(${bits} != 0u)`;
  }
}

/** f32 values the compiler may fold as written: normal, and far from overflow and underflow. */
const isPlainF32 = (f: number): boolean => Number.isFinite(f) && Math.abs(f) >= 2 ** -64 && Math.abs(f) <= 2 ** 64;

/**
 * WGSL spelling of a number as a literal. Finite values outside f32's range are infinities, as a
 * store would round them. Zeros, infinities, NaN, subnormals and huge values are opaque (above).
 */
export function literal(dtype: DType, v: number, opaque = false): string {
  switch (dtype) {
    case 'f32': {
      const f = Math.fround(v);
      if (opaque || !isPlainF32(f)) return opaqueLiteral('f32', f);
      return f < 0 ? `(${String(f)}f)` : `${String(f)}f`;
    }
    case 'i32': {
      if (!Number.isFinite(v)) throw new Error(`wgsl: i32 literal ${v} (a kernel rule produced a non-integer size)`);
      const i = v | 0;
      if (opaque) return opaqueLiteral('i32', i);
      if (i === -2147483648) return '(-2147483647i - 1i)';
      return i < 0 ? `(${i}i)` : `${i}i`;
    }
    case 'u32':
      if (!Number.isFinite(v)) throw new Error(`wgsl: u32 literal ${v} (a kernel rule produced a non-integer size)`);
      return opaque ? opaqueLiteral('u32', v) : `${Math.trunc(v) >>> 0}u`;
    case 'bool':
      return opaque ? opaqueLiteral('bool', v) : v ? 'true' : 'false';
  }
}

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

/** Storage bindings 1..n: the kernel inputs read-only, then the output read-write. */
export function storageBindings(inputs: readonly { dtype: DType }[], output: { dtype: DType }): string {
  const lines = inputs.map(
    (o, i) => `@group(0) @binding(${i + 1}) var<storage, read> in${i}: array<${storageType(o.dtype)}>;`,
  );
  lines.push(`@group(0) @binding(${inputs.length + 1}) var<storage, read_write> out: array<${storageType(output.dtype)}>;`);
  return lines.join('\n');
}

/** The WGSL statement storing `value` (of `dtype`) at `index` of the output. */
export const storeOutput = (dtype: DType, index: string, value: string): string =>
  `out[${index}] = ${dtype === 'bool' ? `select(0u, 1u, ${value})` : value};`;

const isConstant = (e: KExpr): boolean => {
  switch (e.k) {
    case 'lit':
      return true;
    case 'dim':
      return !isSymbol(e.dim);
    case 'unary':
    case 'cast':
      return isConstant(e.arg);
    case 'binary':
      return isConstant(e.a) && isConstant(e.b);
    case 'select':
      return isConstant(e.pred) && isConstant(e.a) && isConstant(e.b);
    default:
      return false;
  }
};

/**
 * Renders kernel expressions to WGSL through the operator table (operators.ts), and gathers the
 * helper functions the rendered text calls: registry preludes first, then the table's helpers
 * with their dependencies, each once.
 */
export class ExprRenderer {
  private readonly preludes: string[] = [];
  private readonly helperNames = new Set<string>();
  private inConstant = false;

  constructor(
    readonly inputs: readonly { dtype: DType; shape: Shape }[],
    readonly sizes: SizesLayout,
    preludes: readonly string[] = [],
    /** A precomputed flat index (e.g. `idx`) valid for loads at coordinates c0.. of `shape`. */
    private readonly identity?: { shape: Shape; index: string },
  ) {
    for (const p of preludes) if (!this.preludes.includes(p)) this.preludes.push(p);
  }

  /** Helper functions (registry preludes and the operator table's) to place before the entry point. */
  get prelude(): string {
    return [...this.preludes, ...helperSources(this.helperNames)].join('\n\n');
  }

  private dtypeOf(e: KExpr): DType {
    return exprDType(e, this.inputs.map((o) => o.dtype));
  }

  private spelled(s: Spelling): string {
    for (const h of s.helpers) this.helperNames.add(h);
    return s.text;
  }

  private loadIndex(e: Extract<KExpr, { k: 'load' }>): string {
    const shape = this.inputs[e.input].shape;
    const id = this.identity;
    if (
      id &&
      shape.length === id.shape.length &&
      shape.every((d, i) => d === id.shape[i]) &&
      e.coords.every((c, i) => c.k === 'coord' && c.axis === i)
    )
      return id.index;
    return this.render(linearize(e.coords, shape));
  }

  render(e: KExpr): string {
    // Operators over literals alone are constant expressions: WGSL rejects one whose result it
    // cannot represent (1.0 / 0.0), and drivers fold the rest assuming no NaN or infinity. Their
    // literals are opaque, so the operators run as the reference defines them.
    const outer = this.inConstant;
    if (!outer && e.k !== 'lit' && e.k !== 'dim' && isConstant(e)) this.inConstant = true;
    try {
      return this.renderNode(e);
    } finally {
      this.inConstant = outer;
    }
  }

  private renderNode(e: KExpr): string {
    switch (e.k) {
      case 'lit':
        return literal(e.dtype, e.value, this.inConstant);
      case 'coord':
        return `c${e.axis}`;
      case 'dim':
        return isSymbol(e.dim) ? this.sizes.dim(e.dim) : literal('u32', e.dim, this.inConstant);
      case 'load': {
        const raw = `in${e.input}[${this.loadIndex(e)}]`;
        return this.inputs[e.input].dtype === 'bool' ? `(${raw} != 0u)` : raw;
      }
      case 'unary':
        return this.spelled(unarySpelling(e.op, this.render(e.arg), this.dtypeOf(e.arg)));
      case 'binary': {
        const dtype = this.dtypeOf(e.a);
        const a = this.render(e.a);
        let b = this.render(e.b);
        // x - x, x != x: a compiler that assumes no NaN folds an operation on one value with itself.
        if (dtype === 'f32' && a === b) b = this.spelled({ text: `ax_opaque_f32(${b})`, helpers: ['ax_opaque_f32'] });
        return this.spelled(binarySpelling(e.op, a, b, dtype));
      }
      case 'select':
        return this.spelled(selectSpelling(this.render(e.pred), this.render(e.a), this.render(e.b)));
      case 'cast':
        return this.spelled(castSpelling(this.render(e.arg), e.from, e.dtype));
      case 'call':
        return `${e.fn}(${e.args.map((a) => this.render(a)).join(', ')})`;
    }
  }

  /** A reduction's combiner, with its helpers recorded. */
  combine(op: 'reduce_sum' | 'reduce_max' | 'reduce_min', a: string, b: string, dtype: DType): string {
    return this.spelled(combineSpelling(op, a, b, dtype));
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
