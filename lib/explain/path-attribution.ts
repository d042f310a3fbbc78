// What GradientSHAP and Integrated Gradients share: attributions measured
// against references (baselines.ts) along straight paths from each reference
// b to the input x, φ = (x − b) ⊙ (an average of ∇y_c on the path). Here:
// the references of each image, scored once (once for the batch when they
// are the same for every image); the padding frame along the path; the
// per-pixel sums every such method reports.
//
// The padding frame (see gradient-shap.ts for the measurement). Every 'same'
// convolution pads its input with the model's zeros. A one-colour reference
// (black) is by default an infinite plane of its colour (padding 'baseline'):
// at the reference every layer's padding has the colour the plane gives that
// layer (LayerGraph.planeFrames), and it travels to the model's 0 as the
// point goes to the input, frame(α) = colour · (1 − α). What the paddings
// receive, Σ ∂y/∂frame · (0 − colour) along the path, is the frame
// attribution, apart from the map: Σφ + frame attribution completes
// y(x) − y(b). Padding 'model' keeps the model's zeros throughout (and the
// right/bottom edge stripe the frame causes).
import * as tf from '@tensorflow/tfjs';
import { baselinesFor, ShapBaseline } from './baselines';
import type { Attribution, Target } from './explainer';
import { classScoresChunked } from './gradients';
import { layerGraph } from './layer-graph';

export const PATH_PADDINGS = ['baseline', 'model'] as const;
export type PathPadding = (typeof PATH_PADDINGS)[number];

/** What a reference-based attribution of one image holds. */
export interface ReferenceAttribution {
  classIndex: number;
  /** y_c(x), the explained output (the target) of the explained class at the input. */
  score: number;
  target: Target;
  /** φ, signed, H × W × C row-major (channels last). */
  attributions: Float32Array;
  shape: [number, number, number];
  /** Σ_channels φ, H × W. */
  map: Float32Array;
  /** Σ φ over all pixels and channels. */
  total: number;
  /** y_c(b), the mean over the references used (with the padding in the reference's colour when it travels the path). */
  baselineScore: number;
  /** The attribution to the padding frame (0 unless it travels the path); not in `map` or `total`. */
  frameAttribution: number;
}

export interface ScoredReferences {
  /** m × H × W × C, in input space. */
  images: tf.Tensor4D;
  /** y of every class at each reference, row-major (m × classes). */
  scores: Float32Array;
  /** For a one-colour reference taken as an infinite plane: each padding's colour there (1 × 1 × 1 × C, by input tensor id). */
  planes?: Map<number, tf.Tensor>;
}

/**
 * Calls `each(i, x, references)` for every image in turn (x: 1 × H × W × C)
 * with its references, scored in chunks of `batchSize` (of the target, with
 * the plane's paddings where it is one); a baseline that is the same for
 * every image (black, training images) is made and scored once for the
 * batch. Every tensor made here is disposed here.
 */
export function eachWithReferences<T>(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  baseline: ShapBaseline,
  options: { batchSize: number; target: Target; padding: PathPadding },
  each: (i: number, x: tf.Tensor4D, references: ScoredReferences) => T,
): T[] {
  if (!(PATH_PADDINGS as readonly string[]).includes(options.padding)) throw new Error(`explain: padding must be one of ${PATH_PADDINGS.join(', ')}, got "${options.padding}"`);
  const [count, H, W, C] = images.shape;
  const release = (r: ScoredReferences | undefined) => {
    r?.images.dispose();
    if (r?.planes) tf.dispose([...r.planes.values()]);
  };
  let shared: ScoredReferences | undefined;
  const out: T[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const x = tf.slice(images, [i, 0, 0, 0], [1, H, W, C]);
      let own: ScoredReferences | undefined;
      try {
        let references = shared;
        if (!references) {
          const made = baselinesFor(baseline, x);
          const planes = options.padding === 'baseline' && made.uniform ? planeFrames(model, made.images.slice([0, 0, 0, 0], [1, H, W, C]) as tf.Tensor4D) : undefined;
          references = { images: made.images, scores: classScoresChunked(model, made.images, options.batchSize, options.target, planes), planes };
          if (made.fixed) shared = references;
          else own = references;
        }
        out.push(each(i, x, references));
      } finally {
        x.dispose();
        release(own);
      }
    }
  } finally {
    release(shared);
  }
  return out;
}

/** The infinite-plane padding colours of a one-colour image (the image is disposed). */
function planeFrames(model: tf.LayersModel, image: tf.Tensor4D): Map<number, tf.Tensor> {
  const { ids, colours } = tf.tidy(() => {
    const planes = layerGraph(model).planeFrames(image);
    return { ids: [...planes.keys()], colours: [...planes.values()] };
  });
  image.dispose();
  return new Map(ids.map((id, i) => [id, colours[i]]));
}

/** The paddings at path points α (b × 1 × 1 × 1): the plane's colour at the reference, the model's 0 at the input. Call inside tf.tidy. */
export function pathFrames(planes: ReadonlyMap<number, tf.Tensor> | undefined, alpha: tf.Tensor4D): Map<number, tf.Tensor> | undefined {
  return planes ? new Map([...planes].map(([id, colour]) => [id, tf.mul(colour, tf.sub(1, alpha))])) : undefined;
}

/** What the paddings receive at each point (b): Σ ∂y/∂frame ⊙ (0 − colour). Call inside tf.tidy. */
export function frameAttributions(planes: ReadonlyMap<number, tf.Tensor> | undefined, frameGradients: ReadonlyMap<number, tf.Tensor> | undefined): tf.Tensor1D | undefined {
  if (!planes || !frameGradients) return undefined;
  return tf.addN([...planes].map(([id, colour]) => tf.sum(tf.mul(frameGradients.get(id)!, tf.neg(colour)), [1, 2, 3]))) as tf.Tensor1D;
}

/** φ = sum / divisor (accumulated in float64), with its sum over channels per pixel and its total. */
export function attributionSums(sum: Float64Array, channels: number, divisor = 1): Pick<ReferenceAttribution, 'attributions' | 'map' | 'total'> {
  const attributions = new Float32Array(sum.length);
  const map = new Float32Array(sum.length / channels);
  let total = 0;
  for (let p = 0; p < sum.length; p++) {
    const v = sum[p] / divisor;
    attributions[p] = v;
    map[Math.floor(p / channels)] += v;
    total += v;
  }
  return { attributions, map, total };
}

/** The registry's record of one map: its channel sums with what the method reports and what shaped it. */
export function asAttribution(r: ReferenceAttribution, diagnostics: Record<string, number>, parameters: Record<string, unknown>): Attribution {
  return { map: r.map, shape: [r.shape[0], r.shape[1]], classIndex: r.classIndex, score: r.score, diagnostics, parameters };
}
