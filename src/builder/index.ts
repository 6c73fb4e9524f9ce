// Every ax function runs eagerly outside a trace (eager.ts) and is the traced op inside one;
// DeviceArrays gain the Tensor methods (eager-methods.ts).
import './eager-methods.ts';
import { eager, eagerAll, eagerTransform } from './eager.ts';
import * as unary from './ops-unary.ts';
import * as binary from './ops-binary.ts';
import * as reduce from './ops-reduce.ts';
import * as shape from './ops-shape.ts';
import * as create from './ops-create.ts';
import * as products from './ops-linalg.ts';
import * as linalgNs from './linalg/index.ts';
import * as loops from './loop.ts';
import * as scans from './scan.ts';
import * as whiles from './while-loop.ts';
import * as conds from './cond.ts';
import * as dynamic from './dynamic-slice.ts';
import * as rearrange from './ops-rearrange.ts';
import * as triangle from './ops-triangle.ts';
import * as autodiff from './autodiff.ts';
import * as jacobian from './jacobian.ts';
import { customVjp as customVjpTransform } from './custom-vjp.ts';
import { vmap as vmapTransform } from './vmap.ts';
import { einsum as einsumOp } from './einsum.ts';

export { Tensor } from './tensor.ts';
export { TraceError } from './trace-context.ts';
export type { Operand } from './operand.ts';
export type { Concrete } from './concrete.ts';
export type { Axis } from './axes.ts';
export { resultDType, type OperandType, type WeakKind } from './promote.ts';
export const {
  exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, erf, floor, ceil, round,
  tan, arcsin, arccos, arctan, sinh, cosh, arcsinh, arccosh, arctanh,
  negative, abs, sign, square, reciprocal, stopGradient, astype, logicalNot, invert, isnan, isfinite, isinf,
} = eagerAll(unary);
export const {
  add, subtract, multiply, divide, floorDivide, power, mod, remainder, fmod, maximum, minimum, arctan2,
  equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor,
  bitwiseAnd, bitwiseOr, bitwiseXor, leftShift, rightShift, where, clip,
} = eagerAll(binary);
export const { sum, max, min, any, all, mean, variance, std, norm, logsumexp, argmax, argmin } = eagerAll(reduce);
export { variance as var };
export type { VarianceOptions } from './ops-reduce.ts';
export const {
  reshape, ravel, transpose, swapaxes, broadcastTo, expandDims, squeeze, concatenate, stack, take, pad, slice, index,
} = eagerAll(shape);
export type { PadWidth } from './ops-shape.ts';
export const { full, zeros, ones, fullLike, zerosLike, onesLike, iota, arange, linspace, eye } = eagerAll(create);
export const { matmul, dot, outer } = eagerAll(products);
export const linalg = eagerAll(linalgNs, 'linalg.');
export const einsum = eager('einsum', einsumOp);
export const { loop, foriLoop } = eagerAll(loops);
export type { LoopState } from './loop.ts';
export const { scan } = eagerAll(scans);
export type { ScanOptions, ScanStep } from './scan.ts';
export const { whileLoop } = eagerAll({ whileLoop: whiles.whileLoop });
export type { WhileOptions } from './while-loop.ts';
export type { ToleranceOptions } from './tolerance-loop.ts';
export const cond = eager('cond', conds.cond);
const switchOf = eager('switch', conds.switchOf);
export { switchOf as switch };
export type { Branch } from './cond.ts';
export const { dynamicSlice, dynamicUpdateSlice } = eagerAll(dynamic);
export type { StartIndices } from './dynamic-slice.ts';
export const { tile, repeat, flip, roll } = eagerAll(rearrange);
export const { tril, triu, diag } = eagerAll(triangle);
export type { IndexUpdate, RowIndex } from './scatter.ts';
export const grad = eagerTransform('grad', autodiff.grad);
export const valueAndGrad = eagerTransform('valueAndGrad', autodiff.valueAndGrad);
export const jvp = eager('jvp', autodiff.jvp);
/** vjp's result holds a function over its trace, so it stays trace-only (call it inside jit or trace). */
export const vjp = autodiff.vjp;
export type { GradOptions } from './autodiff.ts';
export const jacrev = eagerTransform('jacrev', jacobian.jacrev);
export const jacfwd = eagerTransform('jacfwd', jacobian.jacfwd);
export const hessian = eagerTransform('hessian', jacobian.hessian);
export type { JacobianOptions } from './jacobian.ts';
export const customVjp = eagerTransform('customVjp', customVjpTransform);
export type { BackwardRule } from './custom-vjp.ts';
export const vmap = eagerTransform('vmap', vmapTransform);
export type { AxisSpec, VmapResult } from './vmap.ts';
export { softmax, logSoftmax, relu, gelu, leakyRelu, elu, selu, logSigmoid, hardTanh } from './nn-api.ts';
export * as nn from './nn-api.ts';
export * as random from './random-api.ts';
export { Spec, spec } from './spec.ts';
export {
  flatten, unflatten, treeMap, treeLeaves, leafPaths, treeDefKey, sameStructure, numLeaves, isLeaf, TreeError,
  type Tree, type TreeDef, type Leaf,
} from './tree.ts';
export { trace, traceFunction, type TracedFunction, type ArgTree, type ArgLeaf } from './trace.ts';
export { array, devicePut, type ArrayData } from './array.ts';
export { jit, type JitFunction, type JitOptions, type JitArgument, type JitArgs, type JitResult } from './jit.ts';
