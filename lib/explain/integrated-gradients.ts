// Integrated Gradients (Sundararajan, Taly & Yan 2017, "Axiomatic attribution
// for deep networks"; Captum's IntegratedGradients):
//   φ_i = (x_i − b_i) · ∫₀¹ ∂y_c/∂x_i (b + α (x − b)) dα
// along the straight path from a baseline b to the input x, the integral by
// quadrature (lib/util/quadrature.ts; Gauss–Legendre by default, as Captum):
//   φ ≈ (x − b) ⊙ Σ_j w_j ∇y_c(b + α_j (x − b)).
// Completeness: Σ_i φ_i = y_c(x) − y_c(b) exactly for the integral, so the
// gap δ = Σ φ − (y_c(x) − y_c(b)) measures the quadrature error alone (it is
// deterministic, unlike GradientSHAP's sampling error) and shrinks with the
// steps; every map reports it. With several references (the training-image
// baseline) φ is the mean of the references' integrated gradients, and
// completeness holds against their mean score. Baselines as GradientSHAP's
// (baselines.ts), black by default.
import * as tf from '@tensorflow/tfjs';
import { int, choice } from '../config/schema';
import { QUADRATURE_RULES, QuadratureRule, quadrature } from '../util/quadrature';
import { BaselineOptions, baselineFields, baselineParameters, baselinesFor, chosenBaseline, ShapBaseline } from './baselines';
import { Explainer, sameSize, Target } from './explainer';
import { argMaxRows, checkTarget, classScoreGradient, classScores, classScoresChunked, resolveClassIndices } from './gradients';

export interface IntegratedGradientsOptions {
  baseline: ShapBaseline;
  /** Quadrature points along the path (default 50, Captum's). */
  steps?: number;
  /** Quadrature rule (default Gauss–Legendre, Captum's). */
  rule?: QuadratureRule;
  /** Class per image (or one for all); default: the predicted class. */
  classIndex?: number | readonly number[];
  /** Path points per forward/backward pass (default 50). */
  batchSize?: number;
  /** What is explained: y_c before the softmax ('logit', default) or log p_c ('log-prob'); every score and δ is of it. */
  target?: Target;
}

export interface IntegratedGradientsResult {
  classIndex: number;
  /** y_c(x), of the target. */
  score: number;
  target: Target;
  /** φ, signed, H × W × C row-major (channels last). */
  attributions: Float32Array;
  shape: [number, number, number];
  /** Σ_channels φ, H × W. */
  map: Float32Array;
  /** Σ φ. */
  total: number;
  /** y_c(b), the mean over the references. */
  baselineScore: number;
  /** δ = Σ φ − (y_c(x) − y_c(b)): the quadrature's completeness error. */
  delta: number;
  references: number;
  steps: number;
  rule: QuadratureRule;
}

/** Integrated gradients for a batch of images (NHWC, in the model's input space). */
export function integratedGradients(model: tf.LayersModel, images: tf.Tensor4D, options: IntegratedGradientsOptions): IntegratedGradientsResult[] {
  const steps = options.steps ?? 50;
  const rule = options.rule ?? 'gauss-legendre';
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 50));
  const { alphas, weights } = quadrature(rule, steps);
  const target = checkTarget(options.target, 'Integrated Gradients');
  const [count, H, W, C] = images.shape;
  const pixels = H * W * C;

  const scoresAtX = classScores(model, images, { target });
  const classes = scoresAtX.shape[1];
  const classIndices = resolveClassIndices(options.classIndex, count, classes, () => argMaxRows(scoresAtX));
  const scoreRows = scoresAtX.dataSync();
  scoresAtX.dispose();

  let shared: { images: tf.Tensor4D; scores: Float32Array } | undefined;
  const results: IntegratedGradientsResult[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const c = classIndices[i];
      const x = tf.slice(images, [i, 0, 0, 0], [1, H, W, C]);
      let own: { images: tf.Tensor4D; scores: Float32Array } | undefined;
      try {
        let refs = shared;
        if (!refs) {
          const made = baselinesFor(options.baseline, x);
          refs = { images: made.images, scores: classScoresChunked(model, made.images, batchSize, target) };
          if (made.fixed) shared = refs;
          else own = refs;
        }
        const m = refs.images.shape[0];
        // Point p is reference ⌊p / steps⌋ at node p mod steps; each carries weight w_j / m.
        const sum = new Float64Array(pixels);
        for (let start = 0; start < m * steps; start += batchSize) {
          const b = Math.min(batchSize, m * steps - start);
          const which = Int32Array.from({ length: b }, (_, k) => Math.floor((start + k) / steps));
          const alpha = Float32Array.from({ length: b }, (_, k) => alphas[(start + k) % steps]);
          const weight = Float32Array.from({ length: b }, (_, k) => weights[(start + k) % steps] / m);
          const chunk = tf.tidy(() => {
            const r = tf.gather(refs!.images, tf.tensor1d(which, 'int32'));
            const diff = tf.sub(x, r);
            const points = tf.add(r, tf.mul(tf.tensor4d(alpha, [b, 1, 1, 1]), diff)) as tf.Tensor4D;
            const g = classScoreGradient(model, points, { classIndex: c, target });
            return tf.sum(tf.mul(tf.mul(g.gradient, diff), tf.tensor4d(weight, [b, 1, 1, 1])), 0);
          });
          const values = chunk.dataSync();
          chunk.dispose();
          for (let p = 0; p < pixels; p++) sum[p] += values[p];
        }
        const attributions = new Float32Array(pixels);
        const map = new Float32Array(H * W);
        let total = 0;
        for (let p = 0; p < pixels; p++) {
          attributions[p] = sum[p];
          map[Math.floor(p / C)] += sum[p];
          total += sum[p];
        }
        let baselineScore = 0;
        for (let r = 0; r < m; r++) baselineScore += refs.scores[r * classes + c] / m;
        const score = scoreRows[i * classes + c];
        results.push({ classIndex: c, score, target, attributions, shape: [H, W, C], map, total, baselineScore, delta: total - (score - baselineScore), references: m, steps, rule });
      } finally {
        x.dispose();
        own?.images.dispose();
      }
    }
  } finally {
    shared?.images.dispose();
  }
  return results;
}

export interface IntegratedGradientsExplainerOptions extends BaselineOptions {
  steps: number;
  rule: QuadratureRule;
}

/** Integrated Gradients in the explainer registry. */
export const integratedGradientsExplainer: Explainer<IntegratedGradientsExplainerOptions> = {
  name: 'integrated-gradients',
  label: 'Integrated Gradients',
  reference: 'Sundararajan, Taly & Yan 2017, "Axiomatic attribution for deep networks"; Captum\'s IntegratedGradients',
  formula: String.raw`$\varphi = (x - b) \odot \int_0^1 \nabla_x y_c\big(b + \alpha (x - b)\big)\, d\alpha$ by quadrature, with $\sum \varphi = y_c(x) - y_c(b)$ up to the quadrature error each map reports`,
  options: {
    steps: int({ min: 1, max: 100_000, describe: 'Integrated Gradients quadrature points along the path', default: 50 }),
    rule: choice(QUADRATURE_RULES, { describe: 'Integrated Gradients quadrature rule', default: 'gauss-legendre' }),
    ...baselineFields('Integrated Gradients', { baselineImages: 8 }),
  },
  flags: { steps: 'ig-steps', rule: 'ig-rule', baseline: 'ig-baseline', blurSigma: 'ig-blur-sigma', baselineImages: 'ig-baseline-images' },
  budgets: { small: { steps: 16 }, checks: { steps: 16 } },
  mapShape: 'input',
  sign: 'signed',
  display: { scale: 'diverging', unit: 'logit', label: 'IG φ' },
  completeness: true,
  stochastic: false,
  attribute(request, options) {
    return integratedGradients(request.model, request.images, {
      baseline: chosenBaseline(options, request.context),
      steps: options.steps,
      rule: options.rule,
      classIndex: request.classIndex,
      target: request.target,
    }).map((r) => ({
      map: r.map,
      shape: [r.shape[0], r.shape[1]],
      classIndex: r.classIndex,
      score: r.score,
      diagnostics: { delta: r.delta, relativeDelta: Math.abs(r.delta) / Math.max(Math.abs(r.score - r.baselineScore), 1e-12), baselineScore: r.baselineScore },
      parameters: { steps: r.steps, rule: r.rule, references: r.references, ...baselineParameters(options) },
    }));
  },
  atInputSize: (map, shape, _parameters, size) => sameSize(map, shape, size),
};
