// Bilinear upsampling of a map from a layer's resolution to the input's, with
// edge clamping, in one of two alignments:
//   by the layer's receptive-field geometry (receptive-field.ts): input pixel
//     X samples the map at cell coordinate (X − offset)/stride, so every cell's
//     value lands on the pixel its receptive field is centred on;
//   half-pixel (the default of this function): cell j centred on
//     (j + ½)·H/h − ½, the convention of PyTorch's F.interpolate(mode='bilinear',
//     align_corners=False), OpenCV's INTER_LINEAR (pytorch-grad-cam's resize)
//     and tf.image.resizeBilinear(…, halfPixelCenters = true). It is right for
//     symmetrically padded networks only: with TensorFlow's 'same' padding at
//     stride 2 the padding is all at the bottom/right, and the paper network's
//     block-3 cell j is centred on pixel 8j + 7, not 8j + 3.5, so half-pixel
//     overlays sit 3.5 pixels up and left. (Captum's LayerAttribution.interpolate
//     is nearest-neighbour unless asked for 'bilinear', when it is half-pixel.)
// Plain JavaScript in float64: the same numbers on every backend.
import type { AxisGeometry, MapGeometry } from './receptive-field';

export type UpsampleAlignment = 'receptive-field' | 'half-pixel';
export const UPSAMPLE_ALIGNMENTS: readonly UpsampleAlignment[] = ['receptive-field', 'half-pixel'];

/** Source coordinate and weight for each destination index along one axis. */
function axisTaps(from: number, to: number, source: (d: number) => number): { lo: Int32Array; hi: Int32Array; w: Float64Array } {
  const lo = new Int32Array(to);
  const hi = new Int32Array(to);
  const w = new Float64Array(to);
  for (let d = 0; d < to; d++) {
    const src = Math.max(0, source(d));
    const i = Math.min(Math.floor(src), from - 1);
    lo[d] = i;
    hi[d] = Math.min(i + 1, from - 1);
    w[d] = src - i;
  }
  return { lo, hi, w };
}

const halfPixel = (from: number, to: number) => {
  const scale = from / to;
  return (d: number) => (d + 0.5) * scale - 0.5;
};
// Past the last cell's centre the map is clamped (at the half-pixel path's
// last pixels the two taps are the same cell, so it needs no clamp).
const byGeometry = (g: AxisGeometry, from: number) => (d: number) => Math.min((d - g.offset) / g.stride, from - 1);

/**
 * Upsamples a row-major h×w map to H×W: half-pixel centres, or, given the
 * layer's geometry (layerGeometry), each cell on its receptive field's centre.
 */
export function upsampleBilinear(map: ArrayLike<number>, h: number, w: number, H: number, W: number, geometry?: MapGeometry): Float32Array {
  if (map.length !== h * w) throw new Error(`upsample: map has ${map.length} values, expected ${h}×${w}`);
  const rows = axisTaps(h, H, geometry ? byGeometry(geometry.rows, h) : halfPixel(h, H));
  const cols = axisTaps(w, W, geometry ? byGeometry(geometry.cols, w) : halfPixel(w, W));
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
