// The plain input gradient (Simonyan, Vedaldi & Zisserman 2014, "Deep inside
// convolutional networks"; Captum's Saliency with abs = False) and gradient ×
// input (Shrikumar et al. 2016; Captum's InputXGradient), summed over the
// colour channels to one value per pixel:
//   gradient          M_ij = Σ_c ∂y/∂x_ijc          (logit per unit of the normalised input)
//   gradient-x-input  M_ij = Σ_c x_ijc · ∂y/∂x_ijc  (logit)
// x is in the model's input space, where 0 is the training mean colour, so
// gradient × input is the first-order estimate of y(x) − y(mean-colour
// image), exact for a model linear in its input. Both are signed; Simonyan's
// max_c |∂y/∂x_c| view is the figures' |value| option or SmoothGrad's mean of
// squares. Mainly the noise tunnel's default base (smoothgrad.ts).
import * as tf from '@tensorflow/tfjs';
import { choice } from '../config/schema';
import { Explainer, MapTraits, sameSize, Target } from './explainer';
import { classScoreGradient, scoresOfClasses } from './gradients';

export const SALIENCY_VARIANTS = ['gradient', 'gradient-x-input'] as const;
export type SaliencyVariant = (typeof SALIENCY_VARIANTS)[number];

export interface SaliencyOptions {
  variant: SaliencyVariant;
}

export interface SaliencyMap {
  classIndex: number;
  /** y_c(x), of the target. */
  score: number;
  /** H × W, row-major. */
  map: Float32Array;
  shape: [number, number];
}

/** Saliency maps of a batch of images (NHWC, input space) for the target (logit or log p_c), `batchSize` images per forward/backward pass. */
export function saliency(model: tf.LayersModel, images: tf.Tensor4D, classIndex: readonly number[], variant: SaliencyVariant, options: { batchSize?: number; target?: Target } = {}): SaliencyMap[] {
  const batchSize = options.batchSize ?? 32;
  if (!(SALIENCY_VARIANTS as readonly string[]).includes(variant)) throw new Error(`saliency: variant must be one of ${SALIENCY_VARIANTS.join(', ')}, got "${variant}"`);
  const [n, H, W, C] = images.shape;
  const out: SaliencyMap[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const { maps, picked, classes } = tf.tidy(() => {
      const x = count === n ? images : tf.slice(images, [start, 0, 0, 0], [count, H, W, C]);
      const g = classScoreGradient(model, x, { classIndex: classIndex.slice(start, start + count), target: options.target });
      const perChannel = variant === 'gradient' ? g.gradient : tf.mul(g.gradient, x);
      return { maps: tf.sum(perChannel, 3), picked: scoresOfClasses(g.scores, g.classIndices), classes: g.classIndices };
    });
    const values = maps.dataSync() as Float32Array;
    const scores = picked.dataSync();
    tf.dispose([maps, picked]);
    for (let i = 0; i < count; i++) {
      out.push({ classIndex: classes[i], score: scores[i], map: values.slice(i * H * W, (i + 1) * H * W), shape: [H, W] });
    }
  }
  return out;
}

const TRAITS: Omit<MapTraits, 'display'> = { mapShape: 'input', sign: 'signed', completeness: false, stochastic: false };

/** The input gradient in the explainer registry. */
export const saliencyExplainer: Explainer<SaliencyOptions> = {
  name: 'saliency',
  label: 'Gradient',
  reference: 'Simonyan, Vedaldi & Zisserman 2014, "Deep inside convolutional networks"; gradient × input: Shrikumar et al. 2016',
  formula: String.raw`$M = \sum_{\text{channels}} \partial y_c / \partial x$ (variant gradient-x-input: $\sum_{\text{channels}} x \odot \partial y_c / \partial x$)`,
  options: {
    variant: choice(SALIENCY_VARIANTS, { describe: 'gradient map: the plain input gradient or gradient × input', default: 'gradient' }),
  },
  ...TRAITS,
  display: { scale: 'diverging', unit: 'logit/unit', label: '∂y/∂x' },
  traitsFor: (o) => ({ ...TRAITS, display: o.variant === 'gradient' ? { scale: 'diverging', unit: 'logit/unit', label: '∂y/∂x' } : { scale: 'diverging', unit: 'logit', label: 'x ⊙ ∂y/∂x' } }),
  attribute(request, options) {
    return saliency(request.model, request.images, request.classIndex, options.variant, { target: request.target }).map((m) => ({
      map: m.map,
      shape: m.shape,
      classIndex: m.classIndex,
      score: m.score,
      diagnostics: {},
      parameters: { variant: options.variant },
    }));
  },
  atInputSize: (map, shape, _parameters, size) => sameSize(map, shape, size),
};
