import { DeviceArray } from '../../runtime/device-array.ts';
import { runEager } from './eager.ts';
import { Tensor } from './tensor.ts';
import { currentTrace } from './trace-context.ts';

/**
 * A DeviceArray has the methods of a traced Tensor (`x.add(1).exp()`), so that the same code runs
 * eagerly on concrete arrays and traces under jit. Outside a trace a method runs eagerly (see
 * eager.ts); inside one it is the Tensor method with the array as a captured constant, exactly
 * as `ax.add(array, y)` is there. Installed on DeviceArray's prototype here because the runtime
 * (which defines DeviceArray) may not import the builder.
 */

/**
 * The Tensor methods a DeviceArray gains (its own dtype, shape, size, ndim and toString stay). Not
 * iteration: an iterable DeviceArray would be walked element by element, one eager op each, by
 * every deep-equality check and collection helper that meets it (use `x.at(i)` or ax.index).
 */
type TensorMethods = Omit<
  Tensor,
  'ctx' | 'value' | 'dtype' | 'shape' | 'size' | 'ndim' | 'toString' | typeof Symbol.toPrimitive | typeof Symbol.iterator
>;

declare module '../../runtime/device-array.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DeviceArray extends TensorMethods {}
}

const OWN = new Set(['constructor', 'dtype', 'shape', 'size', 'ndim', 'toString']);

function callMethod(name: string, method: (...args: unknown[]) => unknown, self: DeviceArray, args: unknown[]): unknown {
  if (currentTrace()) return method.apply(self, args);
  return runEager(name, (t: Tensor, ...rest: unknown[]) => method.apply(t, rest), [self, ...args]);
}

for (const name of Object.getOwnPropertyNames(Tensor.prototype)) {
  if (OWN.has(name)) continue;
  const d = Object.getOwnPropertyDescriptor(Tensor.prototype, name)!;
  const method = d.value as ((...args: unknown[]) => unknown) | undefined;
  const getter = d.get as (() => unknown) | undefined;
  if (method)
    Object.defineProperty(DeviceArray.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: DeviceArray, ...args: unknown[]) {
        return callMethod(name, method, this, args);
      },
    });
  else if (getter)
    Object.defineProperty(DeviceArray.prototype, name, {
      configurable: true,
      get(this: DeviceArray) {
        return callMethod(name, getter, this, []);
      },
    });
}
