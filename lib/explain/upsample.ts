// Bilinear upsampling of a map from a layer's resolution to the input's, with
// half-pixel centres and edge clamping: the convention of PyTorch's
// F.interpolate(mode='bilinear', align_corners=False), OpenCV's INTER_LINEAR
// and tf.image.resizeBilinear(…, halfPixelCenters = true), which the
// Grad-CAM implementations the paper would have used rely on. Plain
// JavaScript in float64: the same numbers on every backend.

/** Source coordinate and weight for each destination index along one axis. */
function axisTaps(from: number, to: number): { lo: Int32Array; hi: Int32Array; w: Float64Array } {
  const lo = new Int32Array(to);
  const hi = new Int32Array(to);
  const w = new Float64Array(to);
  const scale = from / to;
  for (let d = 0; d < to; d++) {
    const src = Math.max(0, (d + 0.5) * scale - 0.5);
    const i = Math.min(Math.floor(src), from - 1);
    lo[d] = i;
    hi[d] = Math.min(i + 1, from - 1);
    w[d] = src - i;
  }
  return { lo, hi, w };
}

/** Upsamples a row-major h×w map to H×W. */
export function upsampleBilinear(map: ArrayLike<number>, h: number, w: number, H: number, W: number): Float32Array {
  if (map.length !== h * w) throw new Error(`upsample: map has ${map.length} values, expected ${h}×${w}`);
  const rows = axisTaps(h, H);
  const cols = axisTaps(w, W);
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const r0 = rows.lo[y] * w;
    const r1 = rows.hi[y] * w;
    const wy = rows.w[y];
    for (let x = 0; x < W; x++) {
      const c0 = cols.lo[x];
      const c1 = cols.hi[x];
      const wx = cols.w[x];
      const top = map[r0 + c0] * (1 - wx) + map[r0 + c1] * wx;
      const bottom = map[r1 + c0] * (1 - wx) + map[r1 + c1] * wx;
      out[y * W + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}
