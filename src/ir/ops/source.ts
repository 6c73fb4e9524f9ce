import { coerce } from '../dtype.ts';
import { ShapeError } from '../errors.ts';
import { fillTensor, hostTensor } from '../host-tensor.ts';
import { linearize, load, u32, type KExpr } from '../kexpr.ts';
import type { OpDef } from '../op-def.ts';
import { checkShapeAttr, formatShape, formatType, sizeOf, stridesOf } from '../shape.ts';
import { batchAtFront, batchSource } from './batching.ts';
import { threefry2x32 } from './scalar-math.ts';

export const iota: OpDef<'iota'> = {
  name: 'iota',
  arity: 0,
  attrs: { shape: 'shape', dimension: 'int', dtype: 'dtype' },
  infer(_, { shape, dimension, dtype }) {
    checkShapeAttr('iota', shape, []);
    if (dimension < 0 || dimension >= shape.length)
      throw new ShapeError('iota', `dimension ${dimension} out of range for shape ${formatShape(shape)}`, []);
    if (dtype === 'bool') throw new ShapeError('iota', 'dtype must be numeric', []);
    return [{ dtype, shape }];
  },
  evalRef(_, { shape, dimension, dtype }) {
    const s = shape as number[];
    const st = stridesOf(s);
    return [fillTensor(dtype, s, (i) => Math.floor(i / st[dimension]) % s[dimension])];
  },
  kernel: {
    kind: 'expr',
    build: ({ attrs: { dimension, dtype }, out }) => ({ k: 'cast', from: 'u32', dtype, arg: out[dimension] }),
  },
  vjp: null,
  batch: batchSource('iota'),
};

/**
 * A literal tensor: `value` holds one number (splat over `shape`, which may be symbolic) or one
 * number per element.
 */
export const constant: OpDef<'constant'> = {
  name: 'constant',
  arity: 0,
  attrs: { shape: 'shape', dtype: 'dtype', value: 'numbers' },
  infer(_, { shape, dtype, value }) {
    checkShapeAttr('constant', shape, []);
    const size = sizeOf(shape);
    if (value.length !== 1 && (size.symbols.length > 0 || value.length !== size.constant))
      throw new ShapeError('constant', `${value.length} values do not fill shape ${formatShape(shape)} (give 1 to splat)`, []);
    return [{ dtype, shape }];
  },
  evalRef(_, { shape, dtype, value }) {
    const s = shape as number[];
    return [value.length === 1 ? fillTensor(dtype, s, () => value[0]) : hostTensor(dtype, s, value.map((v) => coerce(dtype, v)))];
  },
  kernel: { kind: 'constant' },
  vjp: null,
  batch: batchSource('constant'),
};

const RNG_PRELUDE = `fn ax_threefry2x32(k0: u32, k1: u32, x0: u32, x1: u32) -> u32 {
  let k2 = k0 ^ k1 ^ 0x1bd11bdau;
  var ks = array<u32, 3>(k0, k1, k2);
  var r = array<u32, 8>(13u, 15u, 26u, 6u, 17u, 29u, 16u, 24u);
  var a = x0 + k0;
  var b = x1 + k1;
  for (var i = 0u; i < 5u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let s = r[(i % 2u) * 4u + j];
      a = a + b;
      b = (b << s) | (b >> (32u - s));
      b = b ^ a;
    }
    a = a + ks[(i + 1u) % 3u];
    b = b + ks[(i + 2u) % 3u] + i + 1u;
  }
  return a;
}`;

/**
 * Counter-based random bits: element i (row-major) is word 0 of Threefry-2x32(key, (i, 0)).
 * The same key gives the same bits on the reference and on the GPU, for any shape.
 *
 * A key array u32[...K, 2] holds several keys: the result is [...K, ...shape], and each key
 * draws its own stream from counter 0, exactly what it draws alone. That makes the batching rule
 * a change of operand (vmap over keys), and a single key (K empty) is the plain case.
 */
export const random_bits: OpDef<'random_bits'> = {
  name: 'random_bits',
  arity: 1,
  attrs: { shape: 'shape' },
  infer([key], { shape }) {
    if (key.dtype !== 'u32' || key.shape.length === 0 || key.shape[key.shape.length - 1] !== 2)
      throw new ShapeError('random_bits', 'key must be u32[2] (or u32[..., 2] for one stream per key)', [formatType(key)]);
    checkShapeAttr('random_bits', shape, [formatType(key)]);
    return [{ dtype: 'u32', shape: [...key.shape.slice(0, -1), ...shape] }];
  },
  evalRef([key], { shape }) {
    const perKey = (shape as number[]).reduce((a, b) => a * b, 1);
    const draw = (i: number) => {
      const k = Math.floor(i / perKey);
      return threefry2x32(key.data[2 * k], key.data[2 * k + 1], i - k * perKey, 0)[0];
    };
    return [fillTensor('u32', [...key.shape.slice(0, -1), ...(shape as number[])], draw)];
  },
  kernel: {
    kind: 'expr',
    build: ({ inputs: [key], output, out }): KExpr => {
      const lead = key.shape.length - 1;
      const which = out.slice(0, lead);
      return {
        k: 'call',
        fn: 'ax_threefry2x32',
        dtype: 'u32',
        args: [load(0, [...which, u32(0)]), load(0, [...which, u32(1)]), linearize(out.slice(lead), output.shape.slice(lead)), u32(0)],
      };
    },
    prelude: RNG_PRELUDE,
  },
  vjp: null,
  batch: batchAtFront('random_bits', (attrs) => attrs),
};
