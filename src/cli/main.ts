import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AxonicError } from '../ir/errors.ts';
import { LangError } from '../lang/diagnostics.ts';
import { runCheck } from './check-command.ts';
import { runCompile } from './compile-command.ts';
import { runDot } from './dot-command.ts';
import { runExportOnnx } from './export-onnx-command.ts';
import { runInfo } from './info-command.ts';
import { runIr } from './ir-command.ts';
import { runRun } from './run-command.ts';
import { withSourceContext } from './source-context.ts';
import { runTrain } from './train-command.ts';
import { UsageError } from './values.ts';

/** A file the user named, read as text; a file that cannot be read is a one-line error. */
function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new AxonicError(`cannot read ${file}: ${why} (give the path of a text IR file, or --example NAME)`);
  }
}

const integer = (min: number) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer of at least ${min}`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The command tree; each action resolves to the exit code. */
function program(setCode: (code: number) => void): Command {
  const cli = new Command('axonic')
    .usage('<command> [options]')
    .description('axonic: compile neural networks to WebGPU — model files (.axon), text IR, artifacts')
    .showHelpAfterError('(axonic <command> --help lists its options)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const done = (p: Promise<number>) => p.then(setCode);

  cli.command('compile')
    .description('compile a model file ahead of time: manifest.json, one .wgsl per kernel, params.safetensors')
    .argument('<file>', 'the .axon model file')
    .requiredOption('-o, --output <dir>', 'the artifact folder to write')
    .option('--model <name>', 'the model to compile, when the file declares several')
    .option('--seed <n>', 'seed of the parameters\' initial values (default: the train block\'s, else 0)', integer(0))
    .option('--params <file>', 'store these parameters (a .safetensors file, e.g. a checkpoint) instead of initial ones')
    .addOption(new Option('--limits <which>', 'generate kernels within the default WebGPU limits or this device\'s').choices(['default', 'device']).default('default'))
    .action((file, o) => done(runCompile(file, o)));

  cli.command('check')
    .description('parse a model file, check its names and calls and infer its shapes (compiles nothing)')
    .argument('<file>', 'the .axon model file')
    .option('--model <name>', 'check only this model')
    .action((file, o) => done(runCheck(file, o)));

  cli.command('ir')
    .description('print the text IR of a model file, a text IR file or a built-in example, before or after passes')
    .argument('[file]', 'a .axon model file or a .ir text IR file')
    .option('--model <name>', 'the model of a .axon file')
    .option('--schedule <name>', 'forward (default), backward or train_step, for a .axon file')
    .option('--example <name>', 'a built-in example to trace (see --list)')
    .option('--list', 'list the built-in examples')
    .option('--passes <list>', 'run these passes in this order (comma separated, e.g. verify,split-wide,lower)')
    .option('--after <pass>', 'run the pipeline up to this pass and print its result (e.g. --after fuse)')
    .option('--all', 'print the IR or plan after every pass')
    .option('--print-after-all', 'the same as --all')
    .option('--wgsl', 'print the generated WGSL kernels')
    .option('--no-locations', 'leave out the @file:line:col locations')
    .action((file: string | undefined, o) => {
      const text = file && !file.endsWith('.axon') ? readSource(file) : undefined;
      return done(runIr({
        file, text, example: o.example, list: o.list ?? false, passes: o.passes?.split(',').filter(Boolean), after: o.after,
        printAfterAll: (o.all || o.printAfterAll) ?? false, wgsl: o.wgsl ?? false, model: o.model, schedule: o.schedule, locations: o.locations,
      }));
    });

  cli.command('dot')
    .description('print Graphviz text of a graph (ops, typed values, regions as clusters), or with --plan of its fused kernel plan; render with dot -Tsvg')
    .argument('[file]', 'a .axon model file or a .ir text IR file')
    .option('--example <name>', 'a built-in example instead of a file (see axonic ir --list)')
    .option('--plan', 'the fused kernel plan (kernels, buffers, shared dispatches, loops) instead of the graph')
    .option('--model <name>', 'the model of a .axon file')
    .option('--schedule <name>', 'forward (default), backward or train_step')
    .option('-o, --output <file>', 'write the DOT text here instead of stdout')
    .action((file: string | undefined, o) => done(runDot({ ...o, file, plan: o.plan ?? false })));

  cli.command('export-onnx')
    .description('write the ONNX model (opset 18) of a graph; a model file\'s parameters become initializers')
    .argument('[file]', 'a .axon model file or a .ir text IR file')
    .requiredOption('-o, --output <file>', 'the .onnx file to write')
    .option('--example <name>', 'a built-in example instead of a file (see axonic ir --list)')
    .option('--model <name>', 'the model of a .axon file')
    .option('--schedule <name>', 'forward (default), backward or train_step')
    .action((file: string | undefined, o) => done(runExportOnnx({ ...o, file })));

  cli.command('run')
    .description('run an artifact folder or a model file on inputs given as .npy, .json or inline JSON')
    .argument('<source>', 'an artifact folder (from axonic compile) or a .axon model file')
    .option('-i, --input <name=value>', 'an input: x=x.npy, x=x.json or x=[[0,1],[1,0]] (repeat for several)', collect, [])
    .option('--schedule <name>', 'the schedule to run', 'forward')
    .option('--model <name>', 'the model of a .axon file')
    .option('--params <file>', 'parameters to use instead of the stored ones (.safetensors)')
    .option('--json', 'print the outputs as one JSON object')
    .option('-o, --output <path>', 'also write the outputs: a .npy file (one output) or a folder of .npy files')
    .action((source, o) => done(runRun(source, { ...o, json: o.json ?? false })));

  cli.command('train')
    .description('train a model file (or an artifact) as its train block says, printing the loss of every epoch')
    .argument('<source>', 'a .axon model file with a train block, or an artifact folder')
    .option('-o, --output <dir>', 'write the trained artifact (and checkpoints) here')
    .option('-d, --data <name=value>', 'training data: x=x.npy, x=x.json or inline JSON (repeat for several)', collect, [])
    .option('--params <file>', 'start from these parameters (.safetensors) instead of the initial ones')
    .option('--model <name>', 'the model of a .axon file')
    .option('--seed <n>', 'seed of the initial parameters', integer(0))
    .option('--steps <n>', 'optimizer steps, instead of the train block\'s', integer(0))
    .option('--checkpoint-every <epochs>', 'write the parameters to DIR/checkpoints every this many epochs', integer(1))
    .option('--no-progress', 'no progress bar (it only shows on a terminal)')
    .action((source, o) => done(runTrain(source, o)));

  cli.command('info').description('print the WebGPU adapter axonic runs on, and the limits code generation reads').action(() => done(runInfo()));
  return cli;
}

/** Entry point of the CLI; resolves to the exit code: 0 ok, 1 a failure, 2 a usage error. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const cli = program((c) => (code = c));
  try {
    if (argv.length === 0) {
      process.stderr.write(cli.helpInformation());
      return 2;
    }
    await cli.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.unknownCommand') process.stderr.write(`\n${cli.helpInformation()}`);
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`axonic: ${e.message}\n`);
      return 2;
    }
    if (e instanceof LangError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    if (e instanceof AxonicError) {
      process.stderr.write(`axonic: ${withSourceContext(e.message)}\n`);
      return 1;
    }
    throw e;
  }
}
