// What the deletion and insertion games (deletion-insertion.ts) put where a
// pixel is removed, in the model's input space (x − mean) / std:
//   blur          a Gaussian-blurred copy of the image (σ a fraction of the
//                 side): the detail goes, the colours stay, as RISE inserts;
//   mean-colour   the training split's mean colour, 0 in input space: what
//                 RISE deletes to (zeros of a normalised image);
//   black         pixel value 0: (0 − mean_c) / std_c, a colour the white-
//                 backdrop photos rarely show.
// Several fills, because each favours the explanations whose reference it
// resembles (black favours GradientSHAP against the black image, blur its
// blur baseline); reading the games under all of them keeps the check from
// siding with one baseline.
import * as tf from '@tensorflow/tfjs';
import type { NormalisationStats } from '../data/normalisation';
import { gaussianBlur } from '../explain/gaussian-blur';
import type { Fill } from './deletion-insertion';

export const FILLS = ['blur', 'mean-colour', 'black'] as const;
export type FillKind = (typeof FILLS)[number];

/** Each fill in words, for tables and captions. */
export function fillText(kind: FillKind, blurSigmaFraction: number, size?: number): string {
  switch (kind) {
    case 'blur':
      return `a blurred copy (σ = ${size ? `${+(blurSigmaFraction * size).toFixed(1)} px` : `${+(100 * blurSigmaFraction).toFixed(2)}% of the side`})`;
    case 'mean-colour':
      return "the training split's mean colour";
    case 'black':
      return 'black';
  }
}

/** The fills of one image (size × size × 3, input space), in the order asked. */
export function fillImages(kinds: readonly FillKind[], image: Float32Array, size: number, normalisation: NormalisationStats, blurSigmaFraction: number): Fill[] {
  if (image.length !== size * size * 3) throw new Error(`fills: expected a ${size}×${size}×3 image (${size * size * 3} values), got ${image.length}`);
  return kinds.map((kind) => {
    switch (kind) {
      case 'blur': {
        // Blur commutes with the per-channel normalisation: blurring the model's input is blurring the photo.
        const t = tf.tidy(() => gaussianBlur(tf.tensor4d(image, [1, size, size, 3]), blurSigmaFraction * size));
        const values = t.dataSync() as Float32Array;
        t.dispose();
        return { name: kind, image: values };
      }
      case 'mean-colour':
        return { name: kind, image: new Float32Array(image.length) };
      case 'black': {
        const pixel = normalisation.mean.map((m, c) => (0 - m) / normalisation.std[c]);
        const values = new Float32Array(image.length);
        for (let p = 0; p < values.length; p++) values[p] = pixel[p % 3];
        return { name: kind, image: values };
      }
      default:
        throw new Error(`fills: unknown fill "${String(kind)}" (known: ${FILLS.join(', ')})`);
    }
  });
}
