// Conv2D (the forward convolution) on the wasm backend by smile-lens's SIMD
// convolution kernel (simd/conv-tile-kernel.ts) or its native twin, for NHWC
// inputs with output channels in whole f32x4 vectors and, for the wasm
// kernel, at least 16 input channels (directConv2DApplies); anything else runs tfjs-backend-wasm's own (XNNPACK) kernel. The same
// products are added in the same order as in XNNPACK's convolution, so
// outputs are bit-identical (test/wasm-kernels-bit-identical.test.ts). It
// measured ~1.2–1.3× faster (CPU time) on the paper network's second and third
// layers, and runs on smile-lens's helper threads on the threaded build.
import * as tf from '@tensorflow/tfjs';
import { TileLists, tilePixels, tileVectors } from './simd/conv-tiles';
import { address } from './simd/simd-module';
import { BackendWasm, free, heap, Info, run } from './wasm-ops';

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * Output channels in whole f32x4 vectors, and enough input channels to pay for
 * each tap's set-up: the wasm kernel measured slower than XNNPACK at 3 (the
 * image's channels, the first layer) and faster at 32 and 64; the native one
 * (16 output channels per vector) is faster at any count (2.7× at 3).
 */
export function directConv2DApplies(info: ConvInfo, dataFormat: string): boolean {
  if (dataFormat !== 'NHWC' || info.outChannels % 4 !== 0) return false;
  return info.inChannels >= 16 || tileVectors(info.outChannels) >= 4;
}

/** y [N, Ho, Wo, Cout] of an NHWC convolution (no bias, no activation). */
export function conv2dDirect(backend: BackendWasm, x: Info, filterInfo: Info, info: ConvInfo): Info {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: co, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterHeight: kh, filterWidth: kw } = info;
  const { top: pt, left: pl } = info.padInfo;
  const vectors = tileVectors(co);
  const width = 4 * vectors;
  const blocks = co / width;
  const tile = tilePixels(vectors);
  const tiles = new Array<number>(tile + 1).fill(0);
  TileLists.countRow(tiles, wo, n * ho);

  const y = backend.makeOutput([n, ho, wo, co], 'float32');
  const weights = backend.makeOutput([kh * kw * c * co], 'float32');
  const lists = new TileLists(backend, tiles, c);
  // Packed weights [block][tap][ci][lane] of w[kh, kw, ci, co].
  const wv = heap(backend, weights);
  const filter = heap(backend, filterInfo);
  let d = 0;
  for (let block = 0; block < blocks; block++) {
    for (let tap = 0; tap < kh * kw; tap++) {
      for (let ci = 0; ci < c; ci++) {
        const from = (tap * c + ci) * co + block * width;
        for (let l = 0; l < width; l++) wv[d++] = filter[from + l];
      }
    }
  }
  const [xPtr, yPtr, wPtr] = [address(backend, x), address(backend, y), address(backend, weights)];
  const pixelBytes = c * 4;
  const tapBytes = c * width * 4;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      // Tap rows r with input row oh·sh + r·dh − pt inside [0, h).
      const first = Math.max(0, Math.ceil((pt - oh * sh) / dh));
      const last = Math.min(kh - 1, Math.floor((h - 1 + pt - oh * sh) / dh));
      const rows = Math.max(0, last - first + 1);
      const base = xPtr + (b * h + oh * sh + first * dh - pt) * w * pixelBytes;
      const w0 = wPtr + first * kw * tapBytes;
      for (let ow0 = 0; ow0 < wo; ow0 += tile) {
        const out = yPtr + ((b * ho + oh) * wo + ow0) * co * 4;
        lists.add(Math.min(tile, wo - ow0), base, ow0 * sw - pl, rows, kw, w0, out, kh * kw * tapBytes);
      }
    }
  }
  lists.run({ kc: c, blocks, vectors, width: w, pixelBytes, rowStride: dh * w * pixelBytes, outStep: co * 4, pixelStride: sw, tapStride: dw });
  free(backend, weights);
  return y;
}

let xnnpackOnly = false;
/** Runs tfjs-backend-wasm's own Conv2D for every shape (tests compare the two bit for bit). */
export function useXnnpackConv2D(on: boolean): void {
  xnnpackOnly = on;
}

function conv2d(args: { inputs: { x: Info; filter: Info }; backend: BackendWasm; attrs: tf.Conv2DAttrs }): Info {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number],
    inputs.filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const empty = tf.util.sizeFromShape(inputs.x.shape) === 0 || tf.util.sizeFromShape(info.outShape) === 0;
  if (xnnpackOnly || empty || inputs.x.dtype !== 'float32' || !directConv2DApplies(info, dataFormat)) {
    return run(backend, 'Conv2D', inputs, attrs as unknown as Record<string, unknown>);
  }
  return conv2dDirect(backend, inputs.x, inputs.filter, info);
}

export const conv2dConfig: tf.KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2d as unknown as tf.KernelFunc,
};
