// Calls wasm kernels directly on TensorInfos, the way tfjs-backend-wasm's own
// composite kernels do. Going through tf.* ops inside a kernel would register
// every intermediate with the engine (and with the gradient tape's bookkeeping);
// here intermediates live only in the backend and are freed with `free`.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };
export type Info = tf.TensorInfo;

/** The original wasm kernel functions, captured before any of ours replaces one. */
const originals = new Map<string, tf.KernelFunc>();

export function captureOriginal(kernelName: string): void {
  if (originals.has(kernelName)) return;
  const config = tf.getKernel(kernelName, 'wasm');
  if (config) originals.set(kernelName, config.kernelFunc);
}

export function run(
  backend: BackendWasm,
  kernelName: string,
  inputs: Record<string, Info>,
  attrs: Record<string, unknown> = {},
): Info {
  const func = originals.get(kernelName) ?? tf.getKernel(kernelName, 'wasm')?.kernelFunc;
  if (!func) throw new Error(`wasm kernel ${kernelName} is not registered`);
  const out = func({ inputs, backend, attrs } as unknown as Parameters<tf.KernelFunc>[0]);
  if (Array.isArray(out)) throw new Error(`wasm kernel ${kernelName} returned several outputs`);
  return out;
}

export function free(backend: BackendWasm, ...infos: (Info | undefined)[]): void {
  for (const info of infos) if (info) backend.disposeData(info.dataId);
}

export function reshape(backend: BackendWasm, x: Info, shape: number[]): Info {
  return run(backend, 'Reshape', { x }, { shape });
}

export function transpose(backend: BackendWasm, x: Info, perm: number[]): Info {
  return run(backend, 'Transpose', { x }, { perm });
}

/**
 * A float32 view of a tensor's bytes in the wasm heap. Any allocation can grow
 * (and so detach) the heap: take views only after the last makeOutput.
 */
export function heap(backend: BackendWasm, x: Info): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

/** Converts NCHW ↔ NHWC when a kernel is called with dataFormat 'NCHW'. */
export const TO_NHWC = [0, 2, 3, 1];
export const TO_NCHW = [0, 3, 1, 2];
