/**
 * Energy models (hamux, SEMANTICS §3): the grammar parses them and the checker knows these names;
 * lowering them waits for the energy work's layers, Lagrangians and synapses.
 */

/** The Lagrangians of hamux's neuron layers (SEMANTICS 3.2). */
export const LAGRANGIANS = ['identity', 'repu', 'relu', 'exp', 'rexp', 'tanh', 'sigmoid', 'softmax', 'layernorm', 'spherical_norm'] as const;

/** Synapses (SEMANTICS 3.3): interaction energies of the activations of the layers they connect. */
export const SYNAPSES = ['dense', 'linear', 'linear_bias', 'bias', 'conv', 'attention', 'hidden_dense'] as const;

/** Names an energy block sees besides the module's. */
export const ENERGY_NAMES: readonly string[] = [...LAGRANGIANS, ...SYNAPSES];
