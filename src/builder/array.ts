import { DeviceArray } from '../../runtime/device-array.ts';
import { getBackend, type CpuBackend } from '../../runtime/device.ts';
import { dtypeOfHostData, hostTensor, InputError, isDType, type DType, type HostTensor } from '../ir/index.ts';

/** Arrays that `ax.array` makes live on the host until a program needs them on the device. */
export const HOST: CpuBackend = { kind: 'cpu', reason: 'host array (uploaded when a compiled function uses it)' };

export type NestedNumbers = number | boolean | readonly NestedNumbers[];
export type ArrayData = ArrayLike<number> | NestedNumbers;

function inferShape(data: ArrayData): number[] {
  const shape: number[] = [];
  let x: unknown = data;
  while (Array.isArray(x)) {
    shape.push(x.length);
    x = x[0];
  }
  if (shape.length === 0 && typeof data === 'object') shape.push((data as ArrayLike<number>).length);
  return shape;
}

/**
 * Checks that nested lists are rectangular (as NumPy requires): the first list whose length
 * differs from the inferred shape, or a number where a list belongs, is named by its path.
 */
function checkRectangular(data: unknown, shape: readonly number[], path: string): void {
  const axis = path.split('[').length - 1;
  if (axis === shape.length) {
    if (Array.isArray(data))
      throw new InputError(path, 'a number, as at the same depth elsewhere', `a list of ${data.length}`, 'nested lists must be rectangular');
    return;
  }
  if (!Array.isArray(data))
    throw new InputError(path, `a list of ${shape[axis]} elements, as data[0]${'[0]'.repeat(axis - 1)} has`, `a ${typeof data}`, 'nested lists must be rectangular');
  if (data.length !== shape[axis])
    throw new InputError(
      path,
      `${shape[axis]} elements, as ${axis === 0 ? 'inferred' : `data${'[0]'.repeat(axis)} has`}`,
      `${data.length}`,
      `nested lists must be rectangular; the first elements give shape [${shape.join(',')}]`,
    );
  data.forEach((x, i) => checkRectangular(x, shape, `${path}[${i}]`));
}

function flat(data: ArrayData): ArrayLike<number> {
  if (typeof data === 'number' || typeof data === 'boolean') return [Number(data)];
  if (!Array.isArray(data)) return data as ArrayLike<number>;
  return (data as NestedNumbers[]).flat(Infinity as 1).map(Number);
}

function firstLeaf(data: ArrayData): unknown {
  let x: unknown = data;
  while (Array.isArray(x)) x = x[0];
  return x;
}

/**
 * A concrete array from a typed array, a (nested) JS array or a number. The dtype comes from the
 * typed array (Float32Array/Float64Array: f32, Int32Array: i32, Uint32Array: u32, Uint8Array:
 * bool), else f32 for numbers and bool for booleans, unless given. The shape is inferred from
 * nesting when omitted. The array lives on the host until a compiled function uploads it.
 */
export function array(data: ArrayData, shape?: readonly number[], dtype?: DType): DeviceArray {
  if (dtype !== undefined && !isDType(dtype)) throw new InputError('dtype', 'f32, i32, u32 or bool', String(dtype));
  if (shape === undefined && Array.isArray(data)) checkRectangular(data, inferShape(data), 'data');
  const s = shape ?? inferShape(data);
  const values = flat(data);
  const d =
    dtype ??
    (typeof firstLeaf(data) === 'boolean' ? 'bool' : Array.isArray(data) || typeof data === 'number' ? 'f32' : dtypeOfHostData(values));
  const n = s.reduce((a, b) => a * b, 1);
  if (values.length !== n) throw new InputError('data', `${n} elements for shape [${s.join(',')}]`, `${values.length} elements`);
  return DeviceArray.onHost(HOST, hostTensor(d, s, values));
}

/** Uploads a concrete array to the current backend (a GPU buffer on WebGPU), once. */
export async function devicePut(x: DeviceArray | HostTensor): Promise<DeviceArray> {
  const backend = await getBackend();
  if (x instanceof DeviceArray) {
    await DeviceArray.ready([x]); // an eager result: computed, and not failed
    if (x.backend === backend) return x;
    const host = x.residentHost() ?? (await x.toHostTensor());
    return DeviceArray.fromHostTensor(backend, host);
  }
  return DeviceArray.fromHostTensor(backend, x);
}
