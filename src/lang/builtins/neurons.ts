import * as ax from '../../builder/index.ts';
import * as pn from '../../nn/pyneurons/index.ts';
import { heaviside } from '../../nn/pyneurons/activations.ts';
import * as surrogates from '../../nn/surrogates/index.ts';
import { AxonicError } from '../../ir/index.ts';
import { fail } from '../diagnostics.ts';
import type { BoundArgs } from '../signature.ts';
import { Namespace, type LangValue } from '../values.ts';
import { Builtin, define, table } from './builtin.ts';

/** pyneurons' activations and losses (straight-through VJPs), and the surrogate-gradient family. */

const unary = (name: string, f: (x: ax.Operand) => ax.Tensor, doc: string): Builtin => define(name, ['x'], (a) => f(a.operand('x')), doc);

const PYNEURONS = table(
  unary('binary', pn.binary, 'H(x) (H(0) = 1), straight-through VJP'),
  unary('relu', pn.relu, 'max(x, 0), straight-through VJP'),
  unary('relu1', pn.relu1, 'clip(x, 0, 1), straight-through VJP'),
  define('relun', ['n'], (a) => unary(`relun(${a.number('n')})`, pn.relun(a.number('n')), 'min(max(x, 0), n), straight-through VJP'), 'the activation min(max(x, 0), n), straight-through'),
  unary('vector', pn.vector, 'binary(x) + relu1(x), straight-through VJP'),
  unary('abs', pn.abs, '|x| with the VJP ȳ·sign(x)'),
  unary('identity', pn.identity as (x: ax.Operand) => ax.Tensor, 'x'),
  define('mae', ['y', 'yhat'], (a) => pn.mae(a.operand('y'), a.operand('yhat')), 'mean |y − ŷ|, with the sign VJP'),
  define('mse', ['y', 'yhat'], (a) => pn.mse(a.operand('y'), a.operand('yhat')), 'mean (y − ŷ)²'),
);

/** `surrogate.sigmoid(alpha = 4)`: a spike function H(x) whose gradient is the surrogate's g(x). */
function surrogateFactory(name: string, make: (options: any) => (x: ax.Operand) => ax.Tensor, keys: readonly string[]): Builtin {
  return define(name, keys.map((k) => `${k}?`), (a: BoundArgs) => {
    const options: Record<string, unknown> = {};
    for (const k of keys) if (a.has(k)) options[k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())] = a.value(k);
    let spike: (x: ax.Operand) => ax.Tensor;
    try {
      spike = make(options);
    } catch (e) {
      if (e instanceof AxonicError) fail('value', e.message, a.site.file, a.site.call);
      throw e;
    }
    return unary(`surrogate.${name}`, spike, `a spike with the ${name} surrogate gradient`);
  }, `a spike function with the ${name} surrogate gradient`);
}

const SURROGATE = table(
  surrogateFactory('rectangular', (o) => surrogates.rectangular(o), ['alpha', 'spiking']),
  surrogateFactory('polynomial', (o) => surrogates.polynomial(o), ['alpha', 'spiking']),
  surrogateFactory('sigmoid', (o) => surrogates.sigmoid(o), ['alpha', 'spiking']),
  surrogateFactory('gaussian', (o) => surrogates.gaussian(o), ['alpha', 'spiking']),
  surrogateFactory('super_spike', (o) => surrogates.superSpike(o), ['alpha']),
  surrogateFactory('multi_gaussian', (o) => surrogates.multiGaussian(o), ['lens', 'scale', 'height', 'gamma']),
  surrogateFactory('single_exponential', (o) => surrogates.singleExponential(o), ['grad_width', 'grad_scale']),
  surrogateFactory('slayer_pdf', (o) => surrogates.slayerPdf(o), ['tau', 'scale', 'spiking']),
);

export const NEURONS = table(
  unary('heaviside', (x) => heaviside(x as ax.Tensor), 'H(x) = 1 for x ≥ 0, else 0 (NaN stays NaN); ordinary VJP'),
  PYNEURONS.get('binary')!, PYNEURONS.get('vector')!, PYNEURONS.get('relu1')!, PYNEURONS.get('relun')!,
  PYNEURONS.get('mae')!, PYNEURONS.get('mse')!,
);

export const NAMESPACES: ReadonlyMap<string, LangValue> = new Map<string, LangValue>([
  ['pyneurons', new Namespace('pyneurons', PYNEURONS)],
  ['surrogate', new Namespace('surrogate', SURROGATE)],
]);
