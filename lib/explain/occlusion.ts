// Occlusion (Zeiler & Fergus 2014, "Visualizing and understanding
// convolutional networks"; Captum's Occlusion): a window × window square,
// moved over the image by `stride` pixels, replaces the pixels under it
// (all channels) by a fill colour; each position's drop in the target,
// y_c(x) − y_c(x with the square filled), is credited to every pixel under
// the square, and a pixel's attribution is the mean over the positions that
// cover it. As in Captum, the positions per axis are 0, s, 2s, … up to
// ⌈(side − window)/s⌉·s, the last square cut at the border, so every pixel is
// covered at least once. The fill is a colour in input space: the training
// mean colour (0 after normalisation; Captum's default baseline) or black.
// The occluded images go through the model in batches (one forward pass per
// batch of positions): no gradients, so the map is about the model's output
// alone, and signed (filling a square can raise the score).
import * as tf from '@tensorflow/tfjs';
import { choice, int } from '../config/schema';
import { blackBaseline } from './baselines';
import { Explainer, sameSize, Target } from './explainer';
import type { NormalisationStats } from '../data/normalisation';
import { classScores, scoresAtInputs } from './gradients';

export const OCCLUSION_FILLS = ['mean', 'black'] as const;
export type OcclusionFill = (typeof OCCLUSION_FILLS)[number];

export interface OcclusionOptions {
  /** Side of the square in pixels. */
  window: number;
  /** Step between positions in pixels. */
  stride: number;
  /** The fill colour per channel, in the model's input space. */
  fill: readonly number[];
  /** Class per image (or one for all); default: the predicted class. */
  classIndex?: number | readonly number[];
  /** Occluded images per forward pass (default 64). */
  batchSize?: number;
  /** What drops: y_c before the softmax ('logit', default) or log p_c ('log-prob'). */
  target?: Target;
}

export interface OcclusionResult {
  classIndex: number;
  /** y_c(x), of the target. */
  score: number;
  /** H × W: the mean drop over the positions covering each pixel. */
  map: Float32Array;
  shape: [number, number];
  /** Positions of the square (rows × columns). */
  positions: number;
  /** The largest drop of any one position. */
  maxDrop: number;
}

/** Window starts along an axis of `side` pixels: 0, s, 2s, … with the last square reaching the border (cut there). */
export function windowStarts(side: number, window: number, stride: number): number[] {
  if (!(Number.isInteger(window) && window >= 1 && window <= side)) throw new Error(`occlusion: the window must be a whole number from 1 to the image side ${side}, got ${window}`);
  if (!(Number.isInteger(stride) && stride >= 1 && stride <= window)) throw new Error(`occlusion: the stride must be a whole number from 1 to the window ${window} (a larger one leaves pixels uncovered), got ${stride}`);
  const count = Math.ceil((side - window) / stride) + 1;
  return Array.from({ length: count }, (_, k) => k * stride);
}

/** How many positions cover each pixel along an axis (the divisor of the mean). */
export function coverCounts(side: number, window: number, stride: number): Int32Array {
  const counts = new Int32Array(side);
  for (const s of windowStarts(side, window, stride)) for (let p = s; p < Math.min(s + window, side); p++) counts[p]++;
  return counts;
}

/** Occlusion maps of a batch of images (NHWC, input space). */
export function occlusion(model: tf.LayersModel, images: tf.Tensor4D, options: OcclusionOptions): OcclusionResult[] {
  const [count, H, W, C] = images.shape;
  const { window, stride } = options;
  const rows = windowStarts(H, window, stride);
  const cols = windowStarts(W, window, stride);
  if (options.fill.length !== C) throw new Error(`occlusion: ${options.fill.length} fill values for ${C} channels`);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const positions = rows.flatMap((r) => cols.map((c) => [r, c] as const));
  const rowCounts = coverCounts(H, window, stride);
  const colCounts = coverCounts(W, window, stride);

  const target = options.target ?? 'logit';
  const { classes, classIndices, scores: scoreRows } = scoresAtInputs(model, images, options.classIndex, target);

  const fill = tf.tensor4d(Array.from(options.fill), [1, 1, 1, C]);
  const results: OcclusionResult[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const c = classIndices[i];
      const score = scoreRows[i * classes + c];
      const sum = new Float64Array(H * W);
      let maxDrop = -Infinity;
      for (let start = 0; start < positions.length; start += batchSize) {
        const part = positions.slice(start, start + batchSize);
        const b = part.length;
        // 1 under the square, 0 elsewhere: occluded = x + mask ⊙ (fill − x).
        const mask = new Float32Array(b * H * W);
        part.forEach(([r0, c0], k) => {
          for (let r = r0; r < Math.min(r0 + window, H); r++) mask.fill(1, k * H * W + r * W + c0, k * H * W + r * W + Math.min(c0 + window, W));
        });
        const y = tf.tidy(() => {
          const x = tf.slice(images, [i, 0, 0, 0], [1, H, W, C]);
          const m = tf.tensor4d(mask, [b, H, W, 1]);
          const occluded = tf.add(x, tf.mul(m, tf.sub(fill, x))) as tf.Tensor4D;
          return tf.squeeze(tf.slice(classScores(model, occluded, { target }), [0, c], [b, 1]), [1]);
        });
        const ys = y.dataSync();
        y.dispose();
        part.forEach(([r0, c0], k) => {
          const drop = score - ys[k];
          maxDrop = Math.max(maxDrop, drop);
          for (let r = r0; r < Math.min(r0 + window, H); r++) for (let q = c0; q < Math.min(c0 + window, W); q++) sum[r * W + q] += drop;
        });
      }
      const map = new Float32Array(H * W);
      for (let r = 0; r < H; r++) for (let q = 0; q < W; q++) map[r * W + q] = sum[r * W + q] / (rowCounts[r] * colCounts[q]);
      results.push({ classIndex: c, score, map, shape: [H, W], positions: positions.length, maxDrop });
    }
  } finally {
    fill.dispose();
  }
  return results;
}

/** The fill colour in input space: the training mean colour is 0 after normalisation; black is (0 − mean)/std. */
export function occlusionFill(fill: OcclusionFill, normalisation: NormalisationStats, channels: number): number[] {
  if (fill === 'mean') return new Array<number>(channels).fill(0);
  const black = blackBaseline([1, 1, channels], normalisation.mean, normalisation.std);
  const values = Array.from(black.dataSync());
  black.dispose();
  return values;
}

export interface OcclusionExplainerOptions {
  window: number;
  stride: number;
  fill: OcclusionFill;
}

/** Occlusion in the explainer registry. */
export const occlusionExplainer: Explainer<OcclusionExplainerOptions> = {
  name: 'occlusion',
  label: 'Occlusion',
  reference: 'Zeiler & Fergus 2014, "Visualizing and understanding convolutional networks"; Captum\'s Occlusion',
  formula: String.raw`$a_i = \operatorname{mean}_{P \ni i}\big(y_c(x) - y_c(x_{P \leftarrow \text{fill}})\big)$ over the squares $P$ covering pixel $i$: a square slid over the photo and filled with a plain colour`,
  options: {
    window: int({ min: 1, max: 4096, describe: 'Occlusion square side in pixels', default: 16, placeholder: '<px>' }),
    stride: int({ min: 1, max: 4096, describe: 'Occlusion step between squares in pixels', default: 8, placeholder: '<px>' }),
    fill: choice(OCCLUSION_FILLS, { describe: "Occlusion fill colour: the training mean (0 in the model's input space) or black", default: 'mean' }),
  },
  flags: { window: 'occlusion-window', stride: 'occlusion-stride', fill: 'occlusion-fill' },
  checkOptions: (o) => (o.stride > o.window ? `the stride (${o.stride} px) must not exceed the window (${o.window} px), or pixels between the squares stay uncovered` : undefined),
  mapShape: 'input',
  sign: 'signed',
  display: { scale: 'diverging', unit: 'logit', label: 'occlusion drop' },
  completeness: false,
  stochastic: false,
  attribute(request, options) {
    const fill = occlusionFill(options.fill, request.context.normalisation, request.images.shape[3]);
    return occlusion(request.model, request.images, { window: options.window, stride: options.stride, fill, classIndex: request.classIndex, target: request.target }).map((r) => ({
      map: r.map,
      shape: r.shape,
      classIndex: r.classIndex,
      score: r.score,
      diagnostics: { positions: r.positions, maxDrop: r.maxDrop },
      parameters: { window: options.window, stride: options.stride, fill: options.fill },
    }));
  },
  atInputSize: (map, shape, _parameters, size) => sameSize(map, shape, size),
};
