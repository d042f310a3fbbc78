// Per-channel (last axis) affine maps x·scale + shift as XNNPACK 1×1
// depthwise convolutions with bias: one pass at memory speed, where wasm's
// broadcasting Multiply + Add take two passes and a JS loop over per-channel
// arrays runs ~6× slower.
import { BackendWasm, free, heap, Info, run } from './wasm-ops';

/** A float32 tensor holding `values`. */
export function vector(backend: BackendWasm, values: ArrayLike<number>, shape: number[]): Info {
  const out = backend.makeOutput(shape, 'float32');
  heap(backend, out).set(values);
  return out;
}

/** x·scale + shift along the last axis of a 4-D tensor (shift optional). */
export function channelAffine(backend: BackendWasm, x: Info, scale: ArrayLike<number>, shift?: ArrayLike<number>): Info {
  const c = scale.length;
  const filter = vector(backend, scale, [1, 1, c, 1]);
  const bias = shift ? vector(backend, shift, [c]) : undefined;
  const inputs: Record<string, Info> = bias ? { x, filter, bias } : { x, filter };
  const out = run(backend, 'FusedDepthwiseConv2D', inputs, { strides: 1, pad: 'valid', dilations: 1, dataFormat: 'NHWC', activation: 'linear' });
  free(backend, filter, bias);
  return out;
}
