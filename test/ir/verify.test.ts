import { describe, expect, it } from 'vitest';
import { Value, VerifyError, verifyGraph, type Graph, type Node, type TensorType } from '../../src/ir/index.ts';

const F3: TensorType = { dtype: 'f32', shape: [3] };
const I0: TensorType = { dtype: 'i32', shape: [] };

/** Nodes written out by hand, so that the builder's own checks cannot get in the way. */
const node = (op: Node['op'], inputs: Value[], outputs: Value[], extra: Partial<Node> = {}): Node =>
  ({ op, inputs, outputs, attrs: {}, regions: [], ...extra }) as Node;

const graph = (inputs: Value[], nodes: Node[], outputs: Value[], name = 'main'): Graph => ({ name, inputs, nodes, outputs });

function expectVerifyError(g: Graph, says: RegExp): void {
  expect(() => verifyGraph(g)).toThrow(VerifyError);
  expect(() => verifyGraph(g)).toThrow(says);
}

/** A loop body that adds its invariant to its state: (f32[3], f32[3]) -> f32[3]. */
function addBody(): Graph {
  const [s, inv, next] = [new Value(F3), new Value(F3), new Value(F3)];
  return graph([s, inv], [node('add', [s, inv], [next])], [next], 'body');
}

describe('verifyGraph', () => {
  it('accepts a well-formed graph with a loop', () => {
    const [x, y, r] = [new Value(F3), new Value(F3), new Value(F3)];
    const loop = node('loop', [x, y], [r], { attrs: { trips: 2, carried: 1 } as never, regions: [addBody()] });
    expect(() => verifyGraph(graph([x, y], [loop], [r]))).not.toThrow();
  });

  it('catches a use before definition', () => {
    const [x, a, b] = [new Value(F3), new Value(F3), new Value(F3)];
    // b = neg(a) comes before a = neg(x).
    expectVerifyError(graph([x], [node('neg', [a], [b]), node('neg', [x], [a])], [b]), /node 0 \(neg\): operand 0 \(%\d+\) is not defined before use/);
  });

  it('catches an output that no node defines', () => {
    const [x, stray] = [new Value(F3), new Value(F3)];
    expectVerifyError(graph([x], [], [stray]), /output 0 \(%\d+\) is not defined in this region/);
  });

  it('catches a value defined twice: by two nodes, or as an input and a result', () => {
    const [x, a] = [new Value(F3), new Value(F3)];
    expectVerifyError(graph([x], [node('neg', [x], [a]), node('abs', [x], [a])], [a]), /value %\d+ defined twice \(result of abs\)/);
    expectVerifyError(graph([x], [node('neg', [x], [x])], [x]), /value %\d+ defined twice \(result of neg\)/);
  });

  it('catches a result type that differs from the rule', () => {
    const x = new Value(F3);
    const wrongShape = new Value({ dtype: 'f32', shape: [4] });
    expectVerifyError(graph([x], [node('exp', [x], [wrongShape])], [wrongShape]), /node 0 \(exp\): result 0 is f32\[4\], rule gives f32\[3\]/);
    const wrongDtype = new Value({ dtype: 'f32', shape: [3] });
    expectVerifyError(graph([x], [node('lt', [x, x], [wrongDtype])], [wrongDtype]), /result 0 is f32\[3\], rule gives bool\[3\]/);
  });

  it('catches operand types the rule refuses, naming the op and its location', () => {
    const [x, k, r] = [new Value(F3), new Value(I0), new Value(F3)];
    const loc = { file: 'model.axon', line: 7, col: 2 };
    expectVerifyError(graph([x, k], [node('add', [x, k], [r], { loc })], [r]), /node 0 \(add at model\.axon:7:2\): add: operand dtypes differ/);
  });

  it('catches an operand from an outer scope used inside a loop body', () => {
    const [x, y, r] = [new Value(F3), new Value(F3), new Value(F3)];
    const [s, inv, next] = [new Value(F3), new Value(F3), new Value(F3)];
    // The body adds the outer %y instead of its own invariant parameter.
    const body = graph([s, inv], [node('add', [s, y], [next])], [next], 'body');
    const loop = node('loop', [x, y], [r], { attrs: { trips: 2, carried: 1 } as never, regions: [body] });
    expectVerifyError(graph([x, y], [loop], [r]), /region body node 0 \(add\): operand 1 \(%\d+\) is not defined before use in this region/);
  });

  it('catches a body that yields an outer value', () => {
    const [x, y, r] = [new Value(F3), new Value(F3), new Value(F3)];
    const [s, inv] = [new Value(F3), new Value(F3)];
    const loop = node('loop', [x, y], [r], { attrs: { trips: 1, carried: 1 } as never, regions: [graph([s, inv], [], [x], 'body')] });
    expectVerifyError(graph([x, y], [loop], [r]), /output 0 \(%\d+\) is not defined in this region/);
  });

  it('catches a wrong region count', () => {
    const [x, y, r] = [new Value(F3), new Value(F3), new Value(F3)];
    const bare = node('loop', [x, y], [r], { attrs: { trips: 2, carried: 1 } as never });
    expectVerifyError(graph([x, y], [bare], [r]), /loop\): has 0 region\(s\), needs 1/);
    const twice = node('loop', [x, y], [r], { attrs: { trips: 2, carried: 1 } as never, regions: [addBody(), addBody()] });
    expectVerifyError(graph([x, y], [twice], [r]), /has 2 region\(s\), needs 1/);
    const a = new Value(F3);
    expectVerifyError(graph([x], [node('neg', [x], [a], { regions: [addBody()] })], [a]), /neg\): has 1 region\(s\), needs 0/);
  });

  it('catches a wrong operand count, a missing attribute and an unknown op', () => {
    const [x, a] = [new Value(F3), new Value(F3)];
    expectVerifyError(graph([x], [node('add', [x], [a])], [a]), /add\): takes 2 operand\(s\), has 1/);
    const s = new Value({ dtype: 'f32', shape: [] });
    expectVerifyError(graph([x], [node('reduce_sum', [x], [s], { attrs: { axes: [0] } as never })], [s]), /missing attribute keepdims/);
    expectVerifyError(graph([x], [node('frobnicate' as Node['op'], [x], [a])], [a]), /unknown op/);
  });
});

describe('verifyGraph: symbolic dims', () => {
  it('accepts symbols that an input binds, in nodes and in loop bodies', () => {
    const x = new Value({ dtype: 'f32', shape: ['N', 3] });
    const c = new Value({ dtype: 'f32', shape: ['N', 3] });
    const splat = node('constant', [], [c], { attrs: { shape: ['N', 3], dtype: 'f32', value: [1] } as never });
    expect(() => verifyGraph(graph([x], [splat], [c]))).not.toThrow();
  });

  it('catches a symbol no input binds (the interpreter could not size it)', () => {
    const x = new Value({ dtype: 'f32', shape: ['N'] });
    const c = new Value({ dtype: 'f32', shape: ['K', 3] });
    const splat = node('constant', [], [c], { attrs: { shape: ['K', 3], dtype: 'f32', value: [1] } as never });
    expectVerifyError(graph([x], [splat], [c]), /node 0 \(constant\): result 0 has type f32\[K,3\], but no input of @main binds dimension K/);
  });

  it('catches a loop body whose parameters name a symbol the graph does not bind', () => {
    const [x, r] = [new Value(F3), new Value(F3)];
    const s = new Value({ dtype: 'f32', shape: ['M'] });
    const body = graph([s], [], [s], 'body');
    const loop = node('loop', [x], [r], { attrs: { trips: 1, carried: 1 } as never, regions: [body] });
    expectVerifyError(graph([x], [loop], [r]), /region body: input 0 has type f32\[M\], but no input of @main binds dimension M/);
  });
});
