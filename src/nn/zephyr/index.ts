/**
 * zephyr (seed 001, SEMANTICS §2): nets are plain functions `f(params, x, …)`; parameters are
 * declared by use (`validate`) and created by `trace` from example inputs. `_` holes give typed
 * partial application (see holes.ts).
 */
export { trace, type Params, type ParamTree, type ExampleOf } from './trace.ts';
export { validate } from './validate.ts';
export { _, flexible, isHole, Hole, PartialError, type Flexible, type FlexibleOf } from './holes.ts';
export {
  initializerBase, truncatedNormal, ones, zeros, uniform, normal, normalScaledByRsqrt, type Initializer,
} from './initializers.ts';
export { chain, skip, thread, threadKey, threadIdentity, threadParams, type Threaded } from './compose.ts';
export { ZephyrError, ParameterShapeError, type Declaration } from './errors.ts';
export * as nets from './nets/index.ts';
