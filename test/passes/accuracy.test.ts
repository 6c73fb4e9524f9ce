import { describe, expect, it } from 'vitest';
import { evaluate } from '../../runtime/reference.ts';
import { GraphBuilder, hostTensor, type HostTensor, type UnaryOp } from '../../src/ir/index.ts';
import { accuracySweep, worstUlp } from '../helpers/accuracy.ts';
import { runOnGpu } from '../helpers/run-gpu.ts';

/**
 * Every transcendental unary primitive on WebGPU over a dense sweep of f32 arguments (every
 * binade of both signs, near 0, near ±1, and at the functions' switch, overflow and underflow
 * points; see accuracySweep), against the float64 reference, in ULP of the correctly rounded
 * result. NaN, infinities and signed zeros must match exactly. The bounds are what each spelling
 * is built to (a few ULP), a little above the worst error measured on lavapipe (in comments);
 * where the spelling leans on a WGSL builtin (sqrt, rsqrt, sin/cos on the reduced argument, exp
 * inside sinh/cosh) they are what lavapipe gives. All functions run in one program, so that
 * lavapipe compiles few kernels.
 */
const MAX_ULP: { readonly [K in UnaryOp]?: number } = {
  // helpers-exp.ts: fdlibm/Cephes algorithms in plain arithmetic.
  exp: 2 /* 1.3 */, log: 2 /* 0.8 */, log1p: 2 /* 0.8 */, expm1: 2 /* 1.3 */, tanh: 2 /* 1.3 */, erf: 2 /* 1.2 */,
  logistic: 3 /* 2.4: exp's error, then 1 + e and the division round */,
  sqrt: 1 /* 0.5 */, rsqrt: 2 /* 1.4 */,
  // helpers.ts and helpers-trig.ts.
  sin: 3 /* 2.2 */, cos: 3 /* 2.0 */, tan: 4 /* 2.9 */, asin: 3 /* 2.2 */, acos: 2 /* 1.1 */, atan: 3 /* 2.3 */,
  sinh: 4 /* 3.1 */, cosh: 4 /* 3.0 */, asinh: 3 /* 2.2 */, acosh: 3 /* 1.8 */, atanh: 2 /* 1.0 */,
};
const OPS = Object.keys(MAX_ULP) as UnaryOp[];

const xs = accuracySweep();

let results: Promise<{ gpu: HostTensor[]; ref: HostTensor[] }> | undefined;
/** One program computing every op on the sweep, run once and shared by the tests. */
function run() {
  results ??= (async () => {
    const b = new GraphBuilder();
    const x = b.input({ dtype: 'f32', shape: [xs.length] });
    const graph = b.build(OPS.map((op) => b.add1(op, [x], {})));
    const inputs = [hostTensor('f32', [xs.length], xs)];
    return { gpu: await runOnGpu(graph, inputs), ref: evaluate(graph, inputs) };
  })();
  return results;
}

describe(`transcendental primitives on WebGPU over a ${xs.length}-point f32 sweep are within a few ULP of float64`, () => {
  it.each(OPS.map((op, k) => [op, k] as const))('%s', async (op, k) => {
    const { gpu, ref } = await run();
    const worst = worstUlp(xs, gpu[k].data, ref[k].data);
    if (process.env.AXONIC_PRINT_ULP) console.log(`${op}: ${worst.ulp.toPrecision(3)} ULP; ${worst.cases[0]}`);
    expect(worst.ulp, `${op} is off by more than ${MAX_ULP[op]} ULP:\n${worst.cases.join('\n')}`).toBeLessThanOrEqual(MAX_ULP[op]!);
  });
});
