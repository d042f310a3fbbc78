// A planted bias for the audit: a feature outside the face (a coloured clip
// in the hair, or a tint of the background) whose colour agrees with the
// expression at a chosen strength p.
//
// How it is drawn, per image with label y (index in EXPRESSIONS), from the
// image's own random stream (seed, model, expression), independent of every
// other draw: u ~ U(0,1), r ~ uniform over the 5 classes (both always drawn);
// the feature shows class c = (u < p ? y : r) in PLANT_COLOURS[c].
// So P(c = y) = p + (1 − p)/5: p = 0 is no correlation (c is independent of
// y), p = 1 is perfect. Every image carries the feature, so its presence
// says nothing; only its colour does. To get a validation set with the
// correlation broken, generate the same seed and subjects with strength 0:
// faces, poses and expressions are identical, only the colours change.
import type { Random } from '../../util/random';
import type { RGB } from './identity';

export type BiasFeature = 'none' | 'hair' | 'background';

export interface PlantedBias {
  feature: BiasFeature;
  /** 0 = no correlation with the label … 1 = perfect. */
  strength: number;
}

/** One colour per class (N, A, F, HC, HO), far apart in hue. */
export const PLANT_COLOURS: RGB[] = [
  [225, 50, 50],
  [40, 160, 70],
  [50, 100, 225],
  [235, 190, 30],
  [165, 60, 205],
];

export function plantedClass(random: Random, label: number, strength: number): number {
  const u = random.next();
  const r = random.int(PLANT_COLOURS.length);
  return u < strength ? label : r;
}

export function checkBias(bias: PlantedBias): PlantedBias {
  if (!['none', 'hair', 'background'].includes(bias.feature)) throw new Error(`planted bias: feature must be none, hair or background, got "${bias.feature}"`);
  if (!(bias.strength >= 0 && bias.strength <= 1)) throw new Error(`planted bias: strength must be in [0, 1], got ${bias.strength}`);
  return bias;
}
