import { describe, expect, test } from 'vitest';
import * as ax from '../../src/index.ts';
import { isHostTensor } from '../../src/builder/concrete.ts';
import { flatten, unflatten } from '../../src/builder/tree.ts';
import { OP_NAMES, walkNodes, type HostTensor } from '../../src/ir/index.ts';
import { traceFunction } from '../../src/builder/trace.ts';
import { simplifyGraph } from '../../passes/simplify/index.ts';
import { decodeModel, exportOnnx, graphToOnnx, encodeModel, OnnxExportError } from '../../src/onnx/index.ts';
import { EXAMPLES } from '../../examples/ir-examples.ts';
import { maxRelError } from '../helpers/compare.ts';
import { gpuBackend } from '../helpers/gpu.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';
import { EXPORT_CASES, values, type ExportCase } from './cases.ts';
import { ortSession, runOrt } from './run-ort.ts';

/** The bar: ONNX Runtime's outputs within 1e-5 relative of axonic's (compare.ts: relative to max(|x|, 1e-2 rms)). */
const TOLERANCE = 1e-5;

function expectAgree(what: string, onnx: { dims: readonly number[]; data: ArrayLike<number> }, axonic: { shape: readonly number[]; dtype: string; data: ArrayLike<number> }): void {
  expect([...onnx.dims], `${what}: shape`).toEqual([...axonic.shape]);
  if (axonic.dtype === 'f32') expect(maxRelError(onnx.data, axonic.data), what).toBeLessThanOrEqual(TOLERANCE);
  else expect(Array.from(onnx.data), what).toEqual(Array.from(axonic.data));
}

/** The case's args with each parameter replaced by its spec: one jit program for every run. */
function specsOf(c: ExportCase): ax.ArgTree[] {
  const { leaves, def } = flatten<ax.ArgLeaf>(c.args as ax.ArgTree);
  const specs = leaves.map((leaf) => (isHostTensor(leaf) ? ax.spec(leaf.dtype, leaf.shape) : leaf));
  return unflatten(def, specs) as ax.ArgTree[];
}

/** The case's args with each spec replaced by the run's value. */
function callArgs(c: ExportCase, run: readonly HostTensor[]): unknown[] {
  const { leaves, def } = flatten<ax.ArgLeaf>(c.args as ax.ArgTree);
  let next = 0;
  return unflatten(def, leaves.map((leaf) => (leaf instanceof ax.Spec ? run[next++] : leaf))) as unknown[];
}

describe('ONNX export runs in ONNX Runtime and agrees with axonic on WebGPU', () => {
  for (const c of EXPORT_CASES)
    test(c.name, async () => {
      await gpuBackend();
      const session = await ortSession(await exportOnnx(c.fn, c.args));
      const jitted = ax.jit(c.fn, { specs: specsOf(c) });
      for (const run of c.runs) {
        const expected = ax.treeLeaves((await jitted(...(callArgs(c, run) as never[]))) as ax.Tree<ax.DeviceArray>);
        const actual = await runOrt(session, run);
        expect(actual.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          const e = expected[i];
          expectAgree(`${session.outputNames[i]} at ${run[0].shape}`, actual[i], { shape: e.shape, dtype: e.dtype, data: await e.data() });
        }
      }
    });

  test("the built-in examples (axonic ir --list) export, load and agree at two batch sizes", async () => {
    for (const [name, ex] of Object.entries(EXAMPLES)) {
      const graph = ex.trace();
      const session = await ortSession(encodeModel(graphToOnnx(graph)));
      for (const n of [1, 3]) {
        const inputs = graph.inputs.map((v, i) => {
          const shape = v.type.shape.map((d) => (d === 'N' ? n : (d as number)));
          // Weights at the scale initializers give them (1/sqrt(fan-in)), so activations stay O(1).
          const scale = shape.length === 2 && v.type.shape[0] !== 'N' ? 1 / Math.sqrt(shape[0]) : 1;
          return values(v.type.dtype, shape, 100 + i, -scale, scale);
        });
        const expected = await runOnGpu(graph, inputs);
        const actual = await runOrt(session, inputs);
        expected.forEach((e, i) => expectAgree(`${name} output ${i} at N=${n}`, actual[i], e));
      }
    }
  });
});

describe('the exported model', () => {
  test('the cases exercise every primitive that exports (all but random_bits)', () => {
    const seen = new Set<string>();
    for (const c of EXPORT_CASES)
      for (const n of walkNodes(simplifyGraph(traceFunction(c.fn, c.args).graph, { afterAutodiff: true }))) seen.add(n.op);
    for (const ex of Object.values(EXAMPLES)) for (const n of walkNodes(ex.trace())) seen.add(n.op);
    expect(OP_NAMES.filter((op) => !seen.has(op)).sort()).toEqual(['random_bits', 'scan', 'while_loop']);
  });

  test('has symbolic dims as dim params, parameters as initializers named by path, loop as Loop, custom_vjp as its forward, cond as If', async () => {
    const [train, zephyr, relax, control] = EXPORT_CASES;
    const model = decodeModel(await exportOnnx(train.fn, train.args));
    expect(model.opset_import.map((o) => [o.domain ?? '', o.version])).toEqual([['', 18]]);
    expect(model.graph.initializer.map((t) => t.name)).toEqual(['params.w1', 'params.b1', 'params.w2', 'params.b2']);
    expect(model.graph.input.map((i) => i.name)).toEqual(['x', 'labels']);
    expect(model.graph.input[0].type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_value: 4 }]);
    expect(model.graph.output.map((o) => o.name)).toEqual(['out.loss', 'out.params.w1', 'out.params.b1', 'out.params.w2', 'out.params.b2']);
    // Intermediate values keep the inferred types, symbolic dims included.
    expect(model.graph.value_info.some((v) => v.type.tensor_type.shape.dim.some((d) => d.dim_param === 'N'))).toBe(true);

    const zephyrModel = decodeModel(await exportOnnx(zephyr.fn, zephyr.args));
    expect(zephyrModel.graph.initializer.map((t) => t.name)).toEqual(['p["0"].weights', 'p["0"].bias', 'p["1"].weights', 'p["1"].bias']);

    const loops = decodeModel(await exportOnnx(relax.fn, relax.args)).graph.node.filter((n) => n.op_type === 'Loop');
    expect(loops).toHaveLength(1);
    const body = loops[0].attribute.find((a) => a.name === 'body')!.g!;
    expect(body.input).toHaveLength(3); // iteration, condition, the carried state; w and x come from the enclosing graph

    const ops = decodeModel(await exportOnnx(control.fn, control.args)).graph.node.map((n) => n.op_type);
    expect(ops).toContain('If');
    expect(ops).toContain('Sign');
  });

  test('an op without an ONNX counterpart is an OnnxExportError naming it', async () => {
    const noisy = (key: ax.Tensor, x: ax.Tensor) => x.add(ax.random.normal(key, [3]));
    const attempt = exportOnnx(noisy, [ax.spec('u32', [2]), ax.spec('f32', [3])]);
    await expect(attempt).rejects.toThrow(OnnxExportError);
    await expect(attempt).rejects.toMatchObject({ op: 'random_bits', message: expect.stringMatching(/^ONNX export: random_bits: .*pass them as inputs/) });
  });
});
