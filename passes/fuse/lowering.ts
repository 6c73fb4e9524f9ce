import type { BufferDecl, KernelLimits, Node, Shape, TensorType } from '../../src/ir/index.ts';
import type { Group } from './groups.ts';

export interface FuseOptions {
  /**
   * false: every primitive is its own kernel and every value has a buffer (the plan fused
   * programs are checked against).
   */
  readonly fuse?: boolean;
  readonly limits: KernelLimits;
}

/** What all graph levels of one program share: the buffers and the options. */
export class Lowering {
  readonly buffers: BufferDecl[] = [];
  private nextGroup = 0;
  constructor(readonly options: FuseOptions) {}

  get fusing(): boolean {
    return this.options.fuse ?? true;
  }

  newBuffer(type: TensorType, kind: BufferDecl['kind'], data?: readonly number[]): number {
    const id = this.buffers.length;
    this.buffers.push(data ? { id, dtype: type.dtype, shape: type.shape, kind, data } : { id, dtype: type.dtype, shape: type.shape, kind });
    return id;
  }

  newGroup(kind: Group['kind'], space: Shape, op: string, anchorNode?: Node): Group {
    return { id: this.nextGroup++, kind, space, ops: [op], members: [], deps: new Set(), preludes: [], anchorNode };
  }
}

