// Registers, on the wasm backend, the training kernels that tfjs-backend-wasm
// 4.22 lacks (Conv2DBackpropFilter) or runs slowly (Conv2D, Conv2DBackpropInput,
// FusedBatchNorm, Identity, broadcasting Equal, Tile, contiguous Slice), routes batch-norm
// training and bias-free convolutions through cheaper gradients, and
// gives SMILE_LENS_WASM_THREADS to the native convolutions where they run,
// else to the threaded wasm build.
// One concept per file beside this one.
import * as tf from '@tensorflow/tfjs';
import { batchNormBackwardConfig, batchNormForwardConfig } from './batch-norm-kernels';
import { installBatchNormTraining } from './batch-norm-training';
import { conv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { equalConfig } from './equal';
import { fusedBatchNormConfig } from './fused-batch-norm';
import { identityConfig } from './identity';
import { installLazyConvGradient } from './lazy-conv-gradient';
import { nativeKernels, useNativeThreads } from '../native/native-kernels';
import { sliceConfig } from './slice';
import { tileConfig } from './tile';
import { captureOriginal } from './wasm-ops';
import { requestedWasmThreads, useThreadedWasm } from './wasm-threads';

const KERNELS: tf.KernelConfig[] = [
  conv2dConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  batchNormForwardConfig,
  batchNormBackwardConfig,
  identityConfig,
  equalConfig,
  tileConfig,
  fusedBatchNormConfig,
  sliceConfig,
];

let registered: string | undefined;

/** Registers them (once); returns which convolution kernels run, and why not the native ones. */
export function registerTrainingKernels(): string {
  if (registered) return registered;
  // tfjs-backend-wasm registers its kernels when it is first required.
  require('@tensorflow/tfjs-backend-wasm');
  for (const config of KERNELS) {
    const original = tf.getKernel(config.kernelName, 'wasm');
    if (original) {
      captureOriginal(config.kernelName);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    // The backend runs setupFunc (binding the C++ entry point) only for kernels
    // registered when it initialises: keep the original's, ours may call it.
    tf.registerKernel({ ...config, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc });
  }
  installBatchNormTraining();
  installLazyConvGradient();
  const threads = requestedWasmThreads();
  const native = nativeKernels();
  if (native.kernels) {
    // The threads go to the native convolutions (the rest stays on one):
    // the threaded wasm build's heap is a SharedArrayBuffer, which Node 20's
    // Node-API cannot hand to native code.
    useNativeThreads(threads);
    return (registered = `convolutions: native ${native.description}${threads > 1 ? ` on ${threads} threads` : ''}`);
  }
  if (threads > 1) useThreadedWasm(threads);
  return (registered = `convolutions: wasm SIMD${threads > 1 ? ` on ${threads} threads` : ''}; native kernels off: ${native.reason}`);
}
