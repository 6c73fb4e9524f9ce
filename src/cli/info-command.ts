import { describeBackend, getBackend } from '../../runtime/device.ts';

/** `axonic info`: the adapter axonic runs on and the limits code generation reads. */
export async function runInfo(): Promise<number> {
  const backend = await getBackend();
  process.stdout.write(`${describeBackend(backend)}\n`);
  if (backend.kind === 'webgpu')
    for (const [k, v] of Object.entries(backend.limits)) process.stdout.write(`  ${k}: ${v}\n`);
  return 0;
}
