import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../runtime/npy.ts';
import { openModel } from './open-model.ts';
import { formatTensor, readParams, readValue, splitAssignment, toNested, UsageError } from './values.ts';

export interface RunOptions {
  readonly input: readonly string[];
  readonly schedule: string;
  readonly model?: string;
  readonly params?: string;
  readonly json: boolean;
  readonly output?: string;
}

/** `axonic run ARTIFACT|FILE --input x=...`: runs a schedule (forward by default) and prints its outputs. */
export async function runRun(source: string, o: RunOptions): Promise<number> {
  const model = await openModel(source, { model: o.model });
  const schedule = model.schedules[o.schedule];
  if (!schedule) throw new UsageError(`${model.name} has no schedule '${o.schedule}' (it has ${Object.keys(model.schedules).join(', ')})`);
  if (o.params) model.setParams(readParams(o.params));
  const inputs: Record<string, ReturnType<typeof readValue>> = {};
  for (const text of o.input) {
    const [name, value] = splitAssignment(text, '--input');
    const port = schedule.inputs.find((p) => p.name === name);
    if (!port) throw new UsageError(`--input ${name}: ${o.schedule} has no input ${name} (its inputs: ${schedule.inputs.filter((p) => p.role !== 'param').map((p) => p.name).join(', ')})`);
    inputs[name] = readValue(value, port.dtype, `--input ${name}`);
  }
  const missing = schedule.inputs.filter((p) => p.role !== 'param' && !(p.name in inputs));
  if (missing.length)
    throw new UsageError(`${o.schedule} needs ${missing.map((p) => `--input ${p.name}=VALUE (${p.dtype}[${p.shape.join(',')}])`).join(' and ')}`);
  const outputs = await model.run(o.schedule, inputs);
  if (o.output) {
    const names = Object.keys(outputs);
    if (o.output.endsWith('.npy')) {
      if (names.length !== 1) throw new UsageError(`--output ${o.output}: ${o.schedule} has ${names.length} outputs; give a folder to write one .npy file each`);
      writeFileSync(o.output, encodeNpy(outputs[names[0]]));
    } else {
      mkdirSync(o.output, { recursive: true });
      for (const n of names) writeFileSync(join(o.output, `${n}.npy`), encodeNpy(outputs[n]));
    }
  }
  if (o.json) process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, toNested(v)]))) + '\n');
  else for (const [k, v] of Object.entries(outputs)) process.stdout.write(formatTensor(k, v) + '\n');
  return 0;
}
