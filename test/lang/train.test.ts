import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { lowerModelFile, type LoweredModel } from '../../src/lang/compile.ts';

/** Train blocks lowered to a step graph, run here on the float64 reference interpreter. */
const MODELS = resolve(import.meta.dirname, '../../examples/models');
const pn = ax.pyneurons;

/** Runs `steps` training steps of a lowered model from `params`; returns the loss before each step and the final parameters. */
function train(m: LoweredModel, params: ax.HostTensor[], steps: number) {
  const t = m.train!;
  const data = t.data.map((d) => d.value!);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [loss, ...next] = ax.evaluate(t.step.graph, [...params, ...data]);
    losses.push(loss.data[0]);
    params = next;
  }
  return { losses, params };
}

const host = (shape: number[], values: number[]) => ax.hostTensor('f32', shape, values);

describe('train blocks', () => {
  test('XOR from the explicit start of SEMANTICS 1.10 e: the weights after 1 and 100 steps, zero loss', () => {
    const m = lowerModelFile(`${MODELS}/xor.axon`);
    expect(m.train).toMatchObject({ steps: 100, optimizer: { kind: 'gd', lr: 0.1 }, rule: 'bp' });
    const start = [host([2, 1], [1.56, 1.45]), host([1, 1], [-1.69]), host([3, 1], [1.44, 1.52, 1.54]), host([1, 1], [-1.38])];
    const one = train(m, start, 1).params.map((p) => Array.from(p.data));
    [[1.5215, 1.4115], [-1.7285], [1.415, 1.495, 1.515], [-1.405]].forEach((w, i) => w.forEach((v, j) => expect(one[i][j]).toBeCloseTo(v, 12)));
    const { losses, params } = train(m, start, 100);
    [[1.236875, 1.017625], [-1.501375], [0.69, 0.695, -0.735], [-0.68]].forEach((w, i) =>
      w.forEach((v, j) => expect(params[i].data[j]).toBeCloseTo(v, 9)),
    );
    expect(losses.indexOf(0)).toBe(93);
    const out = ax.evaluate(m.forward.graph, [...params, m.train!.data[0].value!])[0];
    expect(Array.from(out.data)).toEqual([0, 1, 1, 0]);
  });

  test("XOR's training step is the builder's valueAndGrad and pyneurons' gd", () => {
    const m = lowerModelFile(`${MODELS}/xor.axon`);
    type Neuron = (x: ax.Operand) => ax.Tensor;
    const XOR = pn.bind('XOR', () => [] as Neuron[], ([a, b]: Neuron[], x: ax.Operand) => b(pn.concat([x, a(x)]) as ax.Tensor));
    const f32 = (...s: number[]) => ax.spec('f32', s);
    const step = (p: any, x: ax.Tensor, y: ax.Tensor) => {
      const loss = (q: any, xs: ax.Tensor, ys: ax.Tensor) => pn.mae(ys, XOR.of([pn.Binary.of([q.a.w, q.a.b]), pn.Binary.of([q.b.w, q.b.b])] as never)(xs) as ax.Tensor);
      const [value, grads] = ax.valueAndGrad(loss)(p, x, y);
      return [value, ax.treeMap((w: ax.Tensor, g: ax.Tensor) => pn.gd(0.1, w, g), p, grads)];
    };
    const g = ax.trace(step, { a: { w: f32(2, 1), b: f32(1, 1) }, b: { w: f32(3, 1), b: f32(1, 1) } }, ax.spec('i32', [4, 2]), ax.spec('i32', [4, 1]));
    expect(ax.printGraph(m.train!.step.graph, { locations: false })).toBe(ax.printGraph(g, { locations: false }));
  });

  test('a fresh one-input Neuron has b = −w (D-PN-1) and climbs to 1.7 by lr per step (SEMANTICS 1.10 c)', () => {
    const m = lowerModelFile(`${MODELS}/neuron.axon`);
    const start = m.initialParams(7);
    expect(start[1].data[0]).toBe(-start[0].data[0]);
    const { params } = train(m, start, 10);
    const outs: number[] = [];
    let p = start;
    for (let i = 0; i < 10; i++) {
      p = train(m, p, 1).params;
      outs.push(ax.evaluate(m.forward.graph, [...p, host([1, 1], [1])])[0].data[0]);
    }
    [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 1.6].forEach((v, i) => expect(outs[i]).toBeCloseTo(v, 6));
    expect(params.length).toBe(2);
  });

  test("the tutorial's noise-free regression: the numbers of SEMANTICS 5.3 b", () => {
    const m = lowerModelFile(`${MODELS}/regression.axon`);
    const start = m.initialParams();
    expect(start.map((t) => t.data[0])).toEqual([0, 0]);
    const { losses, params } = train(m, start, 101);
    expect(losses[0]).toBeCloseTo(160.444, 3);
    expect(losses[5]).toBeCloseTo(6.49411, 4);
    expect(losses[10]).toBeCloseTo(0.342392, 5);
    expect(Math.abs(losses[50] - 3.25948e-9)).toBeLessThan(1e-11);
    // The data are float32 (as on a GPU): the fit is (10, 4) to float32's rounding of x and y.
    expect(params[0].data[0]).toBeCloseTo(10, 7);
    expect(params[1].data[0]).toBeCloseTo(4, 7);
    const theta5 = train(m, start, 5).params.map((t) => t.data[0]);
    expect(theta5[0]).toBeCloseTo(8.18161, 5);
    expect(theta5[1]).toBeCloseTo(2.68928, 5);
  });

  test('the linear unit-circle model keeps equal rows and leaves the unused b alone (SEMANTICS 5.3 c)', () => {
    const m = lowerModelFile(`${MODELS}/unit-circle.axon`, { model: 'Linear' });
    expect(m.params.map((p) => p.name)).toEqual(['w', 'b']);
    const start = m.initialParams();
    expect(Array.from(start[0].data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const { losses, params } = train(m, start, 51);
    const [w, b] = params.map((t) => Array.from(t.data));
    expect(w.slice(0, 2)).toEqual(w.slice(2));
    expect(b).toEqual([0.5, 0.5]);
    expect(losses[50]).toBeLessThan(losses[0]);
  });

  test('batches: epochs × ceil(rows / batch) steps, data with a symbolic first dim', () => {
    const m = lowerModelFile(`${MODELS}/zephyr-mlp.axon`);
    expect(m.train).toMatchObject({ steps: 20, batch: 8, epochs: 5 });
    expect(m.train!.step.inputs.slice(-2).map((p) => ax.formatType(p.type))).toEqual(['f32[N,8]', 'f32[N,4,1]']);
  });
});
