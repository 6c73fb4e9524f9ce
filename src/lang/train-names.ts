import { define, table } from './builtins/builtin.ts';
import type { BoundArgs } from './signature.ts';
import { TrainSetting, type LangValue } from './values.ts';

/** The settings a train block takes. */
export const TRAIN_SETTINGS = ['loss', 'optimizer', 'rule', 'steps', 'epochs', 'batch', 'seed'];

/** Optimizers and rules this build lowers; the others wait for the learning-rule work. */
export const AVAILABLE = new Set(['gd', 'sgd', 'bp']);

const options = (a: BoundArgs, keys: readonly string[]): Map<string, LangValue> =>
  new Map(keys.filter((k) => a.has(k)).map((k) => [k, a.value(k)!] as const));

const optimizer = (name: string, keys: string[], doc: string) =>
  define(name, keys, (a) => new TrainSetting('optimizer', name, options(a, keys.map((k) => k.replace(/\?$/, '')))), doc);
const rule = (name: string, keys: string[], doc: string) =>
  define(name, keys, (a) => new TrainSetting('rule', name, options(a, keys.map((k) => k.replace(/\?$/, '')))), doc);

/** Names of the optimizer and rule settings: `optimizer gd(lr = 0.1)`, `rule bp`, `rule ep(beta = 0.5)`. */
export const TRAIN_NAMES: ReadonlyMap<string, LangValue> = new Map<string, LangValue>([
  ...table(
    optimizer('gd', ['lr'], 'gradient descent: w ← w − lr·g'),
    optimizer('sgd', ['lr'], 'gradient descent: w ← w − lr·g'),
    optimizer('momentum', ['lr', 'beta?'], 'gradient descent with momentum'),
    optimizer('adam', ['lr', 'b1?', 'b2?', 'eps?'], 'Adam'),
    optimizer('adamw', ['lr', 'b1?', 'b2?', 'eps?', 'weight_decay?'], 'Adam with decoupled weight decay'),
    optimizer('rmsprop', ['lr', 'decay?', 'eps?'], 'RMSProp'),
    rule('ep', ['beta?', 'dt?', 'steps?', 'nudged_steps?', 'mode?'], 'equilibrium propagation'),
    rule('pc', ['eta?', 'n?', 'mode?'], 'predictive coding'),
    rule('bipc', ['eta?', 'n?', 'mode?'], 'bidirectional predictive coding'),
  ),
  ['bp', new TrainSetting('rule', 'bp', new Map())],
]);
