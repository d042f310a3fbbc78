// The deletion check (Petsiuk, Das & Saenko 2018, "RISE", section 4.1):
// does removing what the map calls important hurt the class score more than
// removing as many random pixels? Pixels are taken in the map's order, most
// attributed first, and replaced by a replacement image (a blurred copy, so
// the detail goes without pasting in a colour the data never had); the class
// score is recorded after each fraction. The same is done with random pixel
// orders (seeded, averaged over draws) as the control a faithful map must
// beat.
//
// Fractions are cumulative (the top 10% contain the top 5%), like Petsiuk's
// curve. A pixel is a spatial position: all its channels are replaced.
// Ties in the map (Grad-CAM's zero plateau, upsampled blocks) are broken by a
// seeded random order, not by index, which would delete top rows first.
//
// Area under the deletion curve: the trapezoid rule over the points
// (0, original score), (f₁, s₁), …, (f_max, s_max), divided by f_max, i.e.
// the curve's mean score (lower = the map found what matters). With
// fractions running to 1 this is Petsiuk's deletion AUC.
// Quantus's nearest relative, PixelFlipping (Bach et al. 2015), deletes in
// equal steps, orders ties by numpy's argsort, leaves the unperturbed score
// out of the curve, integrates with unit spacing (not normalised), and has no
// random control.
//
// Model-agnostic: the caller passes an async scoring function, and the
// replacement image (for a blurred copy: gaussianBlur in
// lib/explain/gaussian-blur.ts, the same blur GradientSHAP's baseline uses).
import { createRandom, mixSeed } from '../util/random';
import { AttributionMap, Size, checkMap } from './checks';

/** An H×W×C image, channels last. */
export interface ImageSize extends Size {
  channels: number;
}

/**
 * Scores of the explained class for `count` images stacked N×H×W×C in
 * `images`; one number per image (logit or probability, the caller decides).
 */
export type ScoreFunction = (images: Float32Array, count: number) => Promise<ArrayLike<number>>;

export interface DeletionOptions {
  /** Fractions of the pixels to delete; default 5%, 10%, 20%, 50%. */
  fractions?: number[];
  /** Random orders averaged for the control; default 5. */
  randomDraws?: number;
  /** Seeds the random control and the tie-break; default 0. */
  seed?: number;
  /** Images per call of the scoring function; default 32. */
  batchSize?: number;
  /** Rank pixels by the signed value (default: positive evidence first) or by |value|. */
  rankBy?: 'signed' | 'absolute';
}

export interface DeletionPoint {
  fraction: number;
  /** Pixels replaced: round(fraction · H · W). */
  pixels: number;
  score: number;
  /** original − score: how much the class lost. */
  drop: number;
}

export interface RandomDeletionPoint extends DeletionPoint {
  /** Sample standard deviation of the score over the draws (0 for one draw). */
  scoreStd: number;
}

export interface DeletionResult {
  original: number;
  attributed: DeletionPoint[];
  random: RandomDeletionPoint[];
  /** Normalised area under each deletion curve (mean score over [0, f_max]). */
  auc: { attributed: number; random: number };
}

export const DEFAULT_DELETION_FRACTIONS = [0.05, 0.1, 0.2, 0.5];

/** Normalised trapezoid area under (0, s₀), (f₁, s₁), … — the curve's mean over [0, f_max]. */
export function deletionArea(original: number, points: { fraction: number; score: number }[]): number {
  if (points.length === 0) return NaN;
  let area = 0;
  let f0 = 0;
  let s0 = original;
  for (const p of points) {
    area += ((p.fraction - f0) * (p.score + s0)) / 2;
    f0 = p.fraction;
    s0 = p.score;
  }
  return area / f0;
}

/** Pixel indices by decreasing value, ties in a seeded random order. */
export function deletionOrder(map: AttributionMap, seed: number, rankBy: 'signed' | 'absolute' = 'signed'): Uint32Array {
  const n = map.length;
  const tieBreak = createRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const position = new Uint32Array(n);
  tieBreak.forEach((pixel, p) => (position[pixel] = p));
  const value = (i: number) => (rankBy === 'absolute' ? Math.abs(map[i]) : map[i]);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => value(b) - value(a) || position[a] - position[b]);
  return Uint32Array.from(order);
}

export async function deletionCurve(
  score: ScoreFunction,
  image: ArrayLike<number>,
  map: AttributionMap,
  replacement: ArrayLike<number>,
  size: ImageSize,
  options: DeletionOptions = {},
): Promise<DeletionResult> {
  const { height: h, width: w, channels: c } = size;
  const n = h * w;
  if (image.length !== n * c) throw new Error(`deletion: expected the image to be ${h}×${w}×${c} (${n * c} values), got ${image.length}`);
  if (replacement.length !== n * c) {
    throw new Error(`deletion: expected the replacement image to be ${h}×${w}×${c} (${n * c} values), got ${replacement.length}`);
  }
  checkMap(map, size, 'deletion: attribution map (at the image resolution)');
  const fractions = [...(options.fractions ?? DEFAULT_DELETION_FRACTIONS)].sort((a, b) => a - b);
  if (fractions.length === 0 || fractions.some((f) => !(f > 0 && f <= 1))) {
    throw new Error(`deletion: expected fractions in (0, 1], got [${fractions.join(', ')}]`);
  }
  const draws = options.randomDraws ?? 5;
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`deletion: expected randomDraws ≥ 1, got ${draws}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`deletion: expected batchSize ≥ 1, got ${batchSize}`);
  const seed = options.seed ?? 0;
  const counts = fractions.map((f) => Math.round(f * n));

  // Every image to score: the original, then each fraction of each order.
  const orders = [deletionOrder(map, mixSeed(seed, 0), options.rankBy)];
  for (let d = 0; d < draws; d++) {
    orders.push(Uint32Array.from(createRandom(mixSeed(seed, 1, d)).shuffle(Array.from({ length: n }, (_, i) => i))));
  }
  const jobs: { order: Uint32Array | null; count: number }[] = [{ order: null, count: 0 }];
  for (const order of orders) for (const count of counts) jobs.push({ order, count });

  const scores: number[] = [];
  const stride = n * c;
  for (let start = 0; start < jobs.length; start += batchSize) {
    const batch = jobs.slice(start, start + batchSize);
    const images = new Float32Array(batch.length * stride);
    batch.forEach((job, b) => {
      const base = b * stride;
      for (let i = 0; i < stride; i++) images[base + i] = image[i];
      if (!job.order) return;
      for (let j = 0; j < job.count; j++) {
        const p = job.order[j] * c;
        for (let ch = 0; ch < c; ch++) images[base + p + ch] = replacement[p + ch];
      }
    });
    const out = await score(images, batch.length);
    if (out.length !== batch.length) {
      throw new Error(`deletion: expected the scoring function to return ${batch.length} scores, got ${out.length}`);
    }
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) throw new Error(`deletion: the scoring function returned ${out[i]}`);
      scores.push(out[i]);
    }
  }

  const original = scores[0];
  const at = (orderIndex: number, f: number) => scores[1 + orderIndex * counts.length + f];
  const attributed = fractions.map((fraction, f) => ({ fraction, pixels: counts[f], score: at(0, f), drop: original - at(0, f) }));
  const random = fractions.map((fraction, f) => {
    const xs = Array.from({ length: draws }, (_, d) => at(1 + d, f));
    const mean = xs.reduce((s, v) => s + v, 0) / draws;
    const std = draws > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws - 1)) : 0;
    return { fraction, pixels: counts[f], score: mean, drop: original - mean, scoreStd: std };
  });
  return { original, attributed, random, auc: { attributed: deletionArea(original, attributed), random: deletionArea(original, random) } };
}
