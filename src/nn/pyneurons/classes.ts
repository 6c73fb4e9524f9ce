import { binary, vector } from './activations.ts';
import { bind, compose } from './model.ts';
import { apply, create } from './neuron.ts';

/** `new Neuron(key, n)`: `x @ w + b`. */
export const Neuron = bind('Neuron', create, apply);

/** `new Binary(key, n)`: `H(x @ w + b)`, gradients straight through H. */
export const Binary = compose('Binary', Neuron, binary);

/** `new Vector(key, n)`: `vector(x @ w + b)`. */
export const Vector = compose('Vector', Neuron, vector);
