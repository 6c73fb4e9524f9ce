import { writeFileSync } from 'node:fs';
import { PASSES, runStages } from '../../passes/manager.ts';
import { DEFAULT_LIMITS } from '../ir/index.ts';
import { graphToDot } from '../viz/graph-dot.ts';
import { planToDot } from '../viz/plan-dot.ts';
import { graphFrom, type GraphSource } from './graph-source.ts';

export interface DotOptions extends GraphSource {
  /** Draw the fused kernel plan instead of the graph. */
  readonly plan: boolean;
  /** Where to write the DOT text (default: stdout). */
  readonly output?: string;
}

/** The plan is drawn after dispatches are merged and before memory planning, where each buffer is still one value. */
const PLAN_PASSES = PASSES.slice(0, PASSES.findIndex((p) => p.name === 'merge-dispatches') + 1);

/** `axonic dot`: a graph (or its fused kernel plan) in Graphviz's DOT language; `dot -Tsvg` renders it. */
export async function runDot(o: DotOptions): Promise<number> {
  const { graph, inputNames, outputNames } = graphFrom(o);
  let text = graphToDot(graph, { inputNames, outputNames });
  if (o.plan) {
    const stage = runStages(graph, DEFAULT_LIMITS, { debug: 0 }, PLAN_PASSES);
    if (stage.kind !== 'plan') throw new Error(`the plan passes ended at the ${stage.kind} stage`);
    text = planToDot(stage.lowered, { inputNames, outputNames });
  }
  if (o.output) writeFileSync(o.output, text);
  else process.stdout.write(text);
  return 0;
}
