// GradientSHAP (Lundberg & Lee 2017, as Captum's GradientShap implements it;
// the paper's section V): for each of n samples s,
//   x̃_s = x + ε_s, ε_s ~ N(0, σ²)          (noise on the input)
//   b_s  ~ the baseline distribution         (one reference drawn)
//   α_s  ~ U(0, 1)                           (a random point on the path)
//   φ_s  = ∂y_c/∂x at b_s + α_s (x̃_s − b_s)  ⊙  (x̃_s − b_s)
// and the attribution is φ = (1/n) Σ_s φ_s: the expected gradient times
// (input − baseline). Since E_α[∇y_c(b + α(x̃ − b))·(x̃ − b)] = y_c(x̃) − y_c(b)
// exactly, each sample's convergence delta
//   δ_s = Σ_pixels φ_s − (y_c(x̃_s) − y_c(b_s))
// has mean zero and vanishes for a model linear in its input; Captum returns
// these per-sample deltas (n per image). Their mean equals the delta of the
// averaged attributions, Σ φ − mean_s(y_c(x̃_s) − y_c(b_s)), which shrinks
// like 1/√n. All randomness comes from a seeded generator per image, drawn in
// sample order (noise, baseline index, α), so results do not depend on the
// chunking or on which other images are explained in the same call.
//
// The padding frame. Every 'same' convolution pads its input with zeros: in
// the image the training mean colour, in feature maps no activation; TF
// 'same' padding at stride 2 on even sizes pads only the bottom and right.
// Along the path from a black reference the picture is dark while that frame
// is not, so the frame is the strongest edge the network sees, on two sides,
// and the network (trained or not) answers it. Measured on the paper network
// at 128 px (a trained seed, 20 validation images, n = 50): the last 4
// columns and rows held 2.0× and 3.5× their area's share of |φ| (the first 4:
// 0.1× and 0.5×); the same on flipped images, and 3.0×/2.5× with untrained
// weights; with the mean-colour, blur or training-image references, whose
// paths stay in the data's range, 0.0–0.1×. So a one-colour reference (black)
// is by default an infinite plane of its colour (padding: 'baseline'): at the
// reference every layer's padding has the colour the plane gives that layer
// (LayerGraph.planeFrames), and it travels to the model's 0 with the image.
// The same network then puts 0.1× and 0.25× on the last columns and rows.
// What the paddings themselves receive is `frameAttribution`, apart from the
// map: Σφ + frameAttribution completes y(x̃) − y(b). padding: 'model' keeps
// the model's zeros all along, the stripe included.
import * as tf from '@tensorflow/tfjs';
import { createRandom, mixSeed } from '../util/random';
import { BaselineOptions, baselineFields, baselineParameters, chosenBaseline, ShapBaseline } from './baselines';
import { checkTarget, classScoreGradient, classScores, scoresAtInputs } from './gradients';
import { asAttribution, attributionSums, eachWithReferences, frameAttributions, PATH_PADDINGS, PathPadding, pathFrames, ReferenceAttribution } from './path-attribution';
import { Explainer, sameSize, Target } from './explainer';
import { choice, int, num } from '../config/schema';

export interface GradientShapOptions {
  baseline: ShapBaseline;
  /** n, the number of samples per image (default 50). */
  samples?: number;
  /** σ of the Gaussian noise added to the input, in input space (default 0, Captum's default). */
  stdev?: number;
  /** Seed of the sampling (default 0). */
  seed?: number;
  /** Per-image keys mixed into the seed (default: position in `images`); pass dataset indices to make each image's draws independent of the batch it is explained in. */
  imageKeys?: readonly number[];
  /** Class per image (or one for all); default: the predicted class on x. */
  classIndex?: number | readonly number[];
  /** Samples per forward/backward pass (default 50; chunks when n is larger). */
  batchSize?: number;
  /**
   * The padding around the image along the path: 'baseline' (default) goes
   * from a one-colour reference's colour to the model's 0 with the image;
   * 'model' is the model's 0 throughout. The same for other references.
   */
  padding?: PathPadding;
  /** What is explained: y_c before the softmax ('logit', default) or log p_c ('log-prob'); every score and delta is of it. */
  target?: Target;
}

/** baselineScore is mean_s y_c(b_s), frameAttribution the mean over the samples. */
export interface GradientShapResult extends ReferenceAttribution {
  /** mean_s y_c(x̃_s) (= score when σ = 0). */
  noisyScore: number;
  /** δ_s = Σ φ_s (+ the frame's) − (y_c(x̃_s) − y_c(b_s)) per sample, Captum's convergence delta. */
  sampleDeltas: Float64Array;
  /** mean_s δ_s = total + frameAttribution − (noisyScore − baselineScore): the delta of the averaged attributions. */
  meanDelta: number;
  /**
   * The sampling standard error of meanDelta, sd(δ_s)/√n (NaN for n = 1): a
   * meanDelta within about two of these of 0 is all the completeness check can
   * tell at this n. See samplesForStandardError.
   */
  meanDeltaStdError: number;
  /** mean_s |δ_s|. */
  meanAbsDelta: number;
  samples: number;
  stdev: number;
  seed: number;
}

/** GradientSHAP attributions for a batch of images (NHWC, in the model's input space). */
export function gradientShap(model: tf.LayersModel, images: tf.Tensor4D, options: GradientShapOptions): GradientShapResult[] {
  const n = options.samples ?? 50;
  const stdev = options.stdev ?? 0;
  const seed = options.seed ?? 0;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 50));
  if (!Number.isInteger(n) || n < 1) throw new Error(`GradientSHAP: samples must be a positive integer, got ${n}`);
  if (!(stdev >= 0)) throw new Error(`GradientSHAP: stdev must be ≥ 0, got ${stdev}`);
  const [count, H, W, C] = images.shape;
  const pixels = H * W * C;
  const target = checkTarget(options.target, 'GradientSHAP');
  const keys = options.imageKeys ?? Array.from({ length: count }, (_, i) => i);
  if (keys.length !== count) throw new Error(`GradientSHAP: ${keys.length} image keys for ${count} images`);

  // Scores at x, once for the batch: they give the predicted class and y_c(x).
  const { classes, classIndices, scores: scoreRows } = scoresAtInputs(model, images, options.classIndex, target);
  return eachWithReferences(model, images, options.baseline, { batchSize, target, padding: options.padding ?? 'baseline' }, (i, x, base): GradientShapResult => {
    const c = classIndices[i];
    const m = base.images.shape[0];
    const score = scoreRows[i * classes + c];
    const rnd = createRandom(mixSeed(seed, keys[i]));
    const sum = new Float64Array(pixels);
    const deltas = new Float64Array(n);
    let noisySum = 0;
    let baselineSum = 0;
    let frameSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      // Draw in sample order: noise, baseline index, α.
      const noise = stdev > 0 ? new Float32Array(b * pixels) : undefined;
      const which = new Int32Array(b);
      const alpha = new Float32Array(b);
      for (let s = 0; s < b; s++) {
        if (noise) for (let p = s * pixels, end = p + pixels; p < end; p++) noise[p] = rnd.normal(0, stdev);
        which[s] = rnd.int(m);
        alpha[s] = rnd.next();
      }
      const { phi, noisyScores, framePhi } = tf.tidy(() => {
        const noisy = noise ? tf.add(x, tf.tensor4d(noise, [b, H, W, C])) : tf.tile(x, [b, 1, 1, 1]);
        const refs = tf.gather(base.images, tf.tensor1d(which, 'int32'));
        const diff = tf.sub(noisy, refs);
        const a = tf.tensor4d(alpha, [b, 1, 1, 1]);
        const points = tf.add(refs, tf.mul(a, diff)) as tf.Tensor4D;
        const g = classScoreGradient(model, points, { classIndex: c, frames: pathFrames(base.planes, a), target });
        const ys = noise ? tf.gather(classScores(model, noisy as tf.Tensor4D, { target }), [c], 1) : undefined;
        return { phi: tf.mul(g.gradient, diff), noisyScores: ys, framePhi: frameAttributions(base.planes, g.frameGradients) };
      });
      const values = phi.dataSync();
      const ys = noisyScores?.dataSync();
      const frameValues = framePhi?.dataSync();
      tf.dispose([phi, ...(noisyScores ? [noisyScores] : []), ...(framePhi ? [framePhi] : [])]);
      for (let s = 0; s < b; s++) {
        let total = 0;
        for (let p = 0, o = s * pixels; p < pixels; p++, o++) {
          const v = values[o];
          total += v;
          sum[p] += v;
        }
        const yNoisy = ys ? ys[s] : score;
        const yBase = base.scores[which[s] * classes + c];
        const frameTotal = frameValues ? frameValues[s] : 0;
        deltas[start + s] = total + frameTotal - (yNoisy - yBase);
        frameSum += frameTotal;
        noisySum += yNoisy;
        baselineSum += yBase;
      }
    }
    const { attributions, map, total } = attributionSums(sum, C, n);
    let meanDelta = 0;
    let meanAbsDelta = 0;
    for (const d of deltas) {
      meanDelta += d / n;
      meanAbsDelta += Math.abs(d) / n;
    }
    let squares = 0;
    for (const d of deltas) squares += (d - meanDelta) ** 2;
    const meanDeltaStdError = n > 1 ? Math.sqrt(squares / (n - 1) / n) : NaN;
    return {
      classIndex: c,
      score,
      target,
      attributions,
      shape: [H, W, C],
      map,
      total,
      baselineScore: baselineSum / n,
      frameAttribution: frameSum / n,
      noisyScore: noisySum / n,
      sampleDeltas: deltas,
      meanDelta,
      meanDeltaStdError,
      meanAbsDelta,
      samples: n,
      stdev,
      seed,
    };
  });
}

export interface GradientShapExplainerOptions extends BaselineOptions {
  samples: number;
  /**
   * A target standard error of the mean completeness delta, in the target's
   * units (0: off). When set, n is chosen per call by chooseSamples from a
   * pilot of 16 samples, between 2 and SE_MAX_SAMPLES; `samples` is then unused.
   */
  standardError: number;
  stdev: number;
  seed: number;
  /** The padding along the path: 'baseline' (a one-colour reference is an infinite plane) or 'model' (its zeros throughout). */
  padding: PathPadding;
}

/** GradientSHAP in the explainer registry. */
export const gradientShapExplainer: Explainer<GradientShapExplainerOptions> = {
  name: 'gradientshap',
  label: 'GradientSHAP',
  reference: 'Lundberg & Lee 2017, "A unified approach to interpreting model predictions"; Captum\'s GradientShap',
  formula: String.raw`$\varphi = \frac{1}{n}\sum_s \nabla_x y_c\big(b_s + \alpha_s (x - b_s)\big) \odot (x - b_s)$`,
  options: {
    samples: int({ min: 1, max: 100_000, describe: 'GradientSHAP samples per image', default: 50 }),
    standardError: num({ min: 0, max: 1000, describe: 'GradientSHAP: choose the samples per image so that the standard error of the mean completeness delta is at most this (logits or log-probabilities; 0: use --samples)', default: 0, placeholder: '<se>' }),
    stdev: num({ min: 0, max: 100, describe: "GradientSHAP input noise σ (in normalised units; Captum's default 0)", default: 0, placeholder: '<σ>' }),
    ...baselineFields('GradientSHAP', { baselineImages: 32 }),
    seed: int({ min: 0, max: 2 ** 31 - 1, describe: "seed of GradientSHAP's sampling", default: 0 }),
    padding: choice(PATH_PADDINGS, { describe: "GradientSHAP's padding along the path: 'baseline' makes a black reference an infinite black plane (no edge stripe), 'model' keeps the network's zeros", default: 'baseline' }),
  },
  flags: { samples: 'samples', standardError: 'shap-standard-error', stdev: 'stdev', baseline: 'baseline', seed: 'shap-seed', blurSigma: 'blur-sigma', baselineImages: 'baseline-images', padding: 'shap-padding' },
  // Fewer samples where maps are many.
  budgets: { small: { samples: 16 }, checks: { samples: 32 } },
  mapShape: 'input',
  sign: 'signed',
  display: { scale: 'diverging', unit: 'logit', label: 'GradientSHAP φ' },
  completeness: true,
  stochastic: true,
  attribute(request, options) {
    const baseline = chosenBaseline(options, request.context, options.seed);
    const settings: GradientShapOptions = {
      baseline,
      samples: options.samples,
      stdev: options.stdev,
      seed: options.seed,
      imageKeys: request.imageKeys,
      classIndex: request.classIndex,
      padding: options.padding,
      target: request.target,
    };
    // A standard error asked for: n from a pilot (the same draws start the run).
    const choice = options.standardError > 0 ? chooseSamples(request.model, request.images, settings, { standardError: options.standardError, max: SE_MAX_SAMPLES }) : undefined;
    return gradientShap(request.model, request.images, { ...settings, samples: choice?.samples ?? options.samples }).map((r) =>
      asAttribution(
        r,
        {
          delta: r.meanDelta,
          deltaStdError: r.meanDeltaStdError,
          scoreChange: r.noisyScore - r.baselineScore,
          meanDelta: r.meanDelta,
          meanDeltaStdError: r.meanDeltaStdError,
          meanAbsDelta: r.meanAbsDelta,
          frameAttribution: r.frameAttribution,
          ...(choice ? { samplesCapped: choice.capped ? 1 : 0 } : {}),
        },
        { samples: r.samples, stdev: r.stdev, seed: r.seed, ...baselineParameters(options), padding: options.padding, ...(choice ? { standardError: options.standardError } : {}) },
      ),
    );
  },
  atInputSize: (map, shape, _parameters, size) => sameSize(map, shape, size),
};

/**
 * The number of samples whose mean delta has standard error `target`, for
 * per-sample deltas of standard deviation `sampleSd` (from a pilot run):
 * ⌈(sd/target)²⌉, between `min` and `max`. The deltas of one image are
 * independent draws, so the standard error falls like 1/√n.
 */
export function samplesForStandardError(sampleSd: number, target: number, limits: { min?: number; max?: number } = {}): number {
  if (!(target > 0)) throw new Error(`GradientSHAP: the target standard error must be > 0, got ${target}`);
  if (!(sampleSd >= 0)) throw new Error(`GradientSHAP: the deltas' standard deviation must be ≥ 0, got ${sampleSd}`);
  const min = limits.min ?? 2;
  const max = limits.max ?? 10_000;
  return Math.min(max, Math.max(min, Math.ceil((sampleSd / target) ** 2)));
}

/** The most samples a target standard error may ask for per image. */
export const SE_MAX_SAMPLES = 2000;

export interface SampleChoice {
  /** The samples to use: enough for every pilot image, at most `max`. */
  samples: number;
  /** Per image: the pilot's sd(δ_s), the target in logits, and the samples it needs. */
  images: { sampleSd: number; target: number; needed: number }[];
  /** Some image needs more than `max`: at `samples` its standard error stays above the target. */
  capped: boolean;
}

/**
 * Chooses GradientSHAP's n for a target standard error of the mean delta,
 * from a pilot run of `pilot` samples per image: an absolute target (logits)
 * or, with `relative`, a fraction of each image's |y(x̃) − y(b)| (0.05: the
 * completeness check can see a 10% error). Same options as gradientShap.
 */
export function chooseSamples(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: GradientShapOptions,
  target: { standardError: number; relative?: boolean; pilot?: number; max?: number },
): SampleChoice {
  const pilot = target.pilot ?? 16;
  const max = target.max ?? 2000;
  if (!Number.isInteger(pilot) || pilot < 2) throw new Error(`GradientSHAP: the pilot needs at least 2 samples, got ${pilot}`);
  const results = gradientShap(model, images, { ...options, samples: pilot });
  const per = results.map((r) => {
    const sampleSd = r.meanDeltaStdError * Math.sqrt(r.samples);
    const goal = target.relative ? target.standardError * Math.abs(r.noisyScore - r.baselineScore) : target.standardError;
    const needed = goal > 0 ? samplesForStandardError(sampleSd, goal, { max: Infinity }) : Infinity;
    return { sampleSd, target: goal, needed };
  });
  const needed = Math.max(2, ...per.map((p) => p.needed));
  return { samples: Math.min(max, needed), images: per, capped: needed > max };
}
