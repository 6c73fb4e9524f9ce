import { describe, expect, test } from 'vitest';
import { hostTensor } from '../../src/ir/index.ts';
import { decodeNpy, encodeNpy } from '../../runtime/npy.ts';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../runtime/safetensors.ts';

const tensors = [
  { name: 'w', tensor: hostTensor('f32', [2, 3], [1, -2.5, 3e-8, Infinity, -0, 0.1]) },
  { name: 'steps', tensor: hostTensor('i32', [], [-7]) },
  { name: 'mask', tensor: hostTensor('bool', [3], [1, 0, 1]) },
  { name: 'bits', tensor: hostTensor('u32', [2], [4294967295, 3]) },
];

/** A safetensors file built by hand: header length, header JSON, data. */
function file(header: unknown, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  test('round trip: names, order, dtypes, shapes, float32 values and metadata', () => {
    const bytes = encodeSafetensors(tensors, { model: 'Xor' });
    const header = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + header) % 8).toBe(0);
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ model: 'Xor' });
    expect(back.map((t) => [t.name, t.tensor.dtype, t.tensor.shape])).toEqual(tensors.map((t) => [t.name, t.tensor.dtype, t.tensor.shape]));
    expect(Array.from(back[0].tensor.data)).toEqual(Array.from(tensors[0].tensor.data, Math.fround));
    expect(Object.is(back[0].tensor.data[4], -0)).toBe(true);
    expect(back.slice(1).map((t) => Array.from(t.tensor.data))).toEqual([[-7], [1, 0, 1], [4294967295, 3]]);
  });

  test('the header of the format: dtype codes and data offsets', () => {
    const bytes = encodeSafetensors([tensors[0], tensors[2]]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)))).toEqual({
      w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      mask: { dtype: 'BOOL', shape: [3], data_offsets: [24, 27] },
    });
  });

  test.each([
    ['a short file', new Uint8Array(4), /fewer than the 8/],
    ['a header past the end', file({}, []).map((b, i) => (i === 0 ? 200 : b)), /runs past the end/],
    ['a header that is not JSON', (() => { const f = file({ a: 1 }, []); f[8] = 0x7e; return f; })(), /not JSON/],
    ['an unknown dtype', file({ x: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, [0, 0]), /dtype "F16"/],
    ['a size that disagrees with the shape', file({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /spans 4 bytes/],
    ['offsets past the data', file({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [0, 0, 0, 0]), /past the data/],
    ['overlapping tensors', file({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, y: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /overlaps/],
    ['a gap', file({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]), /gap of 4 bytes/],
    ['trailing bytes', file({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0, 9]), /1 bytes follow/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });
});

describe('npy', () => {
  test('round trip of every dtype, with a header padded to 64 bytes', () => {
    for (const { tensor } of tensors) {
      const bytes = encodeNpy(tensor);
      expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
      const back = decodeNpy(bytes);
      expect([back.dtype, back.shape]).toEqual([tensor.dtype, tensor.shape]);
      expect(Array.from(back.data)).toEqual(Array.from(tensor.data, tensor.dtype === 'f32' ? Math.fround : (x) => x));
    }
  });

  test('reads what numpy writes for float64 and int64, and refuses Fortran order', () => {
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    const make = (h: string, data: number[]) => {
      const head = h.padEnd(64 - 10 - 1) + '\n';
      const out = new Uint8Array(10 + head.length + data.length);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(out.buffer).setUint16(8, head.length, true);
      for (let i = 0; i < head.length; i++) out[10 + i] = head.charCodeAt(i);
      out.set(data, 10 + head.length);
      return out;
    };
    const f64 = new Uint8Array(new Float64Array([0.5, -2]).buffer);
    expect(Array.from(decodeNpy(make(header, [...f64])).data)).toEqual([0.5, -2]);
    expect(() => decodeNpy(make(header.replace('False', 'True'), [...f64]))).toThrow(/Fortran order/);
  });
});
