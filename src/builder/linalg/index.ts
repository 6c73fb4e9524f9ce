/**
 * ax.linalg: dense linear algebra on stacks of small and medium matrices ([..., n, n], n up to a
 * few hundred), following jax.numpy.linalg / jax.lax.linalg. Each function is a composite of
 * primitives (fixed-trip loops over columns, masks, gathers, matmuls), so the reference
 * interpreter, WebGPU and vmap all come from the primitives' rules. Each carries a closed-form
 * VJP (customVjp) made of matmuls and matrix inverses whose own rules are matmuls, so reverse
 * mode never differentiates (unrolls) a loop, and grad of grad is exact. Failures are values, as
 * in JAX: NaN for a matrix that is not positive definite, inf/NaN for a singular solve or
 * inverse, 0 for a singular det.
 */
export { cholesky, type CholeskyOptions } from './cholesky.ts';
export { det, slogdet, type SlogdetResult } from './det.ts';
export { lu } from './lu.ts';
export { inv, solve } from './solve.ts';
export { triangularSolve, type TriangularSolveOptions } from './triangular.ts';
