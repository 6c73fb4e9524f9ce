/// <reference types="@webgpu/types" preserve="true" />
/** The runtime's public surface (`axonic/runtime`): runs compiled programs without the compiler. */
export { getBackend, acquireBackend, describeBackend, checkDevice } from './device.ts';
export type { Backend, GpuBackend, CpuBackend } from './device.ts';
export { DeviceArray, readAll } from './device-array.ts';
export { Executable, type Argument } from './executor.ts';
export { stats, resetStats, type RuntimeStats } from './stats.ts';
export { poolFor, BufferPool } from './buffer-pool.ts';
export { evaluate } from './reference.ts';
