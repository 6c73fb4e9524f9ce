import { load, rewriteExpr, type BufferDecl, type KExpr, type Shape, type TensorType, type Value } from '../../src/ir/index.ts';
import { outputSpace, type KernelPlan } from '../kernel-plan.ts';
import type { Form, Group } from './groups.ts';
import { sameElements } from './spaces.ts';

/** The kernel plan of a group: loads bound to inputs, the members that have buffers as outputs. */
export function groupKernel(g: Group, formOf: (v: Value) => Form, buffers: readonly BufferDecl[]): KernelPlan | undefined {
  const written = g.members.filter((v) => {
    const f = formOf(v);
    return f.kind === 'member' && f.buffer !== undefined;
  });
  if (written.length === 0) return undefined;
  const inputs: { buffer: number; dtype: TensorType['dtype']; shape: Shape }[] = [];
  const bind = (e: KExpr) =>
    rewriteExpr(e, (x) => {
      if (x.k !== 'load') return x;
      let index = inputs.findIndex((o) => o.buffer === x.input);
      if (index < 0) {
        const b = buffers[x.input];
        index = inputs.push({ buffer: b.id, dtype: b.dtype, shape: b.shape }) - 1;
      }
      return load(index, x.coords);
    });
  const a = g.anchor;
  const anchor =
    a === undefined || a.kind === 'map'
      ? { kind: 'map' as const, shape: g.space }
      : a.kind === 'reduce'
        ? { ...a, expr: bind(a.expr) }
        : { ...a, lhs: bind(a.lhs), rhs: bind(a.rhs) };
  const outputs = written.map((v) => {
    const f = formOf(v) as Extract<Form, { kind: 'member' }>;
    const b = buffers[f.buffer!];
    return { buffer: b.id, dtype: b.dtype, shape: b.shape, expr: bind(f.expr) };
  });
  if (anchor.kind !== 'map' && !sameElements(outputSpace(anchor), g.space)) throw new Error('fuse: group space differs from its anchor');
  return { name: g.ops.join('+'), inputs, outputs, anchor, preludes: g.preludes };
}
