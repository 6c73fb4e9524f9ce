/**
 * Counters of the work the runtime hands to WebGPU, for tests and benchmarks that check how many
 * submissions, dispatches and transfers a call costs. Counted where the runtime issues the work,
 * so other libraries sharing the device are not counted.
 */
export const stats = {
  /** queue.submit calls (one per Executable.run, one per readback). */
  submissions: 0,
  /** dispatchWorkgroups calls actually recorded (zero-sized dispatches are skipped). */
  dispatches: 0,
  /** Host-to-device writes of tensor data (arguments, constants, DeviceArray.fromHost). */
  uploads: 0,
  /** Device-to-host reads (one per data() call, one per readAll call). */
  readbacks: 0,
  /** Compute pipelines compiled (cache misses of the pipeline cache). */
  pipelinesCreated: 0,
  /** GPU buffers created (buffer-pool misses). */
  buffersCreated: 0,
  /** Bind groups created (bind-group cache misses). */
  bindGroupsCreated: 0,
};

export type RuntimeStats = typeof stats;

export function resetStats(): void {
  for (const key of Object.keys(stats) as (keyof RuntimeStats)[]) stats[key] = 0;
}
