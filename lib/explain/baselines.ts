// GradientSHAP's baselines (references): the distribution the attributions
// are measured against. Every baseline lives in the model's input space,
// i.e. after the dataset normalisation (x − mean) / std.
//   black    – the black image, pixel value 0 before normalisation, which is
//              (0 − mean_c) / std_c per channel in input space (not zeros,
//              which would be the mean colour);
//   blur     – the input itself, Gaussian-blurred (σ in pixels);
//   training – a set of training images, one drawn per sample (the
//              "expected gradients" reading of SHAP);
//   tensor   – any ready-made set of references, already in input space.
import * as tf from '@tensorflow/tfjs';
import { gaussianBlur } from './gaussian-blur';

export type ShapBaseline =
  | { kind: 'black'; mean: number | readonly number[]; std: number | readonly number[] }
  | { kind: 'blur'; sigma: number }
  | { kind: 'training'; images: tf.Tensor4D }
  | { kind: 'tensor'; images: tf.Tensor4D };

/** A short description for sidecars and logs. */
export function describeBaseline(baseline: ShapBaseline): Record<string, unknown> {
  switch (baseline.kind) {
    case 'black':
      return { kind: 'black', mean: baseline.mean, std: baseline.std };
    case 'blur':
      return { kind: 'blur', sigma: baseline.sigma };
    case 'training':
    case 'tensor':
      return { kind: baseline.kind, count: baseline.images.shape[0] };
  }
}

function perChannel(value: number | readonly number[], channels: number, what: string): number[] {
  const values = typeof value === 'number' ? new Array<number>(channels).fill(value) : [...value];
  if (values.length !== channels) throw new Error(`black baseline: ${values.length} ${what} values for ${channels} channels`);
  return values;
}

/** The black image in input space: (0 − mean_c) / std_c at every pixel. */
export function blackBaseline(
  shape: readonly [number, number, number],
  mean: number | readonly number[],
  std: number | readonly number[],
): tf.Tensor4D {
  const [h, w, c] = shape;
  const m = perChannel(mean, c, 'mean');
  const s = perChannel(std, c, 'std');
  if (s.some((v) => !(v > 0))) throw new Error(`black baseline: std must be > 0, got ${s.join(', ')}`);
  const pixel = m.map((mc, i) => (0 - mc) / s[i]);
  return tf.tidy(() => tf.tile(tf.tensor4d(pixel, [1, 1, 1, c]), [1, h, w, 1]) as tf.Tensor4D);
}

/**
 * The baselines for one image (m × H × W × C). The tensor belongs to the
 * caller; `fixed` says whether it is the same for every image (so its
 * scores can be computed once). `uniform` marks a one-colour reference
 * (black), which GradientSHAP can treat as an infinite plane of its colour.
 */
export function baselinesFor(baseline: ShapBaseline, image: tf.Tensor4D): { images: tf.Tensor4D; fixed: boolean; uniform?: boolean } {
  const [, h, w, c] = image.shape;
  switch (baseline.kind) {
    case 'black':
      return { images: blackBaseline([h, w, c], baseline.mean, baseline.std), fixed: true, uniform: true };
    case 'blur':
      return { images: gaussianBlur(image, baseline.sigma), fixed: false };
    case 'training':
    case 'tensor': {
      const [m, bh, bw, bc] = baseline.images.shape;
      if (m < 1 || bh !== h || bw !== w || bc !== c) {
        throw new Error(`${baseline.kind} baseline: shape [${baseline.images.shape}] does not fit images of ${h}×${w}×${c}`);
      }
      return { images: baseline.images.clone(), fixed: true };
    }
  }
}
