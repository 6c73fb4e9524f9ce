/// <reference types="@webgpu/types" preserve="true" />
/**
 * axonic's public API: `import * as ax from 'axonic'`. Write functions over traced Tensors with
 * the ax functions (NumPy/JAX names in camelCase), then `ax.jit` them or `ax.trace` them to IR.
 */
export * from './builder/index.ts';
export * as surrogate from './nn/surrogates/index.ts';
export * as spiking from './nn/spiking/index.ts';
export {
  AxonicError, ShapeError, ParseError, VerifyError, InputError, LimitError, DeviceError,
  printGraph, parseGraph, verifyGraph, hostTensor, formatType, formatShape,
  type Graph, type Node, type Value, type DType, type Dim, type Shape, type TensorType, type HostTensor, type HostData,
  type SourceLoc, type OpName,
} from './ir/index.ts';
export { DeviceArray, readAll } from '../runtime/device-array.ts';
export { getBackend, describeBackend, type Backend } from '../runtime/device.ts';
export { evaluate } from '../runtime/reference.ts';
export { simplifyGraph as simplify, type SimplifyOptions } from '../passes/simplify/index.ts';
export { treeNode, isTreeNode, type TreeNode, type TreeNodeParts } from './builder/tree.ts';
export * as pyneurons from './nn/pyneurons/index.ts';
export * as zephyr from './nn/zephyr/index.ts';
