import { eagerAll } from './eager.ts';
import * as nn from './nn.ts';

/** ax.nn: the functions of nn.ts, eager outside a trace (see eager.ts). */
export const {
  relu, softplus, silu, softmax, logSoftmax, oneHot, logsumexp, sigmoid, gelu, leakyRelu, elu, selu, logSigmoid, hardTanh,
} = eagerAll(nn, 'nn.');
