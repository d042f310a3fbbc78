// Conv2DBackpropFilter for the wasm backend (4.22 has none): im2col into the
// heap, then one BatchMatMul [KH·KW·Cin, M] × dy [M, Cout], which wasm runs
// through XNNPACK's GEMM when neither operand is transposed (transposeA takes
// a scalar path ~10× slower). XNNPACK packs its right operand on every call;
// dy is the smaller of the two candidates, so it goes there.
import * as tf from '@tensorflow/tfjs';
import { im2colChannelMajor } from './im2col';
import { BackendWasm, free, heap, Info, reshape, run, transpose, TO_NHWC } from './wasm-ops';

export function conv2dBackpropFilter(args: {
  inputs: { x: Info; dy: Info };
  backend: BackendWasm;
  attrs: tf.Conv2DBackpropFilterAttrs;
}): Info {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const channelsFirst = dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const nhwcX = channelsFirst ? transpose(backend, inputs.x, TO_NHWC) : inputs.x;
  const nhwcDy = channelsFirst ? transpose(backend, inputs.dy, TO_NHWC) : inputs.dy;

  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const cols = backend.makeOutput([taps, positions], 'float32');
  im2colChannelMajor(heap(backend, nhwcX), heap(backend, cols), {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });

  const dyMatrix = reshape(backend, nhwcDy, [positions, info.outChannels]);
  const product = run(backend, 'BatchMatMul', { a: cols, b: dyMatrix }, { transposeA: false, transposeB: false });
  const dw = reshape(backend, product, filterShape);
  free(backend, cols, dyMatrix, product);
  if (channelsFirst) free(backend, nhwcX, nhwcDy);
  return dw;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
