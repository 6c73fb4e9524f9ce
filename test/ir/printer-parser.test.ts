import { describe, expect, it } from 'vitest';
import {
  GraphBuilder, ParseError, formatNumber, parseGraph, printGraph, verifyGraph, type Graph, type Node,
} from '../../src/ir/index.ts';

/** Golden text written by hand, and the same graph built through the builder. */
interface Golden {
  readonly name: string;
  readonly text: string;
  readonly build: () => Graph;
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';

const GOLDEN: readonly Golden[] = [
  {
    name: 'elementwise ops with a location suffix',
    text: lines(
      'func @main(%0: f32[N,3], %1: f32[3]) -> (f32[N,3]) {',
      '  %2: f32[N,3] = add %0, %1 @model.axon:4:7',
      '  %3: f32[N,3] = tanh %2',
      '  return %3',
      '}',
    ),
    build: () => {
      const b = new GraphBuilder();
      const x = b.input({ dtype: 'f32', shape: ['N', 3] });
      const bias = b.input({ dtype: 'f32', shape: [3] });
      const s = b.add1('add', [x, bias], {}, { file: 'model.axon', line: 4, col: 7 });
      return b.build([b.add1('tanh', [s], {})]);
    },
  },
  {
    name: 'dot_general attributes (batch and contracting)',
    text: lines(
      'func @attn(%0: f32[B,4,8], %1: f32[B,8,5]) -> (f32[B,4,5]) {',
      '  %2: f32[B,4,5] = dot_general[lhs_contracting=[2], rhs_contracting=[1], lhs_batch=[0], rhs_batch=[0]] %0, %1',
      '  return %2',
      '}',
    ),
    build: () => {
      const b = new GraphBuilder();
      const q = b.input({ dtype: 'f32', shape: ['B', 4, 8] });
      const k = b.input({ dtype: 'f32', shape: ['B', 8, 5] });
      const attrs = { lhs_contracting: [2], rhs_contracting: [1], lhs_batch: [0], rhs_batch: [0] };
      return b.build([b.add1('dot_general', [q, k], attrs)], 'attn');
    },
  },
  {
    name: 'constants: a splat over a symbolic shape and one with data',
    text: lines(
      'func @consts(%0: f32[N,2]) -> (f32[N,2], i32[2,2]) {',
      '  %1: f32[N,2] = constant[shape=[N,2], dtype=f32, value=[0.5]]',
      '  %2: f32[N,2] = mul %0, %1',
      '  %3: i32[2,2] = constant[shape=[2,2], dtype=i32, value=[1,-2,3,40]]',
      '  return %2, %3',
      '}',
    ),
    build: () => {
      const b = new GraphBuilder();
      const x = b.input({ dtype: 'f32', shape: ['N', 2] });
      const half = b.add1('constant', [], { shape: ['N', 2], dtype: 'f32', value: [0.5] });
      const y = b.add1('mul', [x, half], {});
      const data = b.add1('constant', [], { shape: [2, 2], dtype: 'i32', value: [1, -2, 3, 40] });
      return b.build([y, data], 'consts');
    },
  },
  {
    name: 'awkward numbers in attributes',
    text: lines(
      'func @numbers(%0: f32[2]) -> (f32[6], f32[5], f32[4]) {',
      '  %1: f32[6] = constant[shape=[6], dtype=f32, value=[0.1,-0,1e-30,inf,-inf,nan]]',
      '  %2: f32[5] = pad[low=[1], high=[2], value=-inf] %0',
      '  %3: f32[4] = pad[low=[0], high=[2], value=nan] %0',
      '  return %1, %2, %3',
      '}',
    ),
    build: () => {
      const b = new GraphBuilder();
      const x = b.input({ dtype: 'f32', shape: [2] });
      const c = b.add1('constant', [], { shape: [6], dtype: 'f32', value: [0.1, -0, 1e-30, Infinity, -Infinity, NaN] });
      const p = b.add1('pad', [x], { low: [1], high: [2], value: -Infinity });
      const q = b.add1('pad', [x], { low: [0], high: [2], value: NaN });
      return b.build([c, p, q], 'numbers');
    },
  },
  {
    name: 'a loop with a body region, several results and a location after the region',
    text: lines(
      'func @relax(%0: f32[N,4], %1: f32[4]) -> (f32[N,4], i32[]) {',
      '  %2: i32[] = constant[shape=[], dtype=i32, value=[0]]',
      '  %3: f32[N,4], %4: i32[] = loop[trips=5, carried=2] %0, %2, %1 body(%5: f32[N,4], %6: i32[], %7: f32[4]) {',
      '    %8: f32[N,4] = add %5, %7',
      '    %9: f32[N,4] = tanh %8',
      '    %10: i32[] = constant[shape=[], dtype=i32, value=[1]]',
      '    %11: i32[] = add %6, %10',
      '    yield %9, %11',
      '  } @relax.axon:9:3',
      '  return %3, %4',
      '}',
    ),
    build: () => {
      const body = new GraphBuilder();
      const [state, count, drive] = [
        body.input({ dtype: 'f32', shape: ['N', 4] }),
        body.input({ dtype: 'i32', shape: [] }),
        body.input({ dtype: 'f32', shape: [4] }),
      ];
      const next = body.add1('tanh', [body.add1('add', [state, drive], {})], {});
      const one = body.add1('constant', [], { shape: [], dtype: 'i32', value: [1] });
      const region = body.build([next, body.add1('add', [count, one], {})], 'body');
      const b = new GraphBuilder();
      const x = b.input({ dtype: 'f32', shape: ['N', 4] });
      const d = b.input({ dtype: 'f32', shape: [4] });
      const zero = b.add1('constant', [], { shape: [], dtype: 'i32', value: [0] });
      const outs = b.add('loop', [x, zero, d], { trips: 5, carried: 2 }, { regions: [region], loc: { file: 'relax.axon', line: 9, col: 3 } });
      return b.build(outs, 'relax');
    },
  },
  {
    name: 'bool attributes and a symbolic slice limit',
    text: lines(
      'func @misc(%0: f32[N,6]) -> (f32[N,1], f32[N,2]) {',
      '  %1: f32[N,1] = reduce_max[axes=[1], keepdims=true] %0',
      '  %2: f32[N,2] = slice[start=[0,1], limit=[N,6], stride=[1,3]] %0',
      '  return %1, %2',
      '}',
    ),
    build: () => {
      const b = new GraphBuilder();
      const x = b.input({ dtype: 'f32', shape: ['N', 6] });
      const m = b.add1('reduce_max', [x], { axes: [1], keepdims: true });
      const s = b.add1('slice', [x], { start: [0, 1], limit: ['N', 6], stride: [1, 3] });
      return b.build([m, s], 'misc');
    },
  },
  {
    name: 'a cond with then and else regions, and the window primitives',
    text: lines(
      'func @pick(%0: bool[], %1: f32[5], %2: i32[1]) -> (f32[2], f32[5]) {',
      '  %3: f32[2] = dynamic_slice[sizes=[2]] %1, %2',
      '  %4: f32[2] = cond %0, %3 then(%5: f32[2]) {',
      '    %6: f32[2] = rev[dims=[0]] %5',
      '    yield %6',
      '  } else(%7: f32[2]) {',
      '    yield %7',
      '  } @pick.axon:3:5',
      '  %8: f32[5] = dynamic_update_slice %1, %4, %2',
      '  return %4, %8',
      '}',
    ),
    build: () => {
      const branch = (name: string, reversed: boolean) => {
        const r = new GraphBuilder();
        const v = r.input({ dtype: 'f32', shape: [2] });
        return r.build([reversed ? r.add1('rev', [v], { dims: [0] }) : v], name);
      };
      const b = new GraphBuilder();
      const p = b.input({ dtype: 'bool', shape: [] });
      const x = b.input({ dtype: 'f32', shape: [5] });
      const s = b.input({ dtype: 'i32', shape: [1] });
      const w = b.add1('dynamic_slice', [x, s], { sizes: [2] });
      const [chosen] = b.add('cond', [p, w], {}, { regions: [branch('then', true), branch('else', false)], loc: { file: 'pick.axon', line: 3, col: 5 } });
      return b.build([chosen, b.add1('dynamic_update_slice', [x, chosen, s], {})], 'pick');
    },
  },
  {
    name: 'a function without inputs',
    text: lines('func @noargs() -> (f32[2,3]) {', '  %0: f32[2,3] = iota[shape=[2,3], dimension=1, dtype=f32]', '  return %0', '}'),
    build: () => {
      const b = new GraphBuilder();
      return b.build([b.add1('iota', [], { shape: [2, 3], dimension: 1, dtype: 'f32' })], 'noargs');
    },
  },
];

describe('printer and parser: golden text', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: the builder's graph prints as written`, () => {
      const graph = g.build();
      verifyGraph(graph);
      expect(printGraph(graph)).toBe(g.text);
    });
    it(`${g.name}: print(parse(text)) === text`, () => {
      const parsed = parseGraph(g.text);
      verifyGraph(parsed);
      expect(printGraph(parsed)).toBe(g.text);
    });
  }

  it('parses numbers to the exact float64 values, -0 and nan included', () => {
    const [c, p, q] = parseGraph(GOLDEN[3].text).nodes as Node<'constant' | 'pad'>[];
    const value = (c as Node<'constant'>).attrs.value;
    expect(value[0]).toBe(0.1);
    expect(Object.is(value[1], -0)).toBe(true);
    expect(value[2]).toBe(1e-30);
    expect(value[3]).toBe(Infinity);
    expect(value[4]).toBe(-Infinity);
    expect(Number.isNaN(value[5])).toBe(true);
    expect((p as Node<'pad'>).attrs.value).toBe(-Infinity);
    expect(Number.isNaN((q as Node<'pad'>).attrs.value)).toBe(true);
  });

  it('keeps locations, region structure and result counts', () => {
    const g = parseGraph(GOLDEN[4].text);
    const loop = g.nodes[1];
    expect(loop.loc).toEqual({ file: 'relax.axon', line: 9, col: 3 });
    expect(loop.outputs.map((v) => v.type)).toEqual([{ dtype: 'f32', shape: ['N', 4] }, { dtype: 'i32', shape: [] }]);
    expect(loop.regions).toHaveLength(1);
    expect(loop.regions[0].inputs).toHaveLength(3);
    expect(loop.regions[0].nodes.map((n) => n.op)).toEqual(['add', 'tanh', 'constant', 'add']);
    expect(parseGraph(GOLDEN[0].text).nodes[0].loc).toEqual({ file: 'model.axon', line: 4, col: 7 });
  });

  it('formatNumber round-trips through Number() for awkward values', () => {
    const values = [0.1, -0, 1e-30, 5e-324, 1.7976931348623157e308, 1e21, -2.5e-7, 1 / 3, 123456789.125];
    for (const v of values) expect(Object.is(Number(formatNumber(v)), v), formatNumber(v)).toBe(true);
    expect([Infinity, -Infinity, NaN].map(formatNumber)).toEqual(['inf', '-inf', 'nan']);
  });

  it('accepts comments and extra blank space, then prints the canonical form', () => {
    const messy = [
      '// a comment line',
      'func @main( %0 : f32[ N , 3 ] ) -> ( f32[N,3] ) {',
      '',
      '  %1 : f32[N,3] = neg %0   // trailing comment',
      '  return %1',
      '}',
    ].join('\n');
    expect(printGraph(parseGraph(messy))).toBe(lines('func @main(%0: f32[N,3]) -> (f32[N,3]) {', '  %1: f32[N,3] = neg %0', '  return %1', '}'));
  });
});

/** The text every malformed case starts from; each case changes one thing. */
const BASE = lines(
  'func @main(%0: f32[N,3], %1: f32[3]) -> (f32[N,3]) {',
  '  %2: f32[N,3] = add %0, %1',
  '  return %2',
  '}',
);

interface Malformed {
  readonly name: string;
  readonly text: string;
  /** Words the message must contain. */
  readonly says: RegExp;
  /** Where the caret must point: the line number and the token there. */
  readonly line: number;
  readonly at: string;
  /** Which occurrence of `at` in that line (default the first). */
  readonly nth?: number;
}

const replaceLine = (n: number, text: string) => BASE.split('\n').map((l, i) => (i === n - 1 ? text : l)).join('\n');

const MALFORMED: readonly Malformed[] = [
  { name: 'unknown op', text: replaceLine(2, '  %2: f32[N,3] = plus %0, %1'), says: /unknown op 'plus'/, line: 2, at: 'plus' },
  { name: 'unknown dtype in a parameter', text: replaceLine(1, 'func @main(%0: f64[N,3], %1: f32[3]) -> (f32[N,3]) {'), says: /unknown dtype 'f64'/, line: 1, at: 'f64' },
  { name: 'unknown dtype in a cast attribute', text: replaceLine(2, '  %2: f32[N,3] = cast[dtype=f16] %0'), says: /unknown dtype 'f16'/, line: 2, at: 'f16' },
  { name: 'undefined value', text: replaceLine(2, '  %2: f32[N,3] = add %0, %7'), says: /undefined value %7/, line: 2, at: '%7' },
  { name: 'value defined twice', text: replaceLine(2, '  %1: f32[N,3] = add %0, %1'), says: /value %1 is defined twice/, line: 2, at: '%1' },
  { name: 'wrong result type', text: replaceLine(2, '  %2: f32[3] = add %0, %1'), says: /result %2 is written f32\[3\] but add gives f32\[N,3\]/, line: 2, at: '%2' },
  { name: 'wrong result count', text: replaceLine(2, '  %2: f32[N,3], %3: f32[N,3] = add %0, %1'), says: /add has 1 result\(s\), 2 written/, line: 2, at: '%2' },
  { name: 'missing attribute', text: replaceLine(2, '  %2: f32[N] = reduce_sum[axes=[1]] %0'), says: /reduce_sum needs attribute\(s\) keepdims/, line: 2, at: 'reduce_sum' },
  {
    name: 'unknown attribute',
    text: replaceLine(2, '  %2: f32[N] = reduce_sum[axes=[1], keepdims=false, axis=1] %0'),
    says: /reduce_sum has no attribute 'axis' \(it has: axes, keepdims\)/,
    line: 2,
    at: 'axis',
  },
  { name: 'attribute of the wrong kind', text: replaceLine(2, '  %2: f32[N] = reduce_sum[axes=[1], keepdims=1] %0'), says: /expected true or false/, line: 2, at: '1]', nth: 1 },
  { name: 'too few operands', text: replaceLine(2, '  %2: f32[N,3] = add %0'), says: /add takes 2 operand\(s\), got 1/, line: 2, at: 'add' },
  { name: 'too many operands', text: replaceLine(2, '  %2: f32[N,3] = neg %0, %1'), says: /neg takes 1 operand\(s\), got 2/, line: 2, at: 'neg' },
  { name: 'operand types the rule refuses', text: replaceLine(1, 'func @main(%0: f32[N,3], %1: f32[M,3]) -> (f32[N,3]) {'), says: /add: cannot broadcast N against M/, line: 2, at: 'add' },
  { name: 'bad location', text: replaceLine(2, '  %2: f32[N,3] = add %0, %1 @model.axon'), says: /expected a location like @file\.ts:12:5, found '@model\.axon'/, line: 2, at: '@' },
  { name: 'missing return', text: BASE.replace('  return %2\n', ''), says: /expected a node or 'return', found '}'/, line: 3, at: '}' },
  { name: 'return types differ from the signature', text: replaceLine(1, 'func @main(%0: f32[N,3], %1: f32[3]) -> (f32[3]) {'), says: /return types \(f32\[N,3\]\) differ from the signature \(f32\[3\]\)/, line: 3, at: 'return' },
  { name: 'trailing garbage', text: BASE + 'extra %9\n', says: /expected end of input after the function, found 'extra'/, line: 5, at: 'extra' },
  { name: 'unexpected character', text: replaceLine(2, '  %2: f32[N,3] = add %0 ; %1'), says: /unexpected character ';'/, line: 2, at: ';' },
  { name: 'missing loop region', text: replaceLine(2, '  %2: f32[N,3] = loop[trips=2, carried=1] %0'), says: /loop needs regions body/, line: 2, at: 'loop' },
];

describe('parser: malformed text', () => {
  for (const m of MALFORMED) {
    it(`${m.name}: ParseError with line:col, the line and a caret`, () => {
      const sourceLine = m.text.split('\n')[m.line - 1];
      let from = -1;
      for (let k = 0; k <= (m.nth ?? 0); k++) from = sourceLine.indexOf(m.at, from + 1);
      expect(from, `'${m.at}' occurs in line ${m.line}`).toBeGreaterThanOrEqual(0);
      const col = from + 1;
      let error: unknown;
      try {
        parseGraph(m.text, 'case.ir');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ParseError);
      const e = error as ParseError;
      expect(e.message).toMatch(m.says);
      expect([e.line, e.col]).toEqual([m.line, col]);
      expect(e.message.split('\n')).toEqual([expect.stringMatching(new RegExp(`^case\\.ir:${m.line}:${col}: `)), `  ${sourceLine}`, `  ${' '.repeat(col - 1)}^`]);
    });
  }
});
