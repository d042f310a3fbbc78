// Conv2DBackpropFilter for the wasm backend (4.22 has none).
//
// Direct (output channels a multiple of 4): smile-lens's SIMD kernel
// (simd/filter-gradient-kernel.ts; its native twin for multiples of 16)
// reads x and dy where they lie, one output row and one filter tap at a time, and adds every product into dW in
// position order — the same float operations, in the same order, as the
// im2col path below, without its [KH·KW·Cin, M] matrix (38 MB for the second
// layer of the paper's network at batch 32) and without XNNPACK packing dy.
// Taps that fall in the zero padding are skipped: they add ±0 to a sum that
// starts at +0, which never changes it.
//
// im2col (any other shape): im2col into the heap, then one BatchMatMul
// [KH·KW·Cin, M] × dy [M, Cout], which wasm runs through XNNPACK's GEMM when
// neither operand is transposed (transposeA takes a scalar path ~10× slower).
// XNNPACK packs its right operand on every call; dy is the smaller of the two
// candidates, so it goes there.
import * as tf from '@tensorflow/tfjs';
import { activeNativeKernels, nativeThreads } from '../native/native-kernels';
import { im2colChannelMajor } from './im2col';
import { filterGradientExport } from './simd/filter-gradient-kernel';
import { address, KernelCall, shares, simdKernels } from './simd/simd-module';
import { BackendWasm, free, heap, Info, reshape, run, transpose, TO_NHWC } from './wasm-ops';

type ConvInfo = tf.backend_util.Conv2DInfo;

/** The direct path runs whole f32x4 vectors of output channels. */
export function directFilterGradientApplies(outChannels: number): boolean {
  return outChannels % 4 === 0;
}

/**
 * Calls covering output channels [coStart, coEnd) (a multiple of 4 wide):
 * input channels in blocks of 4 (then the rest), output channels in blocks of
 * 8 (then 4). Every output's sum is the same whichever block computes it.
 */
function calls(list: number, entries: number, c: number, co: number, sw: number, coStart: number, coEnd: number): KernelCall[] {
  const out: KernelCall[] = [];
  const ci4 = c - (c % 4);
  const co8 = coStart + (coEnd - coStart) - ((coEnd - coStart) % 8);
  for (const [ciStart, ciCount, block] of [[0, ci4, 4], [ci4, c - ci4, c - ci4]]) {
    if (ciCount === 0) continue;
    for (const [from, to, vectors] of [[coStart, co8, 2], [co8, coEnd, 1]]) {
      if (to === from) continue;
      out.push({ name: filterGradientExport(block, vectors), args: [list, entries, sw * c * 4, co * 4, co * 4, ciCount, to - from, ciStart * 4, from * 4, (ciStart * co + from) * 4] });
    }
  }
  return out;
}

/** dW [KH, KW, Cin, Cout] of an NHWC convolution, by the SIMD kernel. */
export function filterGradientDirect(backend: BackendWasm, x: Info, dy: Info, info: ConvInfo): Info {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: co, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dwl, filterHeight: kh, filterWidth: kw } = info;
  const { top: pt, left: pl } = info.padInfo;
  const dw = backend.makeOutput([kh, kw, c, co], 'float32');
  const list = backend.makeOutput([n * ho * kh * kw * 4], 'int32');
  heap(backend, dw).fill(0);
  const [xPtr, dyPtr, dwPtr] = [address(backend, x), address(backend, dy), address(backend, dw)];

  // Per column tap: the output columns whose input column lies inside the image.
  const cols = Array.from({ length: kw }, (_, j) => {
    const offset = j * dwl - pl;
    const begin = Math.min(wo, Math.max(0, Math.ceil(-offset / sw)));
    const end = Math.max(begin, Math.min(wo, Math.floor((w - 1 - offset) / sw) + 1));
    return { offset, begin, count: end - begin };
  });
  // (row, tap) entries in position order: xRow, dyRow, count, dwTap.
  const entries = backend.typedArrayFromHeap(list) as Int32Array;
  let e = 0;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const dyRowStart = dyPtr + (b * ho + oh) * wo * co * 4;
      for (let i = 0; i < kh; i++) {
        const ih = oh * sh + i * dh - pt;
        if (ih < 0 || ih >= h) continue;
        const xRowStart = xPtr + (b * h + ih) * w * c * 4;
        for (let j = 0; j < kw; j++) {
          const col = cols[j];
          if (col.count <= 0) continue;
          entries[e++] = xRowStart + (col.begin * sw + col.offset) * c * 4;
          entries[e++] = dyRowStart + col.begin * co * 4;
          entries[e++] = col.count;
          entries[e++] = dwPtr + (i * kw + j) * c * co * 4;
        }
      }
    }
  }
  const listPtr = address(backend, list);
  // Output channels in whole 16-float vectors: the native twin (its threads split the input channels).
  const native = co % 16 === 0 ? activeNativeKernels() : undefined;
  if (native) {
    native.filterGradient(entries.buffer as ArrayBuffer, listPtr, e / 4, sw * c * 4, co * 4, co * 4, c, co, nativeThreads());
    free(backend, list);
    return dw;
  }
  // Threads split the output channels, in whole vectors.
  const kernels = simdKernels(backend);
  const vectors = co / 4;
  const threads = Math.min(kernels.threads, vectors);
  kernels.parallel(shares(vectors, threads).map(([from, to]) => calls(listPtr, e / 4, c, co, sw, 4 * from, 4 * to)));
  free(backend, list);
  return dw;
}

/** dW by im2col + XNNPACK's GEMM (reshaped to filterShape). */
export function filterGradientIm2col(backend: BackendWasm, nhwcX: Info, nhwcDy: Info, info: ConvInfo, filterShape: number[]): Info {
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
  return dw;
}

let im2colOnly = false;
/** Runs the im2col path for every shape (tests compare the two paths bit for bit). */
export function useIm2colFilterGradient(on: boolean): void {
  im2colOnly = on;
}

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
  const direct = !im2colOnly && directFilterGradientApplies(info.outChannels);
  let dw: Info;
  if (direct) {
    const raw = filterGradientDirect(backend, nhwcX, nhwcDy, info);
    dw = reshape(backend, raw, filterShape);
    free(backend, raw);
  } else {
    dw = filterGradientIm2col(backend, nhwcX, nhwcDy, info, filterShape);
  }
  if (channelsFirst) free(backend, nhwcX, nhwcDy);
  return dw;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
