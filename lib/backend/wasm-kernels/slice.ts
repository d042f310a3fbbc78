// Slice of a contiguous block (the common case: images [from, to) of a batch,
// as model.predict and the attribution batches cut them) as one copy inside
// the heap. tfjs-backend-wasm 4.22 first reads the whole input out of the heap
// into a fresh array (backend.readSync), so cutting a batch of 64 images in
// two copied 25 MB onto fresh pages: measured 1.3 ms per image of a 2.7 ms
// forward pass. Other slices (strided, strings) run the original kernel.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, Info, run } from './wasm-ops';

let originalOnly = false;
/** Runs tfjs-backend-wasm's own Slice for every slice (tests compare the two bit for bit). */
export function useOriginalSlice(on: boolean): void {
  originalOnly = on;
}

function slice(args: { inputs: { x: Info }; backend: BackendWasm; attrs: tf.SliceAttrs }): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
  if (originalOnly || x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    return run(backend, 'Slice', inputs, attrs as unknown as Record<string, unknown>);
  }
  const out = backend.makeOutput(size, x.dtype);
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  // Views only after makeOutput: an allocation may grow (and detach) the heap.
  const from = backend.typedArrayFromHeap(x);
  backend.typedArrayFromHeap(out).set(from.subarray(offset, offset + tf.util.sizeFromShape(size)));
  return out;
}

export const sliceConfig: tf.KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: slice as unknown as tf.KernelFunc,
};
