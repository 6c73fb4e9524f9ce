/**
 * The floor W3 is held to: a plain buffer copy kernel of the same size on the same device (axonic's),
 * one f32 per invocation, written the straightforward way; and a vec4 copy (4 f32 per invocation),
 * reported too because on lavapipe it is the faster of the two.
 */
import type { Contender, ContenderFactory } from './types.ts';

const WORKGROUP = 256;

/** Workgroup grid for `groups` workgroups, folded into 2-D past the 65 535 per-dimension limit. */
function grid(groups: number, maxPerDim: number): [number, number] {
  if (groups <= maxPerDim) return [groups, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y];
}

function copyWgsl(elements: number, vec4: boolean, gridX: number): string {
  const t = vec4 ? 'vec4<f32>' : 'f32';
  return `@group(0) @binding(0) var<storage, read> src: array<${t}>;
@group(0) @binding(1) var<storage, read_write> dst: array<${t}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * ${gridX * WORKGROUP}u;
  if (i < ${elements}u) {
    dst[i] = src[i];
  }
}
`;
}

export function copyContender(data: Float32Array<ArrayBuffer>, vec4: boolean): ContenderFactory {
  const name = vec4 ? 'copy vec4' : 'copy f32';
  return {
    name,
    async create(env): Promise<Contender> {
      const device = env.axonic.device;
      const bytes = data.byteLength;
      if (vec4 && data.length % 4) throw new Error('vec4 copy needs a multiple of 4 elements');
      const elements = vec4 ? data.length / 4 : data.length;
      const [gx, gy] = grid(Math.ceil(elements / WORKGROUP), device.limits.maxComputeWorkgroupsPerDimension);
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
      const src = device.createBuffer({ size: bytes, usage });
      const dst = device.createBuffer({ size: bytes, usage });
      device.queue.writeBuffer(src, 0, data);
      const pipeline = await device.createComputePipelineAsync({
        layout: 'auto',
        compute: { module: device.createShaderModule({ code: copyWgsl(elements, vec4, gx) }), entryPoint: 'main' },
      });
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: src } },
          { binding: 1, resource: { buffer: dst } },
        ],
      });
      return {
        name,
        async run() {
          const encoder = device.createCommandEncoder();
          const pass = encoder.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(gx, gy);
          pass.end();
          device.queue.submit([encoder.finish()]);
          await device.queue.onSubmittedWorkDone();
        },
        async check() {
          const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
          const encoder = device.createCommandEncoder();
          encoder.copyBufferToBuffer(dst, 0, staging, 0, bytes);
          device.queue.submit([encoder.finish()]);
          await staging.mapAsync(GPUMapMode.READ);
          const got = new Float32Array(staging.getMappedRange().slice(0));
          staging.destroy();
          let wrong = 0;
          for (let i = 0; i < data.length; i++) if (got[i] !== data[i]) wrong++;
          return { err: wrong / data.length };
        },
        dispose() {
          src.destroy();
          dst.destroy();
        },
      };
    },
  };
}
