import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AxonicError } from '../ir/errors.ts';
import { runIr } from './ir-command.ts';
import { runInfo } from './info-command.ts';
import { runDot } from './dot-command.ts';
import { runExportOnnx } from './export-onnx-command.ts';

const USAGE = `usage: axonic <command> [options]

commands:
  ir [FILE.ir]        print the text IR: of FILE (parsed and verified), or of a built-in example
      --example NAME  built-in example to trace (default: mlp; see --list)
      --list          list the built-in examples
      --passes LIST   run these compiler passes in this order (comma separated, e.g.
                      verify,split-wide,lower for the unfused kernel plan)
      --after PASS    run the pipeline up to PASS and print its result (e.g. --after fuse:
                      each kernel's anchor, inputs and expressions)
      --print-after-all  print the IR or plan after every pass
      --wgsl          print the generated WGSL kernels
  info                print the WebGPU adapter axonic runs on, and its limits
  dot [FILE]          print the graph of FILE (.ir, or .axon: the model's forward pass), or of
                      --example NAME, in Graphviz's DOT language:
                      ops, values with their types, regions of loop/cond/custom_vjp as clusters
      --plan          draw the fused kernel plan instead (kernels, buffers, dispatches, loops)
      -o FILE.dot     write it to FILE.dot; render with \`dot -Tsvg FILE.dot -o FILE.svg\`
  export-onnx [FILE] -o MODEL.onnx
                      write the ONNX model (opset 18) of FILE or --example NAME; a model
                      file's parameters are initializers (their initial values)
  help                print this message
`;

/** A file the user named, read as text; a file that cannot be read is a one-line usage error. */
function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new AxonicError(`cannot read ${file}: ${why} (give the path of a text IR file, or --example NAME)`);
  }
}

/** Entry point of the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'ir': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            example: { type: 'string' },
            list: { type: 'boolean' },
            passes: { type: 'string' },
            after: { type: 'string' },
            'print-after-all': { type: 'boolean' },
            wgsl: { type: 'boolean' },
          },
        });
        const file = positionals[0];
        return await runIr({
          file,
          text: file ? readSource(file) : undefined,
          example: values.example,
          list: values.list ?? false,
          passes: values.passes?.split(',').filter(Boolean),
          after: values.after,
          printAfterAll: values['print-after-all'] ?? false,
          wgsl: values.wgsl ?? false,
        });
      }
      case 'info':
        return await runInfo();
      case 'dot':
      case 'export-onnx': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { example: { type: 'string' }, output: { type: 'string', short: 'o' }, ...(command === 'dot' && { plan: { type: 'boolean' } }) },
        });
        const file = positionals[0];
        const source = { file, text: file ? readSource(file) : undefined, example: values.example as string | undefined };
        const output = values.output as string | undefined;
        return command === 'dot' ? runDot({ ...source, output, plan: values.plan === true }) : runExportOnnx({ ...source, output });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`axonic: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof AxonicError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`axonic: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
