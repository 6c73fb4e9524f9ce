import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { encodeSafetensors } from '../../runtime/safetensors.ts';
import { hostTensor, type HostTensor } from '../ir/index.ts';
import { writeArtifact } from '../lang/artifact.ts';
import { openModel } from './open-model.ts';
import { formatF32, readParams, readValue, splitAssignment, UsageError } from './values.ts';

export interface TrainOptions {
  readonly output?: string;
  readonly data: readonly string[];
  readonly params?: string;
  readonly model?: string;
  readonly seed?: number;
  readonly steps?: number;
  readonly checkpointEvery?: number;
  readonly progress: boolean;
}

/** Rows `from` to `from + count` (wrapping around) of a tensor, along its first axis. */
function rows(t: HostTensor, from: number, count: number): HostTensor {
  const n = t.shape[0];
  const per = t.data.length / n;
  const out = hostTensor(t.dtype, [count, ...t.shape.slice(1)]);
  for (let r = 0; r < count; r++) out.data.set(t.data.subarray(((from + r) % n) * per, (((from + r) % n) + 1) * per), r * per);
  return out;
}

/**
 * `axonic train FILE|ARTIFACT`: runs the train block's train_step for its steps, batch by batch,
 * printing the mean loss of every epoch (a pass over the data); writes checkpoints and, with
 * -o, the trained artifact.
 */
export async function runTrain(source: string, o: TrainOptions): Promise<number> {
  if (o.checkpointEvery !== undefined && !o.output) throw new UsageError('--checkpoint-every needs -o DIR, where the checkpoints go');
  const model = await openModel(source, { model: o.model, seed: o.seed });
  const train = model.train;
  if (!train) throw new UsageError(`${model.name} has no train block (add: train ${model.name} { loss ...  optimizer gd(lr = 0.1)  steps 100 })`);
  if (o.params) model.setParams(readParams(o.params));
  const data = new Map(model.data.map((d) => [d.name, d.tensor]));
  for (const text of o.data) {
    const [name, value] = splitAssignment(text, '--data');
    const d = train.data.find((x) => x.name === name);
    if (!d) throw new UsageError(`--data ${name}: the train block has no data ${name} (it has ${train.data.map((x) => x.name).join(', ')})`);
    data.set(name, readValue(value, d.dtype, `--data ${name}`));
  }
  const missing = train.data.filter((d) => !data.has(d.name));
  if (missing.length) throw new UsageError(`the train block needs ${missing.map((d) => `--data ${d.name}=FILE (${d.dtype}[${d.shape.join(',')}])`).join(' and ')}`);
  const rowCounts = [...new Set([...data.values()].map((t) => t.shape[0]))];
  if (train.batch !== undefined && rowCounts.length !== 1) throw new UsageError(`batched data must have one number of rows, got ${rowCounts.join(' and ')}`);
  const rowsTotal = rowCounts[0] ?? 1;
  const perEpoch = train.batch === undefined ? 1 : Math.ceil(rowsTotal / train.batch);
  const steps = o.steps ?? (train.steps >= 0 ? train.steps : (train.epochs ?? 1) * perEpoch);
  const epochs = Math.ceil(steps / perEpoch);
  const width = String(epochs).length;

  process.stdout.write(`training ${model.name} on ${model.device}: ${steps} steps of ${train.optimizer.kind}(lr = ${train.optimizer.lr}), ${perEpoch} per epoch\n`);
  const bar = o.progress && process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: '  {bar} {value}/{total} steps | loss {loss}', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(steps, 0, { loss: '-' });
  const checkpoint = async (label: string) => {
    const dir = join(o.output!, 'checkpoints');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}.safetensors`), encodeSafetensors(await model.paramValues(), { model: model.name }));
  };
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let total = 0;
    let count = 0;
    for (let k = 0; k < perEpoch && step < steps; k++, step++) {
      const batch = Object.fromEntries([...data].map(([name, t]) => [name, train.batch === undefined ? t : rows(t, k * train.batch, Math.min(train.batch, rowsTotal - k * train.batch))]));
      total += await model.trainStep(batch);
      count++;
      bar?.update(step + 1, { loss: formatF32(total / count) });
    }
    const line = `epoch ${String(epoch).padStart(width)}/${epochs}  loss ${formatF32(total / count)}`;
    if (bar) bar.stop();
    process.stdout.write(line + '\n');
    if (bar && epoch < epochs) bar.start(steps, step, { loss: formatF32(total / count) });
    if (o.checkpointEvery && epoch % o.checkpointEvery === 0) await checkpoint(`epoch-${String(epoch).padStart(width, '0')}`);
  }
  bar?.stop();
  if (o.output) {
    await writeArtifact(o.output, await model.artifactFiles());
    process.stdout.write(`wrote ${o.output} (the trained parameters in params.safetensors)\n`);
  }
  return 0;
}
