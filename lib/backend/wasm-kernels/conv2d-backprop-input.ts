// Conv2DBackpropInput for the wasm backend, by sub-pixel decomposition.
//
// A stride-s convolution's input gradient is a transposed convolution. Instead
// of convolving a zero-dilated dy (s² times the work, three quarters of it on
// zeros at s=2), every output phase (i mod s, j mod s) is a stride-1
// correlation of dy with the filter taps of that phase (2×2, 2×1, 1×2 and 1×1
// for a 3×3 filter at stride 2: 9 taps in all, no zeros).
//
// Direct (input channels a multiple of 4): smile-lens's SIMD convolution
// kernel computes every dx pixel where it lies, from its phase's taps, in
// tiles of four pixels of one phase — the same products in the same order as
// the per-phase path, without its outputs or its interleaving pass (~1.5×
// faster, CPU time, on the paper network's layers).
// Per phase (any other shape): each phase is one XNNPACK Conv2D; a heap pass
// interleaves the phases into dx. (One merged conv with s²·Cin outputs and
// zero-padded 2×2 taps measured ~1.6× slower at 32 and 64 channels.)
//
// 1-D derivation: y[o] = Σ_k x[s·o + k − p]·w[k]. For i + p = s·m + r,
// dx[i] = Σ_t dy[m − t]·w[s·t + r] over the T_r = ⌈(K−r)/s⌉ taps of phase r,
// i.e. a correlation of dy, front-padded by T_r − 1, with v[u] = w[s·(T_r−1−u) + r].
import * as tf from '@tensorflow/tfjs';
import { paddedLanes, TileLists, tilePixels, tileVectors } from './simd/conv-tiles';
import { address } from './simd/simd-module';
import { BackendWasm, free, heap, Info, run, transpose, TO_NCHW, TO_NHWC } from './wasm-ops';

type ConvInfo = tf.backend_util.Conv2DInfo;

/** Taps of phase r for a K-tap filter at stride s. */
export function phaseTaps(k: number, s: number, r: number): number {
  return r >= k ? 0 : Math.ceil((k - r) / s);
}

/** Phase (rh, rw)'s filter [T_h, T_w, Cout, Cin] (flipped, in/out swapped) from w [K_h, K_w, Cin, Cout]. */
export function phaseFilter(
  w: Float32Array,
  dst: Float32Array,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
  sh: number,
  sw: number,
  rh: number,
  rw: number,
): void {
  const th = phaseTaps(kh, sh, rh);
  const tw = phaseTaps(kw, sw, rw);
  let d = 0;
  for (let uh = 0; uh < th; uh++) {
    const fh = sh * (th - 1 - uh) + rh;
    for (let uw = 0; uw < tw; uw++) {
      const fw = sw * (tw - 1 - uw) + rw;
      const tap = (fh * kw + fw) * cin * cout;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) dst[d++] = w[tap + ci * cout + co];
      }
    }
  }
}

/** Output rows [lo, hi) of phase r that land inside dx: i = s·m + r − p ∈ [0, size). */
function phaseRange(size: number, s: number, r: number, p: number): [number, number] {
  const lo = Math.max(0, Math.ceil((p - r) / s));
  const hi = Math.floor((size - 1 + p - r) / s) + 1;
  return [lo, Math.max(lo, hi)];
}

/** Copies phase z [N, Mh, Mw, C] (rows/cols from lo) into dx [N, H, W, C] at i = s·m + r − p. */
function scatterPhase(
  z: Float32Array,
  dx: Float32Array,
  n: number,
  zh: number,
  zw: number,
  c: number,
  h: number,
  w: number,
  [loH, hiH]: [number, number],
  [loW, hiW]: [number, number],
  sh: number,
  sw: number,
  offH: number,
  offW: number,
): void {
  const runLen = (hiW - loW) * c;
  for (let b = 0; b < n; b++) {
    for (let m = loH; m < hiH; m++) {
      const i = sh * m + offH;
      let src = ((b * zh + m) * zw + loW) * c;
      let dst = ((b * h + i) * w + sw * loW + offW) * c;
      if (sw === 1) {
        dx.set(z.subarray(src, src + runLen), dst);
        continue;
      }
      const step = (sw - 1) * c;
      for (let mw = loW; mw < hiW; mw++, dst += step) {
        for (let k = 0; k < c; k++) dx[dst++] = z[src++];
      }
    }
  }
}

/** dx (NHWC) by one XNNPACK Conv2D per phase and an interleaving pass. */
export function inputGradientPhases(backend: BackendWasm, dy: Info, filterInfo: Info, info: ConvInfo): Info {
  const inputs = { filter: filterInfo };
  const { batchSize: n, filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
  const { top: pt, left: pl } = info.padInfo;

  // Each phase's correlation, rows/columns [0, hi) of which [lo, hi) land in dx.
  const phases: { z: Info; rangeH: [number, number]; rangeW: [number, number]; rh: number; rw: number }[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const th = phaseTaps(kh, sh, rh);
      const tw = phaseTaps(kw, sw, rw);
      const rangeH = phaseRange(h, sh, rh, pt);
      const rangeW = phaseRange(w, sw, rw, pl);
      if (th === 0 || tw === 0 || rangeH[1] === rangeH[0] || rangeW[1] === rangeW[0]) continue;
      const [zh, zw] = [rangeH[1], rangeW[1]];
      // dy rows at or past hi never reach rows below hi.
      let source = dy;
      if (ho > zh || wo > zw) {
        source = run(backend, 'Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [n, Math.min(ho, zh), Math.min(wo, zw), cout] });
      }
      const filter = backend.makeOutput([th, tw, cout, cin], 'float32');
      phaseFilter(heap(backend, inputs.filter), heap(backend, filter), kh, kw, cin, cout, sh, sw, rh, rw);
      const padding = [
        [0, 0],
        [th - 1, zh - source.shape[1]],
        [tw - 1, zw - source.shape[2]],
        [0, 0],
      ];
      const z = run(backend, 'Conv2D', { x: source, filter }, { strides: 1, pad: padding, dataFormat: 'NHWC', dilations: 1 });
      free(backend, filter);
      if (source !== dy) free(backend, source);
      phases.push({ z, rangeH, rangeW, rh, rw });
    }
  }

  let dx: Info;
  const mh = h / sh;
  const mw = w / sw;
  const tiles = phases.length === sh * sw && pt === 0 && pl === 0 && Number.isInteger(mh) && Number.isInteger(mw);
  if (sh * sw > 1 && tiles && phases.every((q) => q.rangeH[0] === 0 && q.rangeH[1] === mh && q.rangeW[0] === 0 && q.rangeW[1] === mw)) {
    // The phases tile dx exactly (the usual 'same', even size): write each dx
    // row once, front to back, alternating between the phases of its row.
    // (wasm's Transpose of the stacked phases is ~5× slower than this.)
    dx = backend.makeOutput([n, h, w, cin], 'float32');
    const out = heap(backend, dx);
    const sources = phases.map((q) => heap(backend, q.z));
    const rowLen = mw * cin;
    let d = 0;
    for (let b = 0; b < n; b++) {
      for (let m = 0; m < mh; m++) {
        for (let rh = 0; rh < sh; rh++) {
          const base = (b * mh + m) * rowLen;
          for (let col = 0; col < rowLen; col += cin) {
            for (let rw = 0; rw < sw; rw++) {
              const src = sources[rh * sw + rw];
              const end = base + col + cin;
              for (let k = base + col; k < end; k++) out[d++] = src[k];
            }
          }
        }
      }
    }
    free(backend, ...phases.map((q) => q.z));
  } else {
    dx = backend.makeOutput([n, h, w, cin], 'float32');
    const out = heap(backend, dx);
    // Phases without taps (filter smaller than the stride) leave zeros behind.
    if (phases.length < sh * sw) out.fill(0);
    for (const q of phases) {
      scatterPhase(heap(backend, q.z), out, n, q.rangeH[1], q.rangeW[1], cin, h, w, q.rangeH, q.rangeW, sh, sw, q.rh - pt, q.rw - pl);
      free(backend, q.z);
    }
  }
  return dx;
}

/** The direct kernel runs whole f32x4 vectors of input channels; the native one also pads fewer than 16 (the image's 3) to one vector. */
export function directInputGradientApplies(inChannels: number): boolean {
  return paddedLanes(inChannels) % 4 === 0;
}

/**
 * dx (NHWC) by smile-lens's SIMD convolution kernel (simd/conv-tile-kernel.ts):
 * every dx pixel is computed where it lies, from the taps of its phase — no
 * per-phase outputs, no interleaving pass.
 */
export function inputGradientDirect(backend: BackendWasm, dy: Info, filterInfo: Info, info: ConvInfo): Info {
  const { batchSize: n, filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo } = info;
  const { top: pt, left: pl } = info.padInfo;
  const lanes = paddedLanes(cin);
  const vectors = tileVectors(lanes);
  const width = 4 * vectors;
  const blocks = lanes / width;

  // Phases (rh, rw): taps, and the dx columns j = sw·mw + rw − pl they cover.
  const phases = Array.from({ length: sh * sw }, (_, q) => ({ th: phaseTaps(kh, sh, Math.floor(q / sw)), tw: phaseTaps(kw, sw, q % sw), weights: 0 }));
  let weightCount = 0;
  for (const q of phases) {
    q.weights = weightCount;
    weightCount += q.th * q.tw * cout * lanes;
  }
  const columns = Array.from({ length: sw }, (_, rw) => {
    const lo = Math.max(0, Math.ceil((pl - rw) / sw));
    return { lo, count: Math.max(0, Math.floor((w - 1 + pl - rw) / sw) + 1 - lo) };
  });
  const tile = tilePixels(vectors);
  const tiles = new Array<number>(tile + 1).fill(0);
  for (const { count } of columns) TileLists.countRow(tiles, count, n * h);
  const dx = backend.makeOutput([n, h, w, cin], 'float32');
  const weights = backend.makeOutput([Math.max(1, weightCount)], 'float32');
  const lists = new TileLists(backend, tiles, cout);
  // Packed weights per phase: [block][tap (uh, uw)][co][lane] of the flipped filter w[fh, fw, ci, co].
  const wv = heap(backend, weights);
  const filter = heap(backend, filterInfo);
  phases.forEach(({ th, tw, weights: start }, q) => {
    const [rh, rw] = [Math.floor(q / sw), q % sw];
    let d = start;
    for (let block = 0; block < blocks; block++) {
      for (let uh = 0; uh < th; uh++) {
        const fh = sh * (th - 1 - uh) + rh;
        for (let uw = 0; uw < tw; uw++) {
          const tap = (fh * kw + sw * (tw - 1 - uw) + rw) * cin * cout;
          for (let co = 0; co < cout; co++) {
            for (let l = 0; l < width; l++) wv[d++] = block * width + l < cin ? filter[tap + (block * width + l) * cout + co] : 0;
          }
        }
      }
    }
  });
  const [dyPtr, dxPtr, wPtr] = [address(backend, dy), address(backend, dx), address(backend, weights)];
  const rowBytes = cout * 4;
  const tapBytes = cout * width * 4;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const rh = (((i + pt) % sh) + sh) % sh;
      const m = (i + pt - rh) / sh;
      for (let rw = 0; rw < sw; rw++) {
        const { th, tw, weights: start } = phases[rh * sw + rw];
        // Tap rows uh ∈ [first, last] read dy rows m − (th − 1) + uh inside [0, ho).
        const first = Math.max(0, th - 1 - m);
        const last = Math.min(th - 1, ho - 1 - m + th - 1);
        const rows = tw > 0 ? Math.max(0, last - first + 1) : 0;
        const dyBase = dyPtr + (b * ho + m - (th - 1) + first) * wo * rowBytes;
        const w0 = wPtr + start * 4 + first * tw * tapBytes;
        const { lo, count } = columns[rw];
        for (let mw0 = lo; mw0 < lo + count; mw0 += tile) {
          const out = dxPtr + ((b * h + i) * w + sw * mw0 + rw - pl) * cin * 4;
          lists.add(Math.min(tile, lo + count - mw0), dyBase, mw0 - (tw - 1), rows, tw, w0, out, th * tw * tapBytes);
        }
      }
    }
  }
  lists.run({ kc: cout, blocks, vectors, width: wo, pixelBytes: rowBytes, rowStride: wo * rowBytes, outStep: sw * cin * 4, pixelStride: 1, tapStride: 1, stored: lanes === cin ? undefined : cin });
  free(backend, weights);
  return dx;
}

let phasesOnly = false;
/** Runs the per-phase XNNPACK path for every shape (tests compare the two paths bit for bit). */
export function usePhaseInputGradient(on: boolean): void {
  phasesOnly = on;
}

export function conv2dBackpropInput(args: {
  inputs: { dy: Info; filter: Info };
  backend: BackendWasm;
  attrs: tf.Conv2DBackpropInputAttrs;
}): Info {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const channelsFirst = dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    inputs.filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const dy = channelsFirst ? transpose(backend, inputs.dy, TO_NHWC) : inputs.dy;
  const direct = !phasesOnly && directInputGradientApplies(info.inChannels);
  const dx = direct ? inputGradientDirect(backend, dy, inputs.filter, info) : inputGradientPhases(backend, dy, inputs.filter, info);
  if (channelsFirst) {
    free(backend, dy);
    const nchw = transpose(backend, dx, TO_NCHW);
    free(backend, dx);
    return nchw;
  }
  return dx;
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
