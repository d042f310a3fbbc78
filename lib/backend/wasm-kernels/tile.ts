// Tile as block copies in the heap. tfjs-backend-wasm's Tile computes every
// output element's source index (~20 M elements/s); tfjs-core's batch-norm
// gradient tiles a per-channel vector to the full activation shape (225 ms
// for [32,64,64,32]). Here each input row is copied once per repetition of
// the last axis, then whole blocks are replicated with copyWithin, outermost
// axes last.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, Info, run } from './wasm-ops';

type Numeric = Float32Array | Int32Array | Uint8Array;

function tile(args: { inputs: { x: Info }; backend: BackendWasm; attrs: { reps: number[] } }): Info {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  const rank = x.shape.length;
  if (x.dtype === 'string' || rank === 0 || reps.length !== rank) return run(backend, 'Tile', inputs, attrs);
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x) as Numeric;
  const dst = backend.typedArrayFromHeap(out) as Numeric;
  const outStrides = [...tf.util.computeStrides(outShape), 1];
  const rowLen = x.shape[rank - 1];
  const rowReps = reps[rank - 1];

  // Input rows into their places in the first copy of every outer axis.
  const rows = tf.util.sizeFromShape(x.shape.slice(0, -1));
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  let d0 = 0;
  for (let r = 0, s = 0; r < rows; r++, s += rowLen) {
    const row = src.subarray(s, s + rowLen);
    for (let k = 0; k < rowReps; k++) dst.set(row, d0 + k * rowLen);
    for (let a = rank - 2; a >= 0; a--) {
      d0 += outStrides[a];
      if (++index[a] < x.shape[a]) break;
      d0 -= outStrides[a] * x.shape[a];
      index[a] = 0;
    }
  }
  // Replicate along axis a, for every prefix inside the input's extent.
  for (let a = rank - 2; a >= 0; a--) {
    if (reps[a] === 1) continue;
    const block = x.shape[a] * outStrides[a];
    const prefixes = tf.util.sizeFromShape(x.shape.slice(0, a));
    const prefixIndex = new Array<number>(a).fill(0);
    let base = 0;
    for (let p = 0; p < prefixes; p++) {
      for (let k = 1; k < reps[a]; k++) dst.copyWithin(base + k * block, base, base + block);
      for (let b = a - 1; b >= 0; b--) {
        base += outStrides[b];
        if (++prefixIndex[b] < x.shape[b]) break;
        base -= outStrides[b] * x.shape[b];
        prefixIndex[b] = 0;
      }
    }
  }
  return out;
}

export const tileConfig: tf.KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: tile as unknown as tf.KernelFunc,
};
