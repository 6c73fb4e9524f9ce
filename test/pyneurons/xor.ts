import * as ax from '../../src/index.ts';

const pn = ax.pyneurons;

/** The seed's XOR model: out = b(concat([x, a(x)])) with two Binary neurons. */
export const XOR = pn.bind(
  'XOR',
  (key: ax.Operand) => {
    const [ka, kb] = ax.random.split(key);
    return [new pn.Binary(ka, 2), new pn.Binary(kb, 3)] as const;
  },
  ([a, b], x: ax.Operand) => b(pn.concat([x, a(x)])),
);
export type XorModel = InstanceType<typeof XOR>;

/** The XOR data, as ints (D-PN-6 promotes them in the matmul). */
export const xorX = ax.array([[0, 0], [0, 1], [1, 0], [1, 1]], undefined, 'i32');
export const xorY = ax.array([[0], [1], [1], [0]], undefined, 'i32');

/** The explicit start of SEMANTICS 1.10 e (decision D-PN-4). */
export const xorStart = (): XorModel =>
  XOR.of([
    pn.Binary.of([ax.array([[1.56], [1.45]]), ax.array([[-1.69]])]),
    pn.Binary.of([ax.array([[1.44], [1.52], [1.54]]), ax.array([[-1.38]])]),
  ]);

/** 1.10 e after one step and after 100 steps (w_a, b_a, w_b, b_b), and the step at which out = XOR. */
export const AFTER_STEP_1 = [[1.5215, 1.4115], [-1.7285], [1.415, 1.495, 1.515], [-1.405]];
export const AFTER_STEP_100 = [[1.236875, 1.017625], [-1.501375], [0.69, 0.695, -0.735], [-0.68]];
export const FIRST_SOLVED_STEP = 93;
