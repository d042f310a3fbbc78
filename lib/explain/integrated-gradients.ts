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
// (baselines.ts), black by default, and like GradientSHAP's a black reference
// is an infinite black plane: the paddings travel the path with the image
// (path-attribution.ts), their share is the frame attribution, and
// Σφ + frame attribution completes y_c(x) − y_c(b). Padding 'model' keeps the
// network's zeros (the right/bottom edge stripe issue 13 measured).
import * as tf from '@tensorflow/tfjs';
import { int, choice } from '../config/schema';
import { QUADRATURE_RULES, QuadratureRule, quadrature } from '../util/quadrature';
import { BaselineOptions, baselineFields, baselineParameters, chosenBaseline, ShapBaseline } from './baselines';
import { asAttribution, attributionSums, eachWithReferences, frameAttributions, PATH_PADDINGS, PathPadding, pathFrames, ReferenceAttribution } from './path-attribution';
import { Explainer, sameSize, Target } from './explainer';
import { checkTarget, classScoreGradient, scoresAtInputs } from './gradients';

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
  /** The padding along the path (default 'baseline': a one-colour reference is an infinite plane). */
  padding?: PathPadding;
}

export interface IntegratedGradientsResult extends ReferenceAttribution {
  /** δ = Σ φ + frame attribution − (y_c(x) − y_c(b)): the quadrature's completeness error. */
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
  const [, H, W, C] = images.shape;
  const pixels = H * W * C;
  const { classes, classIndices, scores } = scoresAtInputs(model, images, options.classIndex, target);
  return eachWithReferences(model, images, options.baseline, { batchSize, target, padding: options.padding ?? 'baseline' }, (i, x, refs): IntegratedGradientsResult => {
    const c = classIndices[i];
    const m = refs.images.shape[0];
    // Point p is reference ⌊p / steps⌋ at node p mod steps; each carries weight w_j / m.
    const sum = new Float64Array(pixels);
    let frameAttribution = 0;
    for (let start = 0; start < m * steps; start += batchSize) {
      const b = Math.min(batchSize, m * steps - start);
      const which = Int32Array.from({ length: b }, (_, k) => Math.floor((start + k) / steps));
      const alpha = Float32Array.from({ length: b }, (_, k) => alphas[(start + k) % steps]);
      const weight = Float32Array.from({ length: b }, (_, k) => weights[(start + k) % steps] / m);
      const { chunk, frames } = tf.tidy(() => {
        const r = tf.gather(refs.images, tf.tensor1d(which, 'int32'));
        const diff = tf.sub(x, r);
        const a = tf.tensor4d(alpha, [b, 1, 1, 1]);
        const w = tf.tensor4d(weight, [b, 1, 1, 1]);
        const points = tf.add(r, tf.mul(a, diff)) as tf.Tensor4D;
        const g = classScoreGradient(model, points, { classIndex: c, frames: pathFrames(refs.planes, a), target });
        const framePhi = frameAttributions(refs.planes, g.frameGradients);
        return { chunk: tf.sum(tf.mul(tf.mul(g.gradient, diff), w), 0), frames: framePhi ? tf.sum(tf.mul(framePhi, tf.reshape(w, [b]))) : undefined };
      });
      const values = chunk.dataSync();
      if (frames) frameAttribution += frames.dataSync()[0];
      tf.dispose([chunk, ...(frames ? [frames] : [])]);
      for (let p = 0; p < pixels; p++) sum[p] += values[p];
    }
    const { attributions, map, total } = attributionSums(sum, C);
    let baselineScore = 0;
    for (let r = 0; r < m; r++) baselineScore += refs.scores[r * classes + c] / m;
    const score = scores[i * classes + c];
    return { classIndex: c, score, target, attributions, shape: [H, W, C], map, total, baselineScore, frameAttribution, delta: total + frameAttribution - (score - baselineScore), references: m, steps, rule };
  });
}

export interface IntegratedGradientsExplainerOptions extends BaselineOptions {
  steps: number;
  rule: QuadratureRule;
  padding: PathPadding;
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
    padding: choice(PATH_PADDINGS, { describe: "Integrated Gradients' padding along the path: 'baseline' makes a black reference an infinite black plane (no edge stripe), 'model' keeps the network's zeros", default: 'baseline' }),
  },
  flags: { steps: 'ig-steps', rule: 'ig-rule', baseline: 'ig-baseline', blurSigma: 'ig-blur-sigma', baselineImages: 'ig-baseline-images', padding: 'ig-padding' },
  checkOptions: (o) => (o.rule === 'riemann-trapezoid' && o.steps < 2 ? 'the trapezoid rule needs at least 2 steps' : undefined),
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
      padding: options.padding,
    }).map((r) =>
      asAttribution(
        r,
        { delta: r.delta, scoreChange: r.score - r.baselineScore, relativeDelta: Math.abs(r.delta) / Math.max(Math.abs(r.score - r.baselineScore), 1e-12), baselineScore: r.baselineScore, frameAttribution: r.frameAttribution },
        { steps: r.steps, rule: r.rule, references: r.references, ...baselineParameters(options), padding: options.padding },
      ),
    );
  },
  atInputSize: (map, shape, _parameters, size) => sameSize(map, shape, size),
};
