// Identity as an alias, as the cpu backend does it. tfjs-backend-wasm copies
// the data, and the engine calls Identity for every tensor a gradient saves
// (engine.clone), so a training step copied every conv and batch-norm input
// once more. tfjs tensors are immutable, so sharing the buffer is safe; the
// backend's reference count frees it with the last user.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, Info } from './wasm-ops';

function identity(args: { inputs: { x: Info }; backend: BackendWasm }): Info {
  const { x } = args.inputs;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as tf.KernelFunc,
};
