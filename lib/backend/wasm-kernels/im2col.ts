// im2col in channel-major ("transposed") layout, written straight into the
// wasm heap: row (kh, kw, ci) holds, for every output position (n, oh, ow), the
// input value that filter tap (kh, kw) sees. Multiplying this [KH·KW·Cin, M]
// matrix by dy as [M, Cout] gives the filter gradient in its own layout
// [KH, KW, Cin, Cout], with no transpose of the big operands.
//
// tfjs-backend-wasm's strided slice and channel-axis concat run at ~10 M
// elements/s; these loops do a few hundred M/s. The source is read one input
// row (W·Cin values, a few KB: it stays in L1) at a time, so x needs no
// transpose to channel-major first (the wasm Transpose that moves the
// innermost axis costs as much as the gather itself).

export interface Im2ColGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * `src` is the input as [N, H, W, Cin] (NHWC); `dst` receives
 * [KH·KW·Cin, N·Ho·Wo] (taps outermost, then channel).
 */
export function im2colChannelMajor(src: Float32Array, dst: Float32Array, g: Im2ColGeometry): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = g;
  const sh = g.strideHeight;
  const sw = g.strideWidth;
  const positions = N * Ho * Wo;
  const step = sw * C;
  if (dst.length !== g.filterHeight * g.filterWidth * C * positions) throw new Error(`im2col: destination has ${dst.length} values`);
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const rowOffset = kh * g.dilationHeight - g.padTop;
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth - g.padLeft;
      // Output columns whose input column lies inside the image: iw = ow·sw + colOffset ∈ [0, W).
      const owBegin = Math.min(Wo, Math.max(0, Math.ceil(-colOffset / sw)));
      const owEnd = Math.max(owBegin, Math.min(Wo, Math.floor((W - 1 - colOffset) / sw) + 1));
      const tapRow = (kh * g.filterWidth + kw) * C;
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh + rowOffset;
          const position = (n * Ho + oh) * Wo;
          if (ih < 0 || ih >= H) {
            for (let c = 0; c < C; c++) dst.fill(0, (tapRow + c) * positions + position, (tapRow + c) * positions + position + Wo);
            continue;
          }
          const rowStart = ((n * H + ih) * W + owBegin * sw + colOffset) * C;
          for (let c = 0; c < C; c++) {
            const d0 = (tapRow + c) * positions + position;
            if (owBegin > 0) dst.fill(0, d0, d0 + owBegin);
            let s = rowStart + c;
            const end = d0 + owEnd;
            for (let o = d0 + owBegin; o < end; o++, s += step) dst[o] = src[s];
            if (owEnd < Wo) dst.fill(0, d0 + owEnd, d0 + Wo);
          }
        }
      }
    }
  }
}
