/** zephyr's nets (SEMANTICS 2.4): hole-aware functions of `(params, x, hyperparameters…, options)`. */
export { linear, branchLinear, type LinearOptions, type BranchLinearOptions, type Activation } from './linear.ts';
export { mlp, type MlpOptions } from './mlp.ts';
export { layerNorm, type LayerNormOptions } from './layer-norm.ts';
