// Overlays of an explanation map on the image it explains, as RGB buffers and
// PNGs (via sharp).
//   Grad-CAM: the map scaled to [0, 1] by its maximum (display only; the
//     stored map stays raw), coloured with a sequential scale and alpha-blended
//     over the image: out = (1 − a)·image + a·colour(t).
//   GradientSHAP: signed, so centred on zero: t = v / clip clamped to [−1, 1],
//     clip = the given percentile (default 99th) of |v| so that a few extreme
//     pixels do not wash out the rest; red positive, blue negative, blended over
//     a grayscale copy of the image with opacity growing with |t|:
//     out = (1 − a|t|)·gray + a|t|·diverging(t), so zero shows the plain image.
import sharp from 'sharp';
import { diverging, sequential, SequentialName } from '../render/colormap';
import { percentile } from './percentile';

/** An 8-bit RGB image, row-major, H × W × 3. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

function checkSizes(image: RgbImage, map: ArrayLike<number>): void {
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(`overlay: image data has ${image.data.length} bytes, expected ${image.width}×${image.height}×3`);
  }
  if (map.length !== image.width * image.height) {
    throw new Error(`overlay: map has ${map.length} values, expected ${image.height}×${image.width} (upsample it first)`);
  }
}

function blend(base: number, colour: number, a: number): number {
  return Math.round((1 - a) * base + a * colour);
}

export interface GradCamOverlayOptions {
  scale?: SequentialName;
  /** Opacity of the colour layer (default 0.5). */
  opacity?: number;
}

export interface SequentialOverlayOptions extends GradCamOverlayOptions {
  /** The value shown at the top of the scale (larger values clipped to it); default: the map's maximum. */
  max?: number;
}

/**
 * A non-negative map over its image: colour(v / max) blended at a constant
 * opacity. `max` is the value at the top of the scale (0 for an all-zero map).
 */
export function sequentialOverlay(image: RgbImage, map: ArrayLike<number>, options: SequentialOverlayOptions = {}): { image: RgbImage; max: number } {
  checkSizes(image, map);
  const a = options.opacity ?? 0.5;
  let max = options.max ?? 0;
  if (options.max === undefined) for (let i = 0; i < map.length; i++) if (map[i] > max) max = map[i];
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < map.length; i++) {
    const colour = sequential(max > 0 ? map[i] / max : 0, options.scale ?? 'viridis');
    for (let k = 0; k < 3; k++) out[3 * i + k] = blend(image.data[3 * i + k], colour[k], a);
  }
  return { image: { width: image.width, height: image.height, data: out }, max };
}

/** Grad-CAM overlay: the map scaled by its own maximum. `max` is that maximum (0 for an all-zero map). */
export function gradCamOverlay(image: RgbImage, map: ArrayLike<number>, options: GradCamOverlayOptions = {}): { image: RgbImage; max: number } {
  return sequentialOverlay(image, map, options);
}

export interface ShapOverlayOptions {
  /** Percentile of |values| mapped to full colour (default 99); larger values are clipped. */
  percentile?: number;
  /** Opacity of full-strength colour (default 0.8). */
  opacity?: number;
}

/** ITU-R BT.601 luma, the usual "convert to grayscale". */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export interface DivergingOverlayOptions {
  /** The |value| shown at full colour (larger ones clipped). */
  clip: number;
  /** Opacity of full-strength colour (default 0.8). */
  opacity?: number;
}

/**
 * A signed map over a grayscale copy of its image: t = v / clip in [−1, 1],
 * red positive, blue negative, opacity growing with |t| (zero shows the plain image).
 */
export function divergingOverlay(image: RgbImage, map: ArrayLike<number>, options: DivergingOverlayOptions): RgbImage {
  checkSizes(image, map);
  const { clip } = options;
  const a = options.opacity ?? 0.8;
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < map.length; i++) {
    const t = clip > 0 ? Math.max(-1, Math.min(1, map[i] / clip)) : 0;
    const colour = diverging(t);
    const gray = luma(image.data[3 * i], image.data[3 * i + 1], image.data[3 * i + 2]);
    const strength = a * Math.abs(t);
    for (let k = 0; k < 3; k++) out[3 * i + k] = blend(gray, colour[k], strength);
  }
  return { width: image.width, height: image.height, data: out };
}

/** GradientSHAP overlay, clipped at a percentile of its own |values|. `clip` is that |value| (0 when the map is zero). */
export function shapOverlay(image: RgbImage, map: ArrayLike<number>, options: ShapOverlayOptions = {}): { image: RgbImage; clip: number; percentile: number } {
  checkSizes(image, map);
  const p = options.percentile ?? 99;
  const clip = percentile(Float64Array.from(map, Math.abs), p);
  return { image: divergingOverlay(image, map, { clip, opacity: options.opacity }), clip, percentile: p };
}

/** The overlay a map's display scale calls for, and what it chose (written beside the map). */
export function mapOverlay(scale: 'sequential' | 'diverging', image: RgbImage, map: ArrayLike<number>): { image: RgbImage; parameters: Record<string, unknown> } {
  if (scale === 'sequential') return { image: gradCamOverlay(image, map).image, parameters: {} };
  const o = shapOverlay(image, map);
  return { image: o.image, parameters: { displayClipPercentile: o.percentile } };
}

/** Encodes an RGB image as PNG. */
export async function toPng(image: RgbImage): Promise<Buffer> {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png()
    .toBuffer();
}
