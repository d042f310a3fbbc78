// Equal with broadcasting, as a heap loop. tfjs-backend-wasm's broadcasting
// comparison walks every element through a generic index computation (~70 ms
// for the global-max-pool gradient's x [32,16,16,128] == max [32,1,1,128],
// i.e. ~15 M elements/s); same-shape inputs still go to the wasm kernel.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, Info, run } from './wasm-ops';

type Numeric = Float32Array | Int32Array | Uint8Array;

/** Per-axis strides of `shape` read as `outShape` (0 where it broadcasts). */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const rank = outShape.length;
  const padded = [...Array(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 && outShape[i] !== 1 ? 0 : s;
    s *= padded[i];
  }
  return strides;
}

function equal(args: { inputs: { a: Info; b: Info }; backend: BackendWasm; attrs: Record<string, unknown> }): Info {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  if (tf.util.arraysEqual(a.shape, b.shape) || a.dtype === 'string' || b.dtype === 'string') {
    return run(backend, 'Equal', inputs);
  }
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const out = backend.makeOutput(outShape, 'bool');
  const size = tf.util.sizeFromShape(outShape);
  if (size === 0) return out;
  const av = backend.typedArrayFromHeap(a) as Numeric;
  const bv = backend.typedArrayFromHeap(b) as Numeric;
  const ov = backend.typedArrayFromHeap(out) as Uint8Array;
  const rank = outShape.length;
  if (rank === 0) {
    ov[0] = av[0] === bv[0] ? 1 : 0;
    return out;
  }
  const sa = broadcastStrides(a.shape, outShape);
  const sb = broadcastStrides(b.shape, outShape);
  const inner = outShape[rank - 1];
  const ia = sa[rank - 1];
  const ib = sb[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < size; o += inner) {
    let pa = offA;
    let pb = offB;
    for (let k = 0; k < inner; k++, pa += ia, pb += ib) ov[o + k] = av[pa] === bv[pb] ? 1 : 0;
    // Odometer over the outer axes.
    for (let d = rank - 2; d >= 0; d--) {
      offA += sa[d];
      offB += sb[d];
      if (++index[d] < outShape[d]) break;
      offA -= sa[d] * outShape[d];
      offB -= sb[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}

export const equalConfig: tf.KernelConfig = {
  kernelName: 'Equal',
  backendName: 'wasm',
  kernelFunc: equal as unknown as tf.KernelFunc,
};
