import { formatShape, formatType } from '../ir/shape.ts';
import type { KernelPlan, LoweredProgram, PlanStep } from '../../passes/kernel-plan.ts';
import { outputSpace } from '../../passes/kernel-plan.ts';
import { DotWriter } from './dot-text.ts';
import type { DotNames } from './graph-dot.ts';

const BUFFER_FILL = { input: '#dbeafe', const: '#fef3c7', temp: '#ffffff' } as const;
const OUTPUT_FILL = '#dcfce7';
const KERNEL = { shape: 'box', style: 'filled', fillcolor: '#f3f4f6' } as const;
const GROUP = { style: 'rounded,dashed', color: '#6b7280' } as const;

/** What a kernel's anchor does, in a line: its iteration space and how it combines. */
function anchorLine(plan: KernelPlan): string {
  const a = plan.anchor;
  switch (a.kind) {
    case 'map':
      return `map over ${formatShape(a.shape)}`;
    case 'reduce':
      return `reduce ${a.combiner} over axes [${a.axes}] of ${formatShape(a.inShape)}`;
    case 'contract':
      return `contract m ${formatShape(a.m)} n ${formatShape(a.n)} k ${formatShape(a.k)}${a.batch.length ? ` batch ${formatShape(a.batch)}` : ''}`;
  }
}

/**
 * A kernel plan drawn for Graphviz: kernels as boxes (name, anchor and output space), buffers as
 * ellipses (inputs blue, constants yellow, program outputs green), reads and writes as edges.
 * Kernels that share one dispatch are a cluster, and so is each loop's body, with its carried
 * state drawn as dashed init/next edges. Draw the plan before memory planning: there each buffer
 * is one value, so the picture is the dataflow.
 */
export function planToDot(p: LoweredProgram, names: DotNames = {}): string {
  const w = new DotWriter(p.name);
  const declared = new Set<number>();
  const outputs = new Set(p.outputs);
  const byId = new Map(p.buffers.map((b) => [b.id, b]));
  let kernels = 0;

  const buffer = (id: number): string => {
    const name = `b${id}`;
    if (declared.has(id)) return name;
    declared.add(id);
    const b = byId.get(id);
    const kind = b?.kind ?? 'temp';
    const fill = outputs.has(id) ? OUTPUT_FILL : BUFFER_FILL[kind];
    const port = (list: readonly number[], given: readonly string[] | undefined, what: string) => {
      const i = list.indexOf(id);
      return given?.[i] ? `${what} ${given[i]}` : `${what} ${i}`;
    };
    const role = outputs.has(id) ? port(p.outputs, names.outputNames, 'output') : kind === 'input' ? port(p.inputs, names.inputNames, 'input') : kind;
    w.node(name, { shape: 'ellipse', style: 'filled', fillcolor: fill, label: `${name}: ${b ? formatType(b) : '?'}\n${role}` });
    return name;
  };

  const kernel = (plan: KernelPlan) => {
    const id = `k${kernels++}`;
    w.node(id, { ...KERNEL, label: `${plan.name}\n${anchorLine(plan)}\n-> ${formatShape(outputSpace(plan.anchor))}` });
    plan.inputs.forEach((o, i) => w.edge(buffer(o.buffer), id, { label: `in${i}` }));
    plan.outputs.forEach((o, i) => w.edge(id, buffer(o.buffer), { label: `out${i}` }));
  };

  const steps = (list: readonly PlanStep[]) => {
    for (const s of list) {
      switch (s.kind) {
        case 'kernel':
          kernel(s.plan);
          break;
        case 'kernels':
          w.cluster(`one dispatch of ${s.plans.length} kernels`, GROUP, () => s.plans.forEach(kernel));
          break;
        case 'copy':
          w.edge(buffer(s.from), buffer(s.to), { label: 'copy', style: 'dashed' });
          break;
        case 'loop':
          s.init.forEach(buffer);
          w.cluster(`loop ${s.trips} times`, GROUP, () => {
            s.stateIn.forEach(buffer);
            steps(s.body);
          });
          s.init.forEach((b, i) => w.edge(buffer(b), buffer(s.stateIn[i]), { label: 'init', style: 'dashed' }));
          s.stateOut.forEach((b, i) => {
            w.edge(buffer(b), buffer(s.stateIn[i]), { label: 'next', style: 'dashed', constraint: 'false' });
            w.edge(buffer(b), buffer(s.results[i]), { label: 'result', style: 'dashed' });
          });
          break;
      }
    }
  };

  for (const id of p.inputs) buffer(id);
  steps(p.steps);
  return w.text();
}
