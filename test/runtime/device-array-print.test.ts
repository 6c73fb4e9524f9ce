import { inspect } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { DeviceError } from '../../src/ir/index.ts';
import { DeviceArray, readAll, type Backend, type GpuBackend } from '../../runtime/index.ts';
import { gpuBackend } from '../helpers/gpu.ts';

let gpu: GpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});

const cpu: Backend = { kind: 'cpu', reason: 'test' };

describe('printing a DeviceArray', () => {
  test('a host-resident array shows dtype, shape, where it lives and its values at once', () => {
    expect(String(DeviceArray.fromHost(cpu, 'f32', [2], [2, 3]))).toBe('DeviceArray f32[2] on cpu [2, 3]');
    expect(inspect(DeviceArray.fromHost(cpu, 'i32', [2, 2], [1, -2, 3, 4]))).toBe('DeviceArray i32[2,2] on cpu\n[[ 1, -2],\n [ 3,  4]]');
    expect(inspect(DeviceArray.fromHost(cpu, 'bool', [], [1]))).toBe('DeviceArray bool[] on cpu true');
  });

  test('a GPU array says how to read its values, and shows them once read (a copy: later edits do not change it)', async () => {
    const a = DeviceArray.fromHost(gpu, 'f32', [3], [0.5, 1.25, -4]);
    expect(inspect(a)).toBe('DeviceArray f32[3] on webgpu (values on the GPU; `await array.data()` reads them)');
    const data = await a.data();
    data[0] = 99;
    expect(inspect(a)).toBe('DeviceArray f32[3] on webgpu [ 0.5, 1.25,   -4]');
    const b = DeviceArray.fromHost(gpu, 'f32', [2], [7, 8]);
    await readAll([b]);
    expect(String(b)).toBe('DeviceArray f32[2] on webgpu [7, 8]');
    b.dispose();
    expect(String(b)).toBe('DeviceArray f32[2] on webgpu (disposed)');
  });

  test('a large array is summarised with edge items', async () => {
    const n = 50 * 40;
    const a = DeviceArray.fromHost(gpu, 'i32', [50, 40], Array.from({ length: n }, (_, i) => i));
    await a.data();
    expect(inspect(a).split('\n')).toEqual([
      'DeviceArray i32[50,40] on webgpu',
      '[[   0,    1,    2, ...,   37,   38,   39],',
      ' [  40,   41,   42, ...,   77,   78,   79],',
      ' [  80,   81,   82, ...,  117,  118,  119],',
      ' ...,',
      ' [1880, 1881, 1882, ..., 1917, 1918, 1919],',
      ' [1920, 1921, 1922, ..., 1957, 1958, 1959],',
      ' [1960, 1961, 1962, ..., 1997, 1998, 1999]]',
    ]);
  });

  test('a later array prints as being computed, then like the array it became, or with its failure', async () => {
    let resolve!: (a: DeviceArray) => void;
    const later = DeviceArray.later('f32', [2], new Promise((r) => (resolve = r)));
    expect(later.computed).toBe(false);
    expect(inspect(later)).toBe('DeviceArray f32[2] (being computed; `await array.data()` reads its values)');
    expect(() => later.backend).toThrow(/still being computed: await DeviceArray.ready/);
    resolve(DeviceArray.fromHost(cpu, 'f32', [2], [2, 3]));
    await DeviceArray.ready([later]);
    expect(inspect(later)).toBe('DeviceArray f32[2] on cpu [2, 3]');

    const failed = DeviceArray.later('f32', [2], Promise.reject(new DeviceError('the device was lost\nmore detail')));
    await expect(failed.data()).rejects.toThrow(DeviceError);
    expect(inspect(failed)).toBe('DeviceArray f32[2] (failed: the device was lost)');
  });

  test('a later array fails its reads when the call that computed it fails WebGPU validation', async () => {
    const source = DeviceArray.fromHost(gpu, 'f32', [2], [1, 2]);
    source.awaitBefore(Promise.reject(new DeviceError('WebGPU rejected a call')));
    const later = DeviceArray.later('f32', [2], Promise.resolve(source));
    await DeviceArray.whenComputed([later]); // its values exist ...
    await expect(later.data()).rejects.toThrow(/WebGPU rejected a call/); // ... but are never read as if valid
    expect(source.disposed).toBe(true); // its storage moved into the later array
  });
});
