import { DeviceArray } from '../../runtime/device-array.ts';
import { formatShape, isDType, type HostTensor } from '../ir/index.ts';
import { TraceError } from './trace-context.ts';

/** A concrete array: a DeviceArray (ax.array, jit results) or a HostTensor (ir/host-tensor.ts). */
export type Concrete = DeviceArray | HostTensor;

export function isHostTensor(x: unknown): x is HostTensor {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<HostTensor>;
  return typeof t.dtype === 'string' && isDType(t.dtype) && Array.isArray(t.shape) && t.data instanceof Float64Array;
}

export const isConcrete = (x: unknown): x is Concrete => x instanceof DeviceArray || isHostTensor(x);

/**
 * The values of a concrete array that a trace embeds as a constant. Tracing is synchronous, so
 * an array that lives in a GPU buffer cannot be read here.
 */
export function concreteHost(op: string, x: Concrete): HostTensor {
  if (!(x instanceof DeviceArray)) return x;
  const host = x.computed ? x.residentHost() : undefined; // an eager result still computing has no host values yet
  if (host) return host;
  throw new TraceError(
    `ax.${op}: ${x.dtype}${formatShape(x.shape)} array ${x.computed ? 'lives in a GPU buffer' : 'is still being computed'} and cannot be embedded in a traced ` +
      `function as a constant; pass it to the jit function as an argument instead`,
  );
}
