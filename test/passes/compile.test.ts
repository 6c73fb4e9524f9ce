import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileProgram } from '../../passes/compile.ts';
import { formatPlan } from '../../passes/kernel-plan.ts';
import { lowerGraph } from '../../passes/lower.ts';
import { LOWER_UNFUSED, PASSES, runPasses, type Pass } from '../../passes/manager.ts';
import { literal } from '../../passes/wgsl/literals.ts';
import { SizesLayout } from '../../passes/wgsl/sizes.ts';
import {
  DEFAULT_LIMITS, GraphBuilder, LimitError, VerifyError,
  type Graph, type Step, type TensorType, type Value,
} from '../../src/ir/index.ts';

const f32 = (...shape: (number | string)[]): TensorType => ({ dtype: 'f32', shape });

function graph(inputs: TensorType[], body: (b: GraphBuilder, xs: Value[]) => Value[]): Graph {
  const b = new GraphBuilder();
  const xs = inputs.map((t) => b.input(t));
  return b.build(body(b, xs));
}

const dispatches = (steps: readonly Step[]): Step[] =>
  steps.flatMap((s) => (s.kind === 'loop' ? dispatches(s.body) : s.kind === 'dispatch' ? [s] : []));

/** The pipeline with one kernel per primitive. */
const UNFUSED = PASSES.map((p) => (p.name === 'fuse' ? LOWER_UNFUSED : p));

describe('lowering to kernel plans', () => {
  it('prints a kernel plan with broadcast loads', () => {
    const g = graph([f32('N', 3), f32(3)], (b, [x, y]) => [b.add1('add', [x, y], {})]);
    const [step] = lowerGraph(g, DEFAULT_LIMITS).steps;
    if (step.kind !== 'kernel') throw new Error('expected a kernel');
    expect(formatPlan(step.plan)).toBe(
      [
        'kernel add',
        '  in0: f32[N,3] = b0',
        '  in1: f32[3] = b1',
        '  map over [N,3]',
        '  out0: f32[N,3] = b2 <- add(in0[c0,c1], in1[c1])',
      ].join('\n'),
    );
  });

  it('inlines splat constants as literals and uploads dense ones once', () => {
    const g = graph([f32(2, 3)], (b, [x]) => {
      const two = b.add1('constant', [], { shape: [], dtype: 'f32', value: [2] });
      const dense = b.add1('constant', [], { shape: [3], dtype: 'f32', value: [1, 2, 3] });
      return [b.add1('add', [b.add1('mul', [x, two], {}), dense], {})];
    });
    const p = compileProgram(g);
    expect(p.buffers.map((b) => b.kind)).toEqual(['input', 'const', 'temp']);
    expect(p.buffers[1].data).toEqual([1, 2, 3]);
    expect(p.kernels.map((k) => k.plan.split('\n').pop())).toEqual(['  out0: f32[2,3] <- add(mul(in0[c0,c1], 2f), in1[c1])']);
  });

  it('shares one kernel between identical dispatches', () => {
    const g = graph([f32(4), f32(4)], (b, [x, y]) => [b.add1('add', [b.add1('add', [x, y], {}), y], {})]);
    const p = runPasses(g, DEFAULT_LIMITS, {}, UNFUSED);
    expect(p.kernels.length).toBe(1);
    expect(p.steps).toEqual([
      { kind: 'dispatch', kernel: 0, buffers: [0, 1, 2] },
      { kind: 'dispatch', kernel: 0, buffers: [2, 1, 3] },
    ]);
  });

  it('reads symbolic sizes from the uniform and dispatches by formula', () => {
    const g = graph([f32('N', 'M')], (b, [x]) => [b.add1('exp', [x], {})]);
    const p = compileProgram(g);
    expect(p.dims).toEqual(['N', 'M']);
    expect(p.kernels[0].wgsl).toContain('sizes.N');
    expect(p.kernels[0].dispatch).toEqual({ kind: 'linear', count: { constant: 1, symbols: ['M', 'N'], divisor: 256 } });
  });

  it('gives each loop state its own written buffer, copying pass-through and repeated values', () => {
    const b = new GraphBuilder();
    const [p, q] = [b.input(f32(4)), b.input(f32(4))];
    const body = new GraphBuilder();
    const [x, y] = [body.input(f32(4)), body.input(f32(4)), body.input(f32(4))];
    const sum = body.add1('add', [x, y], {});
    const results = b.add('loop', [p, p, q], { trips: 3, carried: 3 }, { regions: [body.build([sum, y, sum], 'body')] });
    const program = compileProgram(b.build(results));
    const loop = program.steps.find((s) => s.kind === 'loop');
    if (loop?.kind !== 'loop') throw new Error('expected a loop step');
    expect(new Set(loop.stateOut).size).toBe(3);
    for (const id of loop.stateOut) expect(loop.stateIn).not.toContain(id);
    expect(loop.body.filter((s) => s.kind === 'copy')).toHaveLength(2);
    expect(loop.init).toEqual([0, 0, 1]);
  });
});

describe('WGSL spelling', () => {
  it('writes literals that WGSL parses to the same value', () => {
    expect(literal('f32', 0.1)).toBe('0.10000000149011612f');
    expect(literal('f32', 2)).toBe('2f');
    expect(literal('f32', -2.5)).toBe('(-2.5f)');
    // Zeros, infinities, NaN, subnormals and huge values are hidden from the compiler's folding.
    expect(literal('f32', -0)).toBe('bitcast<f32>(0x80000000u | sizes.ax_zero)');
    expect(literal('f32', 0)).toBe('bitcast<f32>(0x0u | sizes.ax_zero)');
    expect(literal('f32', Infinity)).toBe('bitcast<f32>(0x7f800000u | sizes.ax_zero)');
    expect(literal('f32', -1e39)).toBe('bitcast<f32>(0xff800000u | sizes.ax_zero)');
    expect(literal('f32', NaN)).toBe('bitcast<f32>(0x7fc00000u | sizes.ax_zero)');
    expect(literal('f32', 1e-40)).toBe('bitcast<f32>(0x116c2u | sizes.ax_zero)');
    expect(literal('f32', 2, true)).toBe('bitcast<f32>(0x40000000u | sizes.ax_zero)');
    expect(literal('i32', 7, true)).toBe('bitcast<i32>(0x7u | sizes.ax_zero)');
    expect(literal('i32', -2147483648)).toBe('(-2147483647i - 1i)');
    expect(literal('i32', -7)).toBe('(-7i)');
    expect(literal('u32', 4294967295)).toBe('4294967295u');
    expect(literal('bool', 1)).toBe('true');
  });

  it('names one uniform field per dim, sanitised, then the hidden zero', () => {
    expect(new SizesLayout([]).declaration).toContain('struct Sizes {\n  ax_zero: u32,\n}');
    expect(new SizesLayout(['N']).declaration).toContain('  N: u32,\n  ax_zero: u32,');
    const sizes = new SizesLayout(['N', 'batch size', 'Self']);
    expect(sizes.dim('N')).toBe('sizes.N');
    expect(sizes.dim('batch size')).toBe('sizes.d1_batch_size');
    expect(sizes.dim('Self')).toBe('sizes.d2_Self');
    expect(sizes.dim(7)).toBe('7u');
  });

  it('refuses a buffer larger than one storage binding', () => {
    const g = graph([f32(1000, 1000)], (b, [x]) => [b.add1('exp', [x], {})]);
    expect(() => compileProgram(g, { ...DEFAULT_LIMITS, maxStorageBufferBindingSize: 1 << 20 })).toThrow(/maxStorageBufferBindingSize/);
  });

  it('refuses a kernel with more storage bindings than the limit', () => {
    const g = graph([{ dtype: 'bool', shape: [2] }, f32(2), f32(2)], (b, [c, x, y]) => [b.add1('select', [c, x, y], {})]);
    expect(() => compileProgram(g, { ...DEFAULT_LIMITS, maxStorageBuffersPerShaderStage: 3 })).toThrow(LimitError);
  });
});

describe('pass manager', () => {
  const g = graph([f32('N', 3)], (b, [x]) => [b.add1('reduce_max', [b.add1('neg', [x], {})], { axes: [1], keepdims: true })]);
  afterEach(() => vi.unstubAllEnvs());

  it('runs verify, inline-custom-vjp, cond-to-select, simplify, split-wide, guard-while, fuse, donate-inputs, merge-dispatches, plan-memory and emit-wgsl in order', () => {
    expect(PASSES.map((p) => p.name)).toEqual([
      'verify', 'inline-custom-vjp', 'cond-to-select', 'simplify', 'split-wide', 'guard-while', 'fuse', 'donate-inputs', 'merge-dispatches', 'plan-memory', 'emit-wgsl',
    ]);
  });

  it('dumps WGSL at debug 2, the kernel plan at 3 and the IR after each graph pass at 4', () => {
    const dumps = (debug: number) => {
      const texts: string[] = [];
      compileProgram(g, DEFAULT_LIMITS, { debug, log: (t) => texts.push(t) });
      return texts.map((t) => t.split('\n')[0].replace(/ k\d+_\w+/, '').replace(/ in \d+ ms$/, ''));
    };
    const summary = '// compiled @main: 1 kernels, 1 steps, 2 buffers';
    expect(dumps(0)).toEqual([]);
    expect(dumps(1)).toEqual([summary]);
    expect(dumps(2)).toEqual(['// WGSL of (after emit-wgsl)', summary]);
    expect(dumps(3)).toEqual([
      '// kernel plan after fuse',
      '// kernel plan after donate-inputs',
      '// kernel plan after merge-dispatches',
      '// kernel plan after plan-memory',
      '// WGSL of (after emit-wgsl)',
      summary,
    ]);
    expect(dumps(4)).toEqual([
      '// IR after verify',
      '// IR after inline-custom-vjp',
      '// IR after cond-to-select',
      '// simplify @main: 1 sweep, 0 rewrites, 0 merged, 0 removed',
      '// IR after simplify',
      '// IR after split-wide',
      '// IR after guard-while',
      '// kernel plan after fuse',
      '// kernel plan after donate-inputs',
      '// kernel plan after merge-dispatches',
      '// kernel plan after plan-memory',
      '// WGSL of (after emit-wgsl)',
      summary,
    ]);
  });

  it('reads the dump level from AXONIC_DEBUG', () => {
    vi.stubEnv('AXONIC_DEBUG', '1');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    compileProgram(g);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^\/\/ compiled @main: 1 kernels/)]);
    errors.mockRestore();
  });

  it('verifies the graph after every graph pass when asked', () => {
    const dropNodes: Pass = {
      name: 'drop-nodes',
      from: 'graph',
      run: (s) => (s.kind === 'graph' ? { kind: 'graph', graph: { ...s.graph, nodes: [] } } : s),
    };
    const passes = [PASSES[0], dropNodes, ...PASSES.slice(1)];
    expect(() => runPasses(g, DEFAULT_LIMITS, { verifyEach: true }, passes)).toThrow(VerifyError);
  });
});
