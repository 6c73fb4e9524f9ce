import {
  children, exprDType, exprKey, isSymbol, linearize, visitExpr,
  type Combiner, type DType, type KExpr, type Shape,
} from '../../src/ir/index.ts';
import type { BindingWidth } from './common.ts';
import { helperSources } from './helpers.ts';
import { literal } from './literals.ts';
import { binarySpelling, castSpelling, combineSpelling, selectSpelling, unarySpelling, type Spelling } from './operators.ts';
import type { SizesLayout } from './sizes.ts';

/** A kernel input as the renderer sees it: its type, and how the kernel binds it. */
export interface RenderInput {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly width: BindingWidth;
}

/**
 * Four lanes of one vec4 along the last axis of a map's output space: lane j's coordinate on
 * that axis is `lane[j]` (4q + j), where q renders as `quotient`. A load whose last coordinate
 * is a lane coordinate, from an input bound as vec4, reads component j of one vec4 load.
 */
export interface VectorLanes {
  readonly lane: readonly KExpr[];
  readonly quotient: KExpr;
}

/** Whether an expression is made of literals and static sizes only (a constant expression in WGSL). */
function isConstant(e: KExpr): boolean {
  switch (e.k) {
    case 'lit':
      return true;
    case 'dim':
      return !isSymbol(e.dim);
    case 'unary':
    case 'cast':
    case 'binary':
    case 'select':
      return children(e).every(isConstant);
    default:
      return false;
  }
}

const trivial = (e: KExpr): boolean => e.k === 'lit' || e.k === 'coord' || e.k === 'dim' || e.k === 'acc' || e.k === 'raw';

/**
 * Renders kernel expressions to WGSL through the operator table (operators.ts) and gathers the
 * helper functions the text calls. Expressions are rendered a block at a time: a subexpression
 * that occurs more than once in the block (fusion repeats index arithmetic and shared producers)
 * is computed once, into a `let`.
 */
export interface RendererOptions {
  readonly inputs: readonly RenderInput[];
  readonly sizes: SizesLayout;
  /** Registry preludes the expressions call (the RNG). */
  readonly preludes?: readonly string[];
  /** Prefix of the input bindings' names (`${prefix}in0`...), unique per kernel part. */
  readonly prefix?: string;
  /** Inputs read through an output's binding (input index → output index): in-place updates. */
  readonly aliases?: ReadonlyMap<number, number>;
  readonly coordName?: (axis: number) => string;
  readonly lanes?: VectorLanes;
  /**
   * The kernel's own iteration space and the WGSL name of its flat index (of its vec4 chunk in
   * vector mode): a load at coordinates c0.. of an input of exactly that shape reads there.
   */
  readonly identity?: { readonly shape: Shape; readonly index: string };
}

export class ExprRenderer {
  private readonly preludes: string[] = [];
  private readonly helperNames = new Set<string>();
  private nextLet = 0;
  readonly inputs: readonly RenderInput[];
  readonly sizes: SizesLayout;
  readonly prefix: string;
  private readonly aliases: ReadonlyMap<number, number>;
  private readonly coordName: (axis: number) => string;
  private readonly lanes?: VectorLanes;
  readonly identity?: { readonly shape: Shape; readonly index: string };

  constructor(o: RendererOptions) {
    this.inputs = o.inputs;
    this.sizes = o.sizes;
    this.prefix = o.prefix ?? '';
    this.aliases = o.aliases ?? new Map();
    this.coordName = o.coordName ?? ((axis) => `c${axis}`);
    this.lanes = o.lanes;
    this.identity = o.identity;
    for (const p of o.preludes ?? []) if (!this.preludes.includes(p)) this.preludes.push(p);
  }

  /** The WGSL name of input binding i. */
  input(i: number): string {
    const out = this.aliases.get(i);
    return out === undefined ? `${this.prefix}in${i}` : `${this.prefix}out${out}`;
  }

  /** Helper sources (registry preludes, then the operator table's with their callees), each once. */
  get helpers(): string[] {
    return [...this.preludes, ...helperSources(this.helperNames)];
  }

  /** Records the helpers of a spelling and returns its text. */
  spelled(s: Spelling): string {
    for (const h of s.helpers) this.helperNames.add(h);
    return s.text;
  }

  /** A reduction's combiner, with its helpers recorded. */
  combine(combiner: Combiner, a: string, b: string, dtype: DType): string {
    return this.spelled(combineSpelling(combiner, a, b, dtype));
  }

  /** A literal, opaque to the compiler where it must be (see literals.ts). */
  literal(dtype: DType, value: number): string {
    return literal(dtype, value);
  }

  /**
   * The WGSL of each root, pushing the `let`s they share onto `lines` (the block they are used
   * in, in order).
   */
  renderAll(roots: readonly KExpr[], lines: string[]): string[] {
    const counts = new Map<string, number>();
    const count = (e: KExpr) => {
      const key = exprKey(e);
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      if (n === 0) for (const c of children(e)) count(c);
    };
    roots.forEach(count);
    const block = new Block(this, lines, counts);
    return roots.map((r) => block.render(r, false));
  }

  /** One expression, rendered without lets (for small expressions outside any block). */
  renderInline(e: KExpr): string {
    return new Block(this, [], new Map()).render(e, false);
  }

  dtypeOf(e: KExpr): DType {
    return exprDType(e, this.inputs.map((o) => o.dtype));
  }

  coord(axis: number): string {
    return this.coordName(axis);
  }

  freshName(prefix: string): string {
    return `${prefix}${this.nextLet++}`;
  }

  get vectorLanes(): VectorLanes | undefined {
    return this.lanes;
  }
}

/** Which lane, if any, a load's last coordinate is. */
function laneOf(lanes: VectorLanes | undefined, e: Extract<KExpr, { k: 'load' }>): number {
  if (!lanes || e.coords.length === 0) return -1;
  const key = exprKey(e.coords[e.coords.length - 1]);
  return lanes.lane.findIndex((l) => exprKey(l) === key);
}

/**
 * Whether every load of input `index` in `roots` can be a component of a vec4 load: its last
 * coordinate a lane coordinate and the input's last dim a static multiple of 4.
 */
export function vectorizable(roots: readonly KExpr[], index: number, shape: Shape, lanes: VectorLanes): boolean {
  const last = shape[shape.length - 1];
  if (typeof last !== 'number' || last % 4 !== 0) return false;
  let ok = true;
  for (const r of roots)
    visitExpr(r, (x) => {
      if (x.k === 'load' && x.input === index && laneOf(lanes, x) < 0) ok = false;
    });
  return ok;
}

/** One block of statements: its lets and the subexpressions already bound to them. */
class Block {
  private readonly bound = new Map<string, string>();
  private readonly vectors = new Map<string, string>();

  constructor(
    private readonly r: ExprRenderer,
    private readonly lines: string[],
    private readonly counts: ReadonlyMap<string, number>,
  ) {}

  render(e: KExpr, inConstant: boolean): string {
    const key = exprKey(e);
    const known = this.bound.get(key);
    if (known !== undefined) return known;
    // Operators over literals alone are constant expressions: WGSL rejects one whose result it
    // cannot represent (1.0 / 0.0), and drivers fold the rest assuming no NaN or infinity. Their
    // literals are opaque, so the operators run as the reference defines them.
    const constant = inConstant || (e.k !== 'lit' && e.k !== 'dim' && isConstant(e));
    const text = this.renderNode(e, constant);
    if ((this.counts.get(key) ?? 0) < 2 || trivial(e)) return text;
    const name = this.r.freshName('t');
    this.lines.push(`let ${name} = ${text};`);
    this.bound.set(key, name);
    return name;
  }

  /** Whether a load reads the kernel's own point: coordinates c0.. (the last one any lane) of the same shape. */
  private atIdentity(e: Extract<KExpr, { k: 'load' }>, input: RenderInput, vector: boolean): boolean {
    const id = this.r.identity;
    if (!id || input.shape.length !== id.shape.length || !input.shape.every((d, i) => d === id.shape[i])) return false;
    const last = e.coords.length - 1;
    return e.coords.every((c, i) => (vector && i === last) || (c.k === 'coord' && c.axis === i));
  }

  private loadText(e: Extract<KExpr, { k: 'load' }>, inConstant: boolean): string {
    const input = this.r.inputs[e.input];
    let raw: string;
    const lane = laneOf(this.r.vectorLanes, e);
    if (input.width === 'vec4' && lane >= 0) {
      const lanes = this.r.vectorLanes!;
      const last = input.shape.length - 1;
      const quarters = [...input.shape.slice(0, last), (input.shape[last] as number) / 4];
      const index = this.atIdentity(e, input, true)
        ? this.r.identity!.index
        : this.render(linearize([...e.coords.slice(0, last), lanes.quotient], quarters), inConstant);
      const vkey = `${this.r.input(e.input)}[${index}]`;
      let v = this.vectors.get(vkey);
      if (v === undefined) {
        v = this.r.freshName('v');
        this.lines.push(`let ${v} = ${vkey};`);
        this.vectors.set(vkey, v);
      }
      raw = `${v}[${lane}]`;
    } else {
      const index = this.atIdentity(e, input, false) ? this.r.identity!.index : this.render(linearize(e.coords, input.shape), inConstant);
      raw = `${this.r.input(e.input)}[${index}]`;
    }
    return input.dtype === 'bool' ? `(${raw} != 0u)` : raw;
  }

  private renderNode(e: KExpr, inConstant: boolean): string {
    const r = this.r;
    switch (e.k) {
      case 'lit':
        return literal(e.dtype, e.value, inConstant);
      case 'coord':
        return r.coord(e.axis);
      case 'dim':
        return isSymbol(e.dim) ? r.sizes.dim(e.dim) : literal('u32', e.dim, inConstant);
      case 'raw':
        return e.text;
      case 'acc':
        throw new Error('wgsl: acc outside an epilogue (the renderer substitutes it first)');
      case 'load':
        return this.loadText(e, inConstant);
      case 'unary':
        return r.spelled(unarySpelling(e.op, this.render(e.arg, inConstant), r.dtypeOf(e.arg)));
      case 'binary': {
        const dtype = r.dtypeOf(e.a);
        const a = this.render(e.a, inConstant);
        let b = this.render(e.b, inConstant);
        // x - x, x != x: a compiler that assumes no NaN folds an operation on one value with itself.
        if (dtype === 'f32' && a === b) b = r.spelled({ text: `ax_opaque_f32(${b})`, helpers: ['ax_opaque_f32'] });
        return r.spelled(binarySpelling(e.op, a, b, dtype));
      }
      case 'select':
        return r.spelled(selectSpelling(this.render(e.pred, inConstant), this.render(e.a, inConstant), this.render(e.b, inConstant)));
      case 'cast':
        return r.spelled(castSpelling(this.render(e.arg, inConstant), e.from, e.dtype));
      case 'call':
        return `${e.fn}(${e.args.map((a) => this.render(a, inConstant)).join(', ')})`;
    }
  }
}
