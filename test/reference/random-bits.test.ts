import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/index.ts';
import { threefry2x32 } from '../../src/ir/ops/scalar-math.ts';
import { evaluate } from '../../runtime/reference.ts';
import { u32 } from './ref-case.ts';
import { threefryOracle } from './threefry-oracle.ts';

/**
 * Random123's published known-answer vectors for threefry2x32 with 20 rounds
 * (kat_vectors: "threefry2x32 20 ctr0 ctr1 key0 key1 → out0 out1").
 */
const KATS: readonly { key: [number, number]; counter: [number, number]; out: [number, number] }[] = [
  { key: [0x00000000, 0x00000000], counter: [0x00000000, 0x00000000], out: [0x6b200159, 0x99ba4efe] },
  { key: [0xffffffff, 0xffffffff], counter: [0xffffffff, 0xffffffff], out: [0x1cb996fc, 0xbb002be7] },
  { key: [0x13198a2e, 0x03707344], counter: [0x243f6a88, 0x85a308d3], out: [0xc4923a9c, 0x483df7a0] },
];

/** random_bits(key) of a shape, through a graph and the reference interpreter. */
function randomBits(key: [number, number], shape: number[]): Float64Array {
  const b = new GraphBuilder();
  const k = b.input({ dtype: 'u32', shape: [2] });
  const g = b.build([b.add1('random_bits', [k], { shape })]);
  return evaluate(g, [u32([2], key)])[0].data;
}

describe('Threefry-2x32 (20 rounds)', () => {
  it.each(KATS)('matches the known answer for key $key, counter $counter', ({ key, counter, out }) => {
    expect(threefryOracle(key, counter)).toEqual(out);
    expect(threefry2x32(key[0], key[1], counter[0], counter[1])).toEqual(out);
  });

  it('agrees with the independent oracle on many keys and counters', () => {
    for (let i = 0; i < 200; i++) {
      const key: [number, number] = [(i * 0x9e3779b9) >>> 0, (i * 0x85ebca6b + 7) >>> 0];
      const counter: [number, number] = [(i * 0xc2b2ae35) >>> 0, i];
      expect(threefry2x32(key[0], key[1], counter[0], counter[1])).toEqual(threefryOracle(key, counter));
    }
  });
});

describe('random_bits', () => {
  it('element 0 for key (0,0) is the first known-answer word', () => {
    expect(randomBits([0, 0], [1])[0]).toBe(0x6b200159);
  });

  it('is deterministic: the same key gives the same bits, in any shape of the same size', () => {
    const a = randomBits([7, 11], [64]);
    expect([...randomBits([7, 11], [64])]).toEqual([...a]);
    expect([...randomBits([7, 11], [4, 4, 4])]).toEqual([...a]);
    // A longer draw extends a shorter one: element i depends on i alone.
    expect([...randomBits([7, 11], [80]).slice(0, 64)]).toEqual([...a]);
  });

  it('different keys give different streams', () => {
    const a = randomBits([1, 2], [256]);
    const b = randomBits([2, 1], [256]);
    const c = randomBits([1, 3], [256]);
    const same = (x: Float64Array, y: Float64Array) => x.filter((v, i) => v === y[i]).length;
    expect(same(a, b)).toBeLessThan(3);
    expect(same(a, c)).toBeLessThan(3);
  });

  it('is roughly uniform: the mean of the top 24 bits over 10^5 draws is within 0.005 of 0.5', () => {
    const bits = randomBits([0xdeadbeef, 42], [100_000]);
    let sum = 0;
    let top = 0;
    for (const v of bits) {
      sum += (v >>> 8) / 2 ** 24;
      if (v >= 2 ** 31) top++;
    }
    expect(Math.abs(sum / bits.length - 0.5)).toBeLessThan(0.005);
    // The highest bit is set about half the time (std of the fraction is 0.0016).
    expect(Math.abs(top / bits.length - 0.5)).toBeLessThan(0.01);
    for (const v of bits) if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) expect.fail(`not a u32: ${v}`);
  });
});
