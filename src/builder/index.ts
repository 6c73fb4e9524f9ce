export { Tensor } from './tensor.ts';
export { TraceError } from './trace-context.ts';
export type { Operand } from './operand.ts';
export type { Concrete } from './concrete.ts';
export type { Axis } from './axes.ts';
export { resultDType, type OperandType, type WeakKind } from './promote.ts';
export {
  exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tanh, sigmoid, erf, floor, ceil, round,
  negative, abs, sign, square, reciprocal, stopGradient, astype, logicalNot, invert, isnan, isfinite, isinf,
} from './ops-unary.ts';
export {
  add, subtract, multiply, divide, floorDivide, power, mod, remainder, fmod, maximum, minimum,
  equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor,
  bitwiseAnd, bitwiseOr, bitwiseXor, leftShift, rightShift, where, clip,
} from './ops-binary.ts';
export {
  sum, max, min, any, all, mean, variance, variance as var, std, norm, logsumexp, argmax, argmin,
  type VarianceOptions,
} from './ops-reduce.ts';
export {
  reshape, ravel, transpose, swapaxes, broadcastTo, expandDims, squeeze, concatenate, stack, take, pad,
  slice, index, type PadWidth,
} from './ops-shape.ts';
export { full, zeros, ones, fullLike, zerosLike, onesLike, iota, arange, linspace, eye } from './ops-create.ts';
export { matmul, dot, outer } from './ops-linalg.ts';
export { einsum } from './einsum.ts';
export { loop, foriLoop, type LoopState } from './loop.ts';
export { cond, switchOf as switch, type Branch } from './cond.ts';
export { dynamicSlice, dynamicUpdateSlice, type StartIndices } from './dynamic-slice.ts';
export { tile, repeat, flip, roll } from './ops-rearrange.ts';
export { tril, triu, diag } from './ops-triangle.ts';
export type { IndexUpdate, RowIndex } from './scatter.ts';
export { grad, valueAndGrad, vjp, jvp, type GradOptions } from './autodiff.ts';
export { jacrev, jacfwd, hessian, type JacobianOptions } from './jacobian.ts';
export { customVjp, type BackwardRule } from './custom-vjp.ts';
export { vmap, type AxisSpec, type VmapResult } from './vmap.ts';
export { softmax, logSoftmax, relu } from './nn.ts';
export * as nn from './nn.ts';
export * as random from './random.ts';
export { Spec, spec } from './spec.ts';
export {
  flatten, unflatten, treeMap, treeLeaves, leafPaths, treeDefKey, sameStructure, numLeaves, isLeaf, TreeError,
  type Tree, type TreeDef, type Leaf,
} from './tree.ts';
export { trace, traceFunction, type TracedFunction, type ArgTree, type ArgLeaf } from './trace.ts';
export { array, devicePut, type ArrayData } from './array.ts';
export { jit, type JitFunction, type JitOptions, type JitArgument, type JitArgs, type JitResult } from './jit.ts';
