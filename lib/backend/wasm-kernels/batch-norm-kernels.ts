// Training-mode batch normalisation over all axes but the last, as two wasm
// kernels. tfjs builds the same thing from moments + FusedBatchNorm, whose
// gradient (tfjs-core) takes ~25 full-size broadcasting ops per layer, one of
// them a Tile that wasm runs at a few M elements/s.
//
// Every full-size pass here is an XNNPACK op (~0.5 ns/element, where a JS
// loop indexing per-channel arrays takes ~3 ns): per-channel sums are average
// pools over each image, per-channel affine maps are 1×1 depthwise
// convolutions with bias. Forward: mean, centred square, variance, x̂, y;
// backward: Σdy, Σdy·x̂, then dx = a·dy + b·x̂ + c per channel. x̂ is saved
// instead of x, so no sum ever subtracts two large numbers (the variance is
// the mean of centred squares, as in tf.moments; biased, divide by the count).
// The per-image partial means are combined in float64.
//
// When the channels come in whole f32x4 vectors, the full-size passes between
// the sums are fused into smile-lens's SIMD kernels (simd/batch-norm-kernel.ts:
// the same float operations per element, bit-identical): forward x → c² and
// x → (x̂, y); backward (dy, x̂) → dx, split over wasm's threads.
import * as tf from '@tensorflow/tfjs';
import { channelAffine, vector } from './channel-affine';
import { address, KernelCall, shares, simdKernels } from './simd/simd-module';
import { BackendWasm, free, heap, Info, reshape, run } from './wasm-ops';

let unfusedOnly = false;
/** Runs the unfused XNNPACK passes for every shape (tests compare the two bit for bit). */
export function useUnfusedBatchNorm(on: boolean): void {
  unfusedOnly = on;
}

function fused(l: Layout): boolean {
  return !unfusedOnly && l.channels % 4 === 0;
}

/** Runs a batch_norm_* kernel over all positions, split over the threads. */
function runFused(backend: BackendWasm, name: string, arrays: Info[], l: Layout, params: Info[]): void {
  const kernels = simdKernels(backend);
  const positions = l.groups * l.length;
  const base = arrays.map((a) => address(backend, a));
  const paramPtrs = params.map((p) => address(backend, p));
  const calls: KernelCall[][] = shares(positions, kernels.threads).map(([from, to]) =>
    to > from ? [{ name, args: [...base.map((b) => b + from * l.channels * 4), to - from, l.channels, ...paramPtrs] }] : [],
  );
  kernels.parallel(calls);
}

export const BATCH_NORM_FORWARD = 'SmileLensBatchNormTrainForward';
export const BATCH_NORM_BACKWARD = 'SmileLensBatchNormTrainBackward';

interface Layout {
  channels: number;
  /** Leading axis, pooled separately and combined in float64. */
  groups: number;
  /** Positions per group. */
  length: number;
  /** [groups, 1, length, channels]: what the pools and 1×1 convolutions see. */
  shape: number[];
}

function layoutOf(x: Info): Layout {
  const channels = x.shape[x.shape.length - 1];
  const count = tf.util.sizeFromShape(x.shape) / channels;
  const groups = x.shape.length >= 3 ? x.shape[0] : 1;
  const length = count / groups;
  return { channels, groups, length, shape: [groups, 1, length, channels] };
}

/** Per-channel mean over all positions of a [groups, 1, length, C] tensor. */
function channelMeans(backend: BackendWasm, x: Info, l: Layout): Float64Array {
  const pooled = run(backend, 'AvgPool', { x }, { filterSize: [1, l.length], strides: 1, pad: 'valid' });
  const p = heap(backend, pooled);
  const means = new Float64Array(l.channels);
  for (let g = 0; g < l.groups; g++) for (let c = 0; c < l.channels; c++) means[c] += p[g * l.channels + c];
  free(backend, pooled);
  for (let c = 0; c < l.channels; c++) means[c] /= l.groups;
  return means;
}

/** inputs x, gamma, beta; attrs epsilon → [y, mean, variance, x̂]. */
function forward(args: { inputs: { x: Info; gamma: Info; beta: Info }; backend: BackendWasm; attrs: { epsilon: number } }): Info[] {
  const { inputs, backend, attrs } = args;
  const l = layoutOf(inputs.x);
  const gamma = Float64Array.from(heap(backend, inputs.gamma));
  const beta = Float64Array.from(heap(backend, inputs.beta));
  const x = reshape(backend, inputs.x, l.shape);

  const mean = channelMeans(backend, x, l);
  if (fused(l)) {
    const negMean = vector(backend, mean.map((m) => -m), [l.channels]);
    const squares = backend.makeOutput(l.shape, 'float32');
    runFused(backend, 'batch_norm_centred_square', [x, squares], l, [negMean]);
    const variance = channelMeans(backend, squares, l);
    free(backend, squares);
    const scale = vector(backend, variance.map((v) => 1 / Math.sqrt(v + attrs.epsilon)), [l.channels]);
    const [gammaF, betaF] = [vector(backend, gamma, [l.channels]), vector(backend, beta, [l.channels])];
    const xHat4 = backend.makeOutput(l.shape, 'float32');
    const y4 = backend.makeOutput(l.shape, 'float32');
    runFused(backend, 'batch_norm_normalise', [x, xHat4, y4], l, [negMean, scale, gammaF, betaF]);
    free(backend, x, negMean, scale, gammaF, betaF);
    return forwardOutputs(backend, inputs.x.shape, l, y4, xHat4, mean, variance);
  }
  const centred = channelAffine(backend, x, new Float64Array(l.channels).fill(1), mean.map((m) => -m));
  free(backend, x);
  const squares = run(backend, 'Square', { x: centred });
  const variance = channelMeans(backend, squares, l);
  free(backend, squares);
  const xHat4 = channelAffine(backend, centred, variance.map((v) => 1 / Math.sqrt(v + attrs.epsilon)));
  free(backend, centred);
  const y4 = channelAffine(backend, xHat4, gamma, beta);
  return forwardOutputs(backend, inputs.x.shape, l, y4, xHat4, mean, variance);
}

/** [y, mean, variance, x̂] in the input's shape; frees the 4-D y and x̂. */
function forwardOutputs(backend: BackendWasm, shape: number[], l: Layout, y4: Info, xHat4: Info, mean: Float64Array, variance: Float64Array): Info[] {
  const outputs = [reshape(backend, y4, shape), vector(backend, mean, [l.channels]), vector(backend, variance, [l.channels]), reshape(backend, xHat4, shape)];
  free(backend, y4, xHat4);
  return outputs;
}

/** inputs xHat, dy, variance, gamma; attrs epsilon → [dx, dgamma, dbeta]. */
function backward(args: {
  inputs: { xHat: Info; dy: Info; variance: Info; gamma: Info };
  backend: BackendWasm;
  attrs: { epsilon: number };
}): Info[] {
  const { inputs, backend, attrs } = args;
  const l = layoutOf(inputs.xHat);
  const count = l.groups * l.length;
  const gamma = heap(backend, inputs.gamma);
  const variance = heap(backend, inputs.variance);
  const xHat = reshape(backend, inputs.xHat, l.shape);
  const dy = reshape(backend, inputs.dy, l.shape);

  const dBeta = channelMeans(backend, dy, l).map((m) => m * count);
  const product = run(backend, 'Multiply', { a: dy, b: xHat });
  const dGamma = channelMeans(backend, product, l).map((m) => m * count);
  free(backend, product);
  // dx = γr·(dy − dβ/M − x̂·dγ/M), with r = 1/√(var+ε) and M = count.
  const a = new Float64Array(l.channels);
  const b = new Float64Array(l.channels);
  const c = new Float64Array(l.channels);
  for (let k = 0; k < l.channels; k++) {
    a[k] = gamma[k] / Math.sqrt(variance[k] + attrs.epsilon);
    b[k] = (-a[k] * dGamma[k]) / count;
    c[k] = (-a[k] * dBeta[k]) / count;
  }
  let dx4: Info;
  if (fused(l)) {
    const params = [a, b, c].map((v) => vector(backend, v, [l.channels]));
    dx4 = backend.makeOutput(l.shape, 'float32');
    runFused(backend, 'batch_norm_input_gradient', [dy, xHat, dx4], l, params);
    free(backend, xHat, dy, ...params);
  } else {
    const fromXHat = channelAffine(backend, xHat, b, c);
    const fromDy = channelAffine(backend, dy, a);
    dx4 = run(backend, 'Add', { a: fromDy, b: fromXHat });
    free(backend, xHat, dy, fromXHat, fromDy);
  }

  const outputs = [reshape(backend, dx4, inputs.xHat.shape), vector(backend, dGamma, [l.channels]), vector(backend, dBeta, [l.channels])];
  free(backend, dx4);
  return outputs;
}

export const batchNormForwardConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_FORWARD,
  backendName: 'wasm',
  kernelFunc: forward as unknown as tf.KernelFunc,
};

export const batchNormBackwardConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_BACKWARD,
  backendName: 'wasm',
  kernelFunc: backward as unknown as tf.KernelFunc,
};
