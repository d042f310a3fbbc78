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
  for (let c = 0; c < FEATURES; c++) {
    const values = Array.from(pixels, (i) => features[i * FEATURES + c]);
    const m = median(values);
    centre.push(m);
    spread.push(Math.max(MIN_SPREAD[c], 1.4826 * median(values.map((v) => Math.abs(v - m)))));
  }
  return { centre, spread, samples: pixels.length };
}

/** Squared normalised distance of pixel i (or of a feature vector) to a model's centre. */
export function colourDistance2(model: ColourModel, features: ArrayLike<number>, i = 0): number {
  let s = 0;
  for (let c = 0; c < FEATURES; c++) s += ((features[i * FEATURES + c] - model.centre[c]) / model.spread[c]) ** 2;
  return s;
}

/** Negative log-likelihood (up to a constant) of pixel i under a model. */
export function colourCost(model: ColourModel, features: ArrayLike<number>, i: number): number {
  let logSpread = 0;
  for (let c = 0; c < FEATURES; c++) logSpread += Math.log(model.spread[c]);
  return 0.5 * colourDistance2(model, features, i) + logSpread;
}

/** How far apart two models are: Σ (centre difference)² / mean variance, over the features. */
export function modelSeparation(a: ColourModel, b: ColourModel): number {
  let s = 0;
  for (let c = 0; c < FEATURES; c++) s += (a.centre[c] - b.centre[c]) ** 2 / ((a.spread[c] ** 2 + b.spread[c] ** 2) / 2);
  return s;
}
