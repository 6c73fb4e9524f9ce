/**
 * pyneurons (seed 000, SEMANTICS §1): composable neurons. Models are parameter trees plus an apply
 * function (`bind`, `compose`); they are callable tree nodes, so ax.grad, ax.jit and ax.loop take
 * them and `fit` returns a model of the same class.
 */
export { bind, compose, type Model, type ModelClass } from './model.ts';
export { PHI, param, weight, bias, create, apply, type Param, type NeuronTree } from './neuron.ts';
export { binary, relu, relun, relu1, vector, abs, identity } from './activations.ts';
export * as vjp from './vjp.ts';
export type { Unary } from './vjp.ts';
export { implode, concat, stack, explode, split, unstack, type TensorsOf } from './trees.ts';
export { mae, mse, loss, gd, fit, type UnaryModel } from './train.ts';
export { Neuron, Binary, Vector } from './classes.ts';
