import * as ax from '../../src/index.ts';

/**
 * A scalar loss of w: f32[4,3] and x: f32[N,4] (N may be symbolic) that routes gradients through
 * take (gather, along the symbolic axis too), a strided slice, pad, concatenate, max and
 * logsumexp: the VJP rules whose shapes are most at risk from symbolic dims.
 */
export function mixedLoss(w: ax.Tensor, x: ax.Tensor): ax.Tensor {
  const h = ax.tanh(ax.matmul(x, w));
  const picked = ax.take(x, [1, 1, 7], 1);
  const rows = ax.take(h, [0, 0], 0);
  const strided = ax.slice(x, [0, 0], [x.shape[0], 4], [1, 2]);
  const padded = ax.pad(h, [[0, 0], [1, 2]]);
  const joined = ax.concatenate([h, picked], 1);
  return ax.sum(h.mul(picked))
    .add(ax.sum(rows))
    .add(ax.sum(strided.mul(strided)))
    .add(ax.sum(padded.mul(joined)))
    .add(ax.sum(ax.max(x, 0)))
    .add(ax.sum(ax.logsumexp(joined, 0)));
}
