// A per-image colour model of one region (skin, hair, shirt), fitted to
// pixels that the landmarks place in it: robust centre (median) and spread
// (1.4826 × median absolute deviation) per channel of full-range YCbCr.
// Pixels are then given to the region under which they are most likely
// (diagonal Gaussian). Fitted per image, the models separate blond hair from
// fair skin where a fixed skin-colour box cannot (both fall in it).
import { rgbToYCbCr } from '../audit/cfd-regions';
import { median } from './backdrop';

export interface ColourModel {
  centre: [number, number, number];
  spread: [number, number, number];
  samples: number;
}

/** Luma varies with shading more than the colour does: it counts half. */
const LUMA_WEIGHT = 0.5;
/** Floor of the spread, so a flat synthetic colour still has a width. */
const MIN_SPREAD = 3;

export function pixelFeatures(rgb: ArrayLike<number>, i: number): [number, number, number] {
  const [y, cb, cr] = rgbToYCbCr(rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]);
  return [LUMA_WEIGHT * y, cb, cr];
}

/** The model of the given pixels, or undefined with fewer than minSamples. */
export function fitColourModel(rgb: ArrayLike<number>, pixels: ArrayLike<number>, minSamples = 20): ColourModel | undefined {
  if (pixels.length < minSamples) return undefined;
  const channels: number[][] = [[], [], []];
  for (let k = 0; k < pixels.length; k++) {
    const f = pixelFeatures(rgb, pixels[k]);
    for (let c = 0; c < 3; c++) channels[c].push(f[c]);
  }
  const centre = channels.map(median) as [number, number, number];
  const spread = channels.map((v, c) => Math.max(MIN_SPREAD, 1.4826 * median(v.map((x) => Math.abs(x - centre[c]))))) as [number, number, number];
  return { centre, spread, samples: pixels.length };
}

/** Squared normalised distance of a pixel to a model's centre. */
export function colourDistance2(model: ColourModel, f: [number, number, number]): number {
  let s = 0;
  for (let c = 0; c < 3; c++) s += ((f[c] - model.centre[c]) / model.spread[c]) ** 2;
  return s;
}

/** Negative log-likelihood (up to a constant) of a pixel under a model. */
export function colourCost(model: ColourModel, f: [number, number, number]): number {
  return 0.5 * colourDistance2(model, f) + Math.log(model.spread[0] * model.spread[1] * model.spread[2]);
}
