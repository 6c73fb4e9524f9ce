import * as ax from '../src/index.ts';
import type { Graph } from '../src/ir/index.ts';

/** Small built-in models that `axonic ir` can trace, to show the IR without a model file. */
export const EXAMPLES: Record<string, { about: string; trace(): Graph }> = {
  mlp: {
    about: 'a two-layer MLP (tanh hidden layer, softmax output) over a symbolic batch N',
    trace: () =>
      ax.trace(
        (w1: ax.Tensor, b1: ax.Tensor, w2: ax.Tensor, b2: ax.Tensor, x: ax.Tensor) =>
          ax.softmax(ax.tanh(x.matmul(w1).add(b1)).matmul(w2).add(b2)),
        ax.spec('f32', [784, 128]),
        ax.spec('f32', [128]),
        ax.spec('f32', [128, 10]),
        ax.spec('f32', [10]),
        ax.spec('f32', ['N', 784]),
      ),
  },
  linreg: {
    about: "one gradient step of the tutorial's linear regression (hand-written gradients)",
    trace: () =>
      ax.trace(
        (m: ax.Tensor, b: ax.Tensor, x: ax.Tensor, y: ax.Tensor) => {
          const r = x.mul(m).add(b).sub(y);
          const loss = r.square().mean();
          return [loss, m.sub(r.mul(x).mul(2).mean().mul(0.1)), b.sub(r.mul(2).mean().mul(0.1))];
        },
        ax.spec('f32', []),
        ax.spec('f32', []),
        ax.spec('f32', ['N', 1]),
        ax.spec('f32', ['N', 1]),
      ),
  },
  relax: {
    about: 'ten relaxation steps s <- s + 0.1(-s + tanh(sW + x)) as one loop',
    trace: () =>
      ax.trace(
        (s: ax.Tensor, w: ax.Tensor, x: ax.Tensor) =>
          ax.loop(10, (st: ax.Tensor) => st.add(st.neg().add(ax.tanh(st.matmul(w).add(x))).mul(0.1)), s),
        ax.spec('f32', ['N', 64]),
        ax.spec('f32', [64, 64]),
        ax.spec('f32', ['N', 64]),
      ),
  },
};
