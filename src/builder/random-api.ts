import { eagerAll } from './eager.ts';
import * as random from './random.ts';

/** ax.random: the draws of random.ts, eager outside a trace (see eager.ts); `key` makes a host array as before. */
export const { split, bits, uniform, normal, bernoulli } = eagerAll(random, 'random.');
export { key, type UniformOptions } from './random.ts';
