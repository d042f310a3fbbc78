// Per-image models of what a region looks like (skin, hair, shirt), fitted to
// pixels that the landmarks place in it. A pixel is described by its colour
// (full-range YCbCr, luma at half weight: shading changes luma more than
// colour) and its texture (the standard deviation of luma around it: hair
// has strands, skin and a bald scalp are smooth). A model is the robust
// centre (median) and spread (1.4826 × median absolute deviation) per
// feature; pixels go to the region under which they are most likely
// (diagonal Gaussian). Fitted per image, the models tell blond hair from fair
// skin where a fixed skin-colour box cannot (both fall in it).
import type { Size } from '../audit/checks';
import { rgbToYCbCr } from '../audit/cfd-regions';
import { median } from './backdrop';

export const FEATURES = 4;

export interface ColourModel {
  centre: number[];
  spread: number[];
  samples: number;
  /** Σ log spread: the likelihood's normalising term. */
  logSpread: number;
}

/** Luma varies with shading more than the colour does: it counts half. */
const LUMA_WEIGHT = 0.5;
/** Floor of the spread per feature, so a flat synthetic colour still has a width. */
const MIN_SPREAD = [3, 3, 3, 2];

/** FEATURES values per pixel: ½·Y, Cb, Cr, local standard deviation of Y within `radius`. */
export function pixelFeatures(rgb: ArrayLike<number>, size: Size, radius: number): Float32Array {
  const { height: h, width: w } = size;
  const n = h * w;
  const out = new Float32Array(n * FEATURES);
  const luma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [y, cb, cr] = rgbToYCbCr(rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]);
    luma[i] = y;
    out[i * FEATURES] = LUMA_WEIGHT * y;
    out[i * FEATURES + 1] = cb;
    out[i * FEATURES + 2] = cr;
  }
  // Box sums of Y and Y² from summed-area tables.
  const s1 = new Float64Array((h + 1) * (w + 1));
  const s2 = new Float64Array((h + 1) * (w + 1));
  for (let y = 0; y < h; y++) {
    let r1 = 0;
    let r2 = 0;
    for (let x = 0; x < w; x++) {
      const v = luma[y * w + x];
      r1 += v;
      r2 += v * v;
      s1[(y + 1) * (w + 1) + x + 1] = s1[y * (w + 1) + x + 1] + r1;
      s2[(y + 1) * (w + 1) + x + 1] = s2[y * (w + 1) + x + 1] + r2;
    }
  }
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(h, y + radius + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(w, x + radius + 1);
      const count = (y1 - y0) * (x1 - x0);
      const a = s1[y1 * (w + 1) + x1] - s1[y0 * (w + 1) + x1] - s1[y1 * (w + 1) + x0] + s1[y0 * (w + 1) + x0];
      const b = s2[y1 * (w + 1) + x1] - s2[y0 * (w + 1) + x1] - s2[y1 * (w + 1) + x0] + s2[y0 * (w + 1) + x0];
      out[(y * w + x) * FEATURES + 3] = Math.sqrt(Math.max(0, b / count - (a / count) ** 2));
    }
  }
  return out;
}

/** The model of the given pixels, or undefined with fewer than minSamples. */
export function fitColourModel(features: Float32Array, pixels: ArrayLike<number>, minSamples = 20): ColourModel | undefined {
  if (pixels.length < minSamples) return undefined;
  const centre: number[] = [];
  const spread: number[] = [];
  const values = new Float64Array(pixels.length);
  for (let c = 0; c < FEATURES; c++) {
    for (let k = 0; k < pixels.length; k++) values[k] = features[pixels[k] * FEATURES + c];
    const m = median(values);
    centre.push(m);
    for (let k = 0; k < pixels.length; k++) values[k] = Math.abs(values[k] - m);
    spread.push(Math.max(MIN_SPREAD[c], 1.4826 * median(values)));
  }
  return { centre, spread, samples: pixels.length, logSpread: spread.reduce((a, v) => a + Math.log(v), 0) };
}

export interface DistanceOptions {
  /** How many leading features count (FEATURES: colour and texture; 3: colour only). */
  features: number;
  /**
   * Weight of luma below the model's centre (1: as any other deviation). A
   * shadow darkens skin without changing what it is: under the chin, beside
   * the nose, in the corners of the eyes.
   */
  darker: number;
}

/**
 * Squared normalised distance of every pixel to a model's centre. The
 * negative log-likelihood of a pixel is ½·distance² + model.logSpread.
 */
export function distanceMap(model: ColourModel, features: Float32Array, options: Partial<DistanceOptions> = {}): Float32Array {
  const used = options.features ?? FEATURES;
  const darker = options.darker ?? 1;
  const n = features.length / FEATURES;
  const out = new Float32Array(n);
  const centre = model.centre;
  const inverse = model.spread.map((s) => 1 / s);
  for (let i = 0; i < n; i++) {
    const luma = (features[i * FEATURES] - centre[0]) * inverse[0] * (features[i * FEATURES] < centre[0] ? darker : 1);
    let s = luma * luma;
    for (let c = 1; c < used; c++) {
      const d = (features[i * FEATURES + c] - centre[c]) * inverse[c];
      s += d * d;
    }
    out[i] = s;
  }
  return out;
}

/** How far apart two models are: Σ (centre difference)² / mean variance, over the features. */
export function modelSeparation(a: ColourModel, b: ColourModel): number {
  let s = 0;
  for (let c = 0; c < FEATURES; c++) s += (a.centre[c] - b.centre[c]) ** 2 / ((a.spread[c] ** 2 + b.spread[c] ** 2) / 2);
  return s;
}
