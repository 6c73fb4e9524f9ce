import {
  exprDType, isSymbol, linearize, opDef, sizeOf,
  type Dim, type DType, type KExpr, type OpName, type Shape,
} from '../../src/ir/index.ts';

/** The WGSL element type of a buffer of this dtype (bool is stored as u32 0/1). */
export const storageType = (d: DType): string => (d === 'bool' ? 'u32' : d);
/** The WGSL type of a value of this dtype inside a shader. */
export const valueType = (d: DType): string => d;

const F32_BITS = { inf: '0x7f800000u', ninf: '0xff800000u', nan: '0x7fc00000u' };

/**
 * WGSL spelling of a number. Finite values outside f32's range become infinities, as a store
 * would round them. Non-finite f32 values go through a function call, because WGSL rejects a
 * constant expression that evaluates to an infinity or NaN.
 */
export function literal(dtype: DType, v: number): string {
  switch (dtype) {
    case 'f32': {
      const f = Math.fround(v);
      if (Number.isNaN(f)) return `ax_f32_bits(${F32_BITS.nan})`;
      if (f === Infinity) return `ax_f32_bits(${F32_BITS.inf})`;
      if (f === -Infinity) return `ax_f32_bits(${F32_BITS.ninf})`;
      if (Object.is(f, -0)) return '(-0.0f)';
      return f < 0 ? `(${String(f)}f)` : `${String(f)}f`;
    }
    case 'i32': {
      if (!Number.isFinite(v)) throw new Error(`wgsl: i32 literal ${v} (a kernel rule produced a non-integer size)`);
      const i = v | 0;
      if (i === -2147483648) return '(-2147483647i - 1i)';
      return i < 0 ? `(${i}i)` : `${i}i`;
    }
    case 'u32':
      if (!Number.isFinite(v)) throw new Error(`wgsl: u32 literal ${v} (a kernel rule produced a non-integer size)`);
      return `${Math.trunc(v) >>> 0}u`;
    case 'bool':
      return v ? 'true' : 'false';
  }
}

/** Identity functions: a call is never a WGSL constant expression, so wrapping a literal in one
 *  keeps constant-only arithmetic (1/0, log(0), casts out of range) from failing at compile time. */
const RUNTIME_HELPERS: Record<string, string> = {
  ax_f32_bits: 'fn ax_f32_bits(b: u32) -> f32 { return bitcast<f32>(b); }',
  ax_rt_f32: 'fn ax_rt_f32(x: f32) -> f32 { return x; }',
  ax_rt_i32: 'fn ax_rt_i32(x: i32) -> i32 { return x; }',
  ax_rt_u32: 'fn ax_rt_u32(x: u32) -> u32 { return x; }',
  ax_rt_bool: 'fn ax_rt_bool(x: bool) -> bool { return x; }',
};

const RESERVED_CAPITALISED = new Set(['NULL', 'Self']);

/** The sizes uniform: one u32 field per program dim, in `dims` order (a pad field when none). */
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
    const members = this.dims.length ? this.dims.map((d) => `  ${this.fields.get(d)}: u32,`) : ['  pad: u32,'];
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

/** The registry's WGSL spelling of an elementwise operator. */
function operator(op: OpName): (args: readonly string[], inTypes: readonly DType[], outType: DType) => string {
  const rule = opDef(op).kernel;
  if (rule.kind !== 'elementwise') throw new Error(`wgsl: ${op} is not an elementwise operator`);
  return rule.wgsl;
}

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
 * Renders kernel expressions to WGSL through the registry's operator spellings, and gathers the
 * helper functions the rendered text calls (each once, in first-use order).
 */
export class ExprRenderer {
  private readonly helpers: string[] = [];
  private keepRuntime = false;

  constructor(
    readonly inputs: readonly { dtype: DType; shape: Shape }[],
    readonly sizes: SizesLayout,
    preludes: readonly string[] = [],
    /** A precomputed flat index (e.g. `idx`) valid for loads at coordinates c0.. of `shape`. */
    private readonly identity?: { shape: Shape; index: string },
  ) {
    for (const p of preludes) this.addHelper(p);
  }

  /** Helper functions (registry preludes and our own) to place before the entry point. */
  get prelude(): string {
    return this.helpers.join('\n\n');
  }

  private addHelper(src: string): void {
    if (!this.helpers.includes(src)) this.helpers.push(src);
  }

  private dtypeOf(e: KExpr): DType {
    return exprDType(e, this.inputs.map((o) => o.dtype));
  }

  private lit(dtype: DType, value: number): string {
    let text = literal(dtype, value);
    if (this.keepRuntime) text = `ax_rt_${dtype}(${text})`;
    for (const name of Object.keys(RUNTIME_HELPERS)) if (text.includes(`${name}(`)) this.addHelper(RUNTIME_HELPERS[name]);
    return text;
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
    // Operators over literals alone would be folded by the WGSL compiler, which rejects results
    // it cannot represent; keep such subtrees runtime values.
    const outer = this.keepRuntime;
    if (!outer && e.k !== 'lit' && e.k !== 'dim' && isConstant(e)) this.keepRuntime = true;
    try {
      return this.renderNode(e);
    } finally {
      this.keepRuntime = outer;
    }
  }

  private renderNode(e: KExpr): string {
    switch (e.k) {
      case 'lit':
        return this.lit(e.dtype, e.value);
      case 'coord':
        return `c${e.axis}`;
      case 'dim':
        return isSymbol(e.dim) ? this.sizes.dim(e.dim) : this.lit('u32', e.dim);
      case 'load': {
        const raw = `in${e.input}[${this.loadIndex(e)}]`;
        return this.inputs[e.input].dtype === 'bool' ? `(${raw} != 0u)` : raw;
      }
      case 'unary':
        return operator(e.op)([this.render(e.arg)], [this.dtypeOf(e.arg)], e.dtype);
      case 'binary':
        return operator(e.op)([this.render(e.a), this.render(e.b)], [this.dtypeOf(e.a), this.dtypeOf(e.b)], e.dtype);
      case 'select':
        return operator('select')([this.render(e.pred), this.render(e.a), this.render(e.b)], ['bool', e.dtype, e.dtype], e.dtype);
      case 'cast':
        return operator('cast')([this.render(e.arg)], [e.from], e.dtype);
      case 'call':
        return `${e.fn}(${e.args.map((a) => this.render(a)).join(', ')})`;
    }
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
