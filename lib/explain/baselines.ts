// The baselines (references) of GradientSHAP and Integrated Gradients: the
// distribution the attributions are measured against. Every baseline lives in the model's input space,
// i.e. after the dataset normalisation (x − mean) / std.
//   black    – the black image, pixel value 0 before normalisation, which is
//              (0 − mean_c) / std_c per channel in input space (not zeros,
//              which would be the mean colour);
//   blur     – the input itself, Gaussian-blurred (σ in pixels);
//   noise    – k images of uniform noise, every pixel value drawn from
//              U(0, 1) per channel (seeded, the same k for every image),
//              one drawn per sample: a reference with no structure that
//              stays in the pixels' range;
//   training – a set of training images, one drawn per sample (the
//              "expected gradients" reading of SHAP);
//   tensor   – any ready-made set of references, already in input space.
import * as tf from '@tensorflow/tfjs';
import { choice, int, num } from '../config/schema';
import { createRandom, mixSeed } from '../util/random';
import type { ExplainContext } from './explainer';
import { gaussianBlur } from './gaussian-blur';

export type ShapBaseline =
  | { kind: 'black'; mean: number | readonly number[]; std: number | readonly number[] }
  | { kind: 'blur'; sigma: number }
  | { kind: 'noise'; mean: number | readonly number[]; std: number | readonly number[]; count: number; seed: number }
  | { kind: 'training'; images: tf.Tensor4D }
  | { kind: 'tensor'; images: tf.Tensor4D };

/** A short description for sidecars and logs. */
export function describeBaseline(baseline: ShapBaseline): Record<string, unknown> {
  switch (baseline.kind) {
    case 'black':
      return { kind: 'black', mean: baseline.mean, std: baseline.std };
    case 'blur':
      return { kind: 'blur', sigma: baseline.sigma };
    case 'noise':
      return { kind: 'noise', count: baseline.count, seed: baseline.seed };
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

/** k images of uniform noise in [0, 1] per channel, in input space ((u − mean_c) / std_c), seeded. */
export function noiseBaseline(
  shape: readonly [number, number, number],
  mean: number | readonly number[],
  std: number | readonly number[],
  count: number,
  seed: number,
): tf.Tensor4D {
  const [h, w, c] = shape;
  if (!Number.isInteger(count) || count < 1) throw new Error(`noise baseline: count must be a positive integer, got ${count}`);
  const m = perChannel(mean, c, 'mean');
  const s = perChannel(std, c, 'std');
  if (s.some((v) => !(v > 0))) throw new Error(`noise baseline: std must be > 0, got ${s.join(', ')}`);
  const rnd = createRandom(mixSeed(seed, 0x6e6f6973));
  const values = new Float32Array(count * h * w * c);
  for (let i = 0; i < values.length; i++) {
    const ch = i % c;
    values[i] = (rnd.next() - m[ch]) / s[ch];
  }
  return tf.tensor4d(values, [count, h, w, c]);
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
    case 'noise':
      return { images: noiseBaseline([h, w, c], baseline.mean, baseline.std, baseline.count, baseline.seed), fixed: true };
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

/** The baselines a method's options can name (a 'tensor' baseline is for code, not for options). */
export const BASELINE_KINDS = ['black', 'blur', 'noise', 'training'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

/** The options that choose a baseline, as GradientSHAP and Integrated Gradients both take them. */
export interface BaselineOptions {
  baseline: BaselineKind;
  /** σ in pixels of the 'blur' baseline. */
  blurSigma: number;
  /** Training images drawn as references by the 'training' baseline, noise images by the 'noise' baseline. */
  baselineImages: number;
}

/** The option fields of a baseline choice, described for `who` (e.g. 'GradientSHAP'). */
export function baselineFields(who: string, defaults: { baseline?: BaselineKind; baselineImages: number }) {
  return {
    baseline: choice(BASELINE_KINDS, { describe: `${who} baselines`, default: defaults.baseline ?? 'black' }),
    blurSigma: num({ above: 0, max: 1000, describe: `${who}: σ in pixels of the blur baseline`, default: 8, placeholder: '<px>' }),
    baselineImages: int({ min: 1, max: 10_000, describe: `${who}: training images (noise images) drawn by the training (noise) baseline`, default: defaults.baselineImages }),
  };
}

/** The references the options name, in input space (the 'training' images belong to the context; `seed` draws the noise images). */
export function chosenBaseline(options: BaselineOptions, context: ExplainContext, seed = 0): ShapBaseline {
  switch (options.baseline) {
    case 'black':
      return { kind: 'black', mean: context.normalisation.mean, std: context.normalisation.std };
    case 'blur':
      return { kind: 'blur', sigma: options.blurSigma };
    case 'noise':
      return { kind: 'noise', mean: context.normalisation.mean, std: context.normalisation.std, count: options.baselineImages, seed };
    case 'training':
      return { kind: 'training', images: context.trainingImages(options.baselineImages) };
  }
}

/** The baseline settings that shaped a map, for its sidecar (only those the chosen kind reads). */
export function baselineParameters(options: BaselineOptions): Record<string, unknown> {
  return {
    baseline: options.baseline,
    ...(options.baseline === 'blur' ? { blurSigma: options.blurSigma } : {}),
    ...(options.baseline === 'training' || options.baseline === 'noise' ? { baselineImages: options.baselineImages } : {}),
  };
}
