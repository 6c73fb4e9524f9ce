/// <reference types="@webgpu/types" preserve="true" />
/** The runtime's public surface (`axonic/runtime`): runs compiled programs without the compiler. */
export { getBackend, acquireBackend, describeBackend, checkDevice } from './device.ts';
export type { Backend, GpuBackend, CpuBackend } from './device.ts';
export { DeviceArray, readAll } from './device-array.ts';
export { Executable, type Argument } from './executor.ts';
export { stats, resetStats, type RuntimeStats } from './stats.ts';
export { poolFor, BufferPool } from './buffer-pool.ts';
export { evaluate } from './reference.ts';
export { loadArtifact, folder, type Artifact, type ArtifactSource } from './artifact/load.ts';
export { ArtifactModel } from './artifact/model.ts';
export { ArtifactError, validateManifest } from './artifact/validate.ts';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION, type Manifest, type ScheduleManifest, type PortInfo, type TensorInfo } from './artifact/manifest.ts';
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type NamedTensor } from './safetensors.ts';
