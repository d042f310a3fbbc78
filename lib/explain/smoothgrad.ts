// SmoothGrad (Smilkov et al. 2017, "SmoothGrad: removing noise by adding
// noise") as a noise tunnel over any registered method (Captum's
// NoiseTunnel): the base method's map M is averaged over n copies of the
// input with Gaussian noise,
//   mean         M̂(x) = (1/n) Σ_s M(x + ε_s)            (SmoothGrad)
//   mean-square  (1/n) Σ_s M(x + ε_s)²                   (SmoothGrad², non-negative)
//   variance     (1/n) Σ_s (M(x + ε_s) − M̂(x))²          (VarGrad, non-negative)
// with ε_s ~ N(0, σ²) and σ = noise · (max x − min x), the fraction of the
// image's own range in input space (the paper's σ/(x_max − x_min); it found
// 10–20% best). The square is taken of the base's map (already summed over
// colour channels), not per channel as Captum's smoothgrad_sq does.
//
// Randomness: the noise of image i comes from a generator seeded by
// (seed, its key), drawn sample after sample, so a map does not depend on
// the batch it is computed in and the sanity checks can hold the draws
// fixed. A stochastic base (GradientSHAP) is called with the image's own
// key for every noisy copy: its draws are the same across the copies
// (common random numbers), so the tunnel's spread is the input noise alone,
// and σ = 0 gives the base's map exactly. The base runs with its default
// options. The map has the base's shape (a layer's for Grad-CAM) and is
// brought to the input's resolution as the base does it.
import * as tf from '@tensorflow/tfjs';
import { choice, int, num } from '../config/schema';
import { createRandom, mixSeed } from '../util/random';
import { Attribution, Explainer, MapTraits, resolveOptions, traitsOf } from './explainer';
import { classScores, scoresOfClasses } from './gradients';

export const SMOOTHGRAD_AGGREGATIONS = ['mean', 'mean-square', 'variance'] as const;
export type SmoothGradAggregation = (typeof SMOOTHGRAD_AGGREGATIONS)[number];

export interface SmoothGradOptions {
  /** The registered method averaged (its default options). */
  base: string;
  samples: number;
  /** σ as a fraction of the image's range in input space. */
  noise: number;
  aggregation: SmoothGradAggregation;
  seed: number;
}

/** Noisy copies per call of the base method (they form its batch). */
const COPIES_PER_CALL = 32;

/** What SmoothGrad's maps are over a base whose maps are `base`. */
function smoothGradTraits(base: MapTraits, aggregation: SmoothGradAggregation, label: string): MapTraits {
  const squared = aggregation !== 'mean';
  const sign = squared ? 'non-negative' : base.sign;
  const prefix = aggregation === 'mean' ? 'SmoothGrad' : aggregation === 'mean-square' ? 'SmoothGrad²' : 'VarGrad';
  return {
    mapShape: base.mapShape,
    sign,
    display: { scale: sign === 'signed' ? 'diverging' : 'sequential', unit: squared ? `(${base.display.unit})²` : base.display.unit, label: `${prefix} ${base.display.label ?? label}` },
    completeness: false,
    stochastic: true,
  };
}

/**
 * SmoothGrad over the methods in `bases` (the registry's others): the base is
 * an option, so the noise tunnel is one method that wraps any of them.
 */
export function smoothGradExplainer(bases: readonly Explainer<any>[]): Explainer<SmoothGradOptions> {
  const names = bases.map((e) => e.name);
  const baseOf = (name: string): Explainer<object> => {
    const found = bases.find((e) => e.name === name);
    if (!found) throw new Error(`SmoothGrad: unknown base method "${name}" (known: ${names.join(', ')})`);
    return found;
  };
  const DEFAULT_BASE = 'saliency';
  const traitsFor = (o: SmoothGradOptions) => {
    const base = baseOf(o.base);
    return smoothGradTraits(traitsOf(base, resolveOptions(base)), o.aggregation, base.label);
  };
  const defaults = traitsFor({ base: DEFAULT_BASE, samples: 50, noise: 0.15, aggregation: 'mean', seed: 0 });
  return {
    name: 'smoothgrad',
    label: 'SmoothGrad',
    reference: 'Smilkov et al. 2017, "SmoothGrad: removing noise by adding noise"; Captum\'s NoiseTunnel',
    formula: String.raw`$\hat M(x) = \frac{1}{n}\sum_s M(x + \varepsilon_s)$ with $\varepsilon_s \sim \mathcal N(0, \sigma^2)$: the base method's map $M$ averaged over noisy copies of the photo`,
    options: {
      base: choice(names, { describe: 'the method SmoothGrad averages (with its default options)', default: DEFAULT_BASE }),
      samples: int({ min: 1, max: 100_000, describe: 'SmoothGrad noisy copies per image', default: 50 }),
      noise: num({ min: 0, max: 10, describe: "SmoothGrad noise σ as a fraction of the image's range (the paper: 0.1–0.2)", default: 0.15, placeholder: '<σ>' }),
      aggregation: choice(SMOOTHGRAD_AGGREGATIONS, { describe: 'SmoothGrad aggregation: mean (SmoothGrad), mean-square (SmoothGrad²) or variance (VarGrad)', default: 'mean' }),
      seed: int({ min: 0, max: 2 ** 31 - 1, describe: "seed of SmoothGrad's noise", default: 0 }),
    },
    flags: { base: 'smoothgrad-base', samples: 'smoothgrad-samples', noise: 'smoothgrad-noise', aggregation: 'smoothgrad-aggregation', seed: 'smoothgrad-seed' },
    budgets: { small: { samples: 10 }, checks: { samples: 10 } },
    ...defaults,
    traitsFor,
    attribute(request, options) {
      const base = baseOf(options.base);
      const baseOptions = resolveOptions(base);
      const [count, H, W, C] = request.images.shape;
      const n = options.samples;
      // Per image: the noise generator and σ; the running mean and sum of squared deviations (Welford) of its maps.
      const values = request.images.dataSync();
      // The score is of the clean input, as every method reports it (of the target the base explains).
      const clean = tf.tidy(() => scoresOfClasses(classScores(request.model, request.images, { target: request.target }), request.classIndex));
      const scores = clean.dataSync();
      clean.dispose();
      const perImage = Array.from({ length: count }, (_, i) => {
        const own = values.subarray(i * H * W * C, (i + 1) * H * W * C);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of own) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        return { rnd: createRandom(mixSeed(options.seed, request.imageKeys[i])), sigma: options.noise * (hi - lo), mean: undefined as Float64Array | undefined, m2: undefined as Float64Array | undefined, seen: 0, noisyScore: 0, first: undefined as Attribution | undefined };
      });
      // Copy (i, s) for every image and sample, image-major, so each image's noise is drawn in sample order.
      const copies = perImage.flatMap((_, i) => Array.from({ length: n }, () => i));
      for (let start = 0; start < copies.length; start += COPIES_PER_CALL) {
        const part = copies.slice(start, start + COPIES_PER_CALL);
        const noisy = new Float32Array(part.length * H * W * C);
        part.forEach((i, k) => {
          const { rnd, sigma } = perImage[i];
          const offset = k * H * W * C;
          for (let p = 0; p < H * W * C; p++) noisy[offset + p] = values[i * H * W * C + p] + (sigma > 0 ? rnd.normal(0, sigma) : 0);
        });
        const images = tf.tensor4d(noisy, [part.length, H, W, C]);
        let maps: Attribution[];
        try {
          maps = base.attribute({ ...request, images, classIndex: part.map((i) => request.classIndex[i]), imageKeys: part.map((i) => request.imageKeys[i]) }, baseOptions);
        } finally {
          images.dispose();
        }
        maps.forEach((a, k) => {
          const state = perImage[part[k]];
          state.first ??= a;
          state.mean ??= new Float64Array(a.map.length);
          state.m2 ??= new Float64Array(a.map.length);
          state.seen++;
          state.noisyScore += a.score / n;
          const squared = options.aggregation === 'mean-square';
          for (let p = 0; p < a.map.length; p++) {
            const v = squared ? a.map[p] * a.map[p] : a.map[p];
            const d = v - state.mean[p];
            state.mean[p] += d / state.seen;
            state.m2[p] += d * (v - state.mean[p]);
          }
        });
      }
      return perImage.map((state, i) => {
        const first = state.first!;
        const mean = state.mean!;
        const m2 = state.m2!;
        const map = options.aggregation === 'variance' ? Float32Array.from(m2, (v) => v / n) : Float32Array.from(mean);
        // The sampling error of an averaged map relative to its size: ‖SE‖ / ‖map‖, SE per pixel √(s²/n).
        const diagnostics: Record<string, number> = { sigma: state.sigma, noisyScore: state.noisyScore };
        if (options.aggregation !== 'variance' && n > 1) {
          let se = 0;
          let norm = 0;
          for (let p = 0; p < mean.length; p++) {
            se += m2[p] / (n - 1) / n;
            norm += map[p] * map[p];
          }
          diagnostics.relativeStdError = norm > 0 ? Math.sqrt(se / norm) : 0;
        }
        return {
          map,
          shape: first.shape,
          classIndex: request.classIndex[i],
          score: scores[i],
          diagnostics,
          parameters: { base: base.name, samples: n, noise: options.noise, aggregation: options.aggregation, seed: options.seed, baseParameters: first.parameters },
        };
      });
    },
    atInputSize(map, shape, parameters, size) {
      return baseOf(String(parameters.base)).atInputSize(map, shape, (parameters.baseParameters ?? {}) as Record<string, unknown>, size);
    },
  };
}
