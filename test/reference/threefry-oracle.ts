/**
 * Threefry-2x32 with 20 rounds, written out from the Random123 description (Salmon et al., SC11)
 * rather than from our implementation: the 20 rounds one after the other, with a key injection
 * after every fourth. Uint32Array stores do the wrap-around.
 */
export function threefryOracle(key: readonly [number, number], counter: readonly [number, number]): [number, number] {
  const rotations = [13, 15, 26, 6, 17, 29, 16, 24];
  const ks = new Uint32Array([key[0], key[1], 0x1bd11bda ^ key[0] ^ key[1]]);
  const x = new Uint32Array([counter[0] + ks[0], counter[1] + ks[1]]);
  for (let round = 0; round < 20; round++) {
    const r = rotations[round % 8];
    x[0] = x[0] + x[1];
    x[1] = (x[1] << r) | (x[1] >>> (32 - r));
    x[1] = x[1] ^ x[0];
    if (round % 4 === 3) {
      const injection = (round + 1) / 4;
      x[0] = x[0] + ks[injection % 3];
      x[1] = x[1] + ks[(injection + 1) % 3] + injection;
    }
  }
  return [x[0], x[1]];
}
