import { formatType } from '../ir/index.ts';
import { loadChecked, lowerModel, modelsOf } from '../lang/compile.ts';
import { ENERGY_WAITS } from '../lang/scope.ts';
import { describePort } from '../lang/lower.ts';

/** `axonic check FILE`: parses, checks names and calls, and infers every model's shapes; compiles nothing. */
export async function runCheck(file: string, o: { model?: string }): Promise<number> {
  const program = loadChecked(file);
  const models = o.model ? [o.model] : modelsOf(program.entry);
  const lines: string[] = [];
  for (const name of models) {
    const m = lowerModel(program, name);
    const args = m.forward.inputs.filter((p) => p.kind === 'input').map(describePort).join(', ');
    const outs = m.forward.outputs.map((p) => formatType(p.type)).join(', ');
    lines.push(`  model ${m.name}: forward(${args}) -> ${outs}`);
    const values = m.params.reduce((n, p) => n + p.type.shape.reduce<number>((a, b) => a * (b as number), 1), 0);
    lines.push(`    parameters: ${m.params.length ? m.params.map((p) => `${p.name} ${formatType(p.type)}`).join(', ') : 'none'} (${values} values)`);
    if (m.train) {
      const t = m.train;
      lines.push(`    train: ${t.steps < 0 ? `${t.epochs} epochs` : `${t.steps} steps`} of ${t.optimizer.kind}(lr = ${t.optimizer.lr}) by ${t.rule}${t.batch ? `, batch ${t.batch}` : ''}; data ${t.data.map((d) => `${d.name}: ${formatType(d.type)}`).join(', ')}`);
    }
  }
  for (const d of program.entry.own.values())
    if (d.kind === 'energy') lines.push(`  energy ${d.name.name}: names checked; not lowered: ${ENERGY_WAITS}`);
  process.stdout.write(`${program.entry.file.path}: ok\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
  return 0;
}
