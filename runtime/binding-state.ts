import { BYTES_PER_ELEMENT } from '../src/ir/dtype.ts';
import { LimitError } from '../src/ir/errors.ts';
import type { Program, SizeExpr } from '../src/ir/program.ts';
import { evalShape, formatShape, numElements, type DimBinding } from '../src/ir/shape.ts';
import type { BufferPool } from './buffer-pool.ts';
import type { GpuBackend } from './device.ts';
import { evalSize, type ProgramPlan } from './program-plan.ts';

/**
 * Everything that depends on one binding of the symbolic dims: the sizes uniform, concrete
 * shapes and byte sizes, workgroup counts, and the temp buffers (kept across calls with the
 * same binding, so a training loop allocates nothing per step but its outputs).
 */
export class BindingState {
  readonly uniform: GPUBuffer;
  readonly shapes: readonly (readonly number[])[];
  readonly bytes: Float64Array;
  /** Workgroup counts (x, y, z) of kernel k at 3k..3k+2. */
  readonly workgroups: Uint32Array;
  /** Buffers of temps that are not direct outputs, by buffer index. */
  readonly temps: (GPUBuffer | undefined)[];

  constructor(
    readonly key: string,
    program: Program,
    plan: ProgramPlan,
    binding: DimBinding,
    backend: GpuBackend,
    private readonly pool: BufferPool,
  ) {
    this.shapes = program.buffers.map((b) => evalShape(b.shape, binding));
    this.bytes = Float64Array.from(this.shapes, (s) => numElements(s) * BYTES_PER_ELEMENT);
    this.workgroups = workgroupCounts(program, binding, backend.limits.maxComputeWorkgroupsPerDimension);
    const direct = new Set([...plan.outputs].filter((_, k) => plan.outputDirect[k]));
    this.temps = [];
    try {
      program.buffers.forEach((b, i) => {
        if (b.kind === 'temp' && !direct.has(i))
          this.temps[i] = pool.acquireStorage(this.bytes[i], `temp buffer ${b.id} (${b.dtype}${formatShape(this.shapes[i])})`);
      });
    } catch (e) {
      this.releaseTemps();
      throw e;
    }
    // The dims, then the word kernels read as a hidden zero (see passes/wgsl/common.ts).
    const words = new Uint32Array(Math.ceil((program.dims.length + 1) / 4) * 4);
    program.dims.forEach((d, k) => (words[k] = binding.get(d)!));
    this.uniform = pool.acquireUniform(words.byteLength);
    backend.device.queue.writeBuffer(this.uniform, 0, words);
  }

  release(): void {
    this.releaseTemps();
    this.pool.release(this.uniform);
  }

  private releaseTemps(): void {
    for (const b of this.temps) if (b) this.pool.release(b);
    this.temps.length = 0;
  }
}

function workgroupCounts(program: Program, binding: DimBinding, maxPerDim: number): Uint32Array {
  const counts = new Uint32Array(program.kernels.length * 3);
  const dims = () => program.dims.map((d) => `${d}=${binding.get(d)}`).join(', ') || 'no symbolic dims';
  program.kernels.forEach((k, i) => {
    let xyz: number[];
    if (k.dispatch.kind === 'linear' || k.dispatch.kind === 'parts') {
      const n =
        k.dispatch.kind === 'linear'
          ? evalSize(k.dispatch.count, binding)
          : k.dispatch.parts.reduce((sum, p) => sum + evalSize(p.x, binding) * evalSize(p.y, binding) * evalSize(p.z, binding), 0);
      // Past the per-dimension limit the flat count folds into x and y; the WGSL recombines
      // them as wid.x + wid.y * num_workgroups.x and returns past its element count.
      xyz = n <= maxPerDim ? [n, 1, 1] : [maxPerDim, Math.ceil(n / maxPerDim), 1];
      if (xyz[1] > maxPerDim)
        throw new LimitError(
          `kernel '${k.name}' needs ${n} workgroups (${dims()}), more than ${maxPerDim}² even folded into two ` +
            'dimensions: use a smaller batch or split the computation',
        );
    } else {
      const exprs: SizeExpr[] = [k.dispatch.x, k.dispatch.y, k.dispatch.z];
      xyz = exprs.map((e) => evalSize(e, binding));
      const axis = xyz.findIndex((v) => v > maxPerDim);
      if (axis >= 0)
        throw new LimitError(
          `kernel '${k.name}' needs ${xyz.join('×')} workgroups (${dims()}); its ${'xyz'[axis]} count exceeds this ` +
            `adapter's maxComputeWorkgroupsPerDimension of ${maxPerDim}: use a smaller batch, or compile the ` +
            'kernel with a linear dispatch so the runtime can fold it',
        );
    }
    counts.set(xyz, i * 3);
  });
  return counts;
}
