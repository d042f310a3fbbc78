// The deletion and insertion games of Petsiuk, Das & Saenko (2018, "RISE",
// section 4.1): is the map faithful to the model? Pixels are taken in the
// map's order, most attributed first.
//   deletion   start from the image and replace the top fraction f of pixels
//              by a fill image; a faithful map makes the explained score
//              fall fast (low area under the curve);
//   insertion  start from the fill image and put the top fraction f of the
//              image's pixels back; a faithful map makes the score rise fast
//              (high area).
// Each game is played against the same game with random pixel orders (seeded,
// averaged over draws), the control a map must beat; the gap is how far it
// beats it, in the units of the score:
//   deletion gap  = AUC(random) − AUC(attributed)
//   insertion gap = AUC(attributed) − AUC(random)
// so for both, > 0 is better than chance and ≤ 0 is a map no better than
// deleting (inserting) random pixels.
//
// What is replaced matters: a fill the data never show (black) measures the
// network's answer to an artefact as well as to the loss of the evidence, and
// an explanation against the same reference (GradientSHAP's black baseline)
// is favoured by it. So the games are played with several fills (lib/audit/
// fills.ts: a blurred copy, the data's mean colour, black) and reported for
// each. RISE itself deletes to zeros in normalised space (the data's mean
// colour) and inserts into a blurred copy.
//
// Differences from RISE, all visible in the output: the score is the target
// the explanation explained (a logit or a log-probability), not the softmax
// probability; the curves are sampled at a few fractions f₁ < … < f_max (not
// every step), the area is the normalised trapezoid over [0, f_max] with the
// unperturbed score (deletion) or the fill's score (insertion) at 0; and the
// random control is added. Quantus's PixelFlipping and RegionPerturbation
// (Samek et al. 2017) are the deletion game with one fill and no control
// (RegionPerturbation's order 'random' is our control on its own).
//
// Fractions are cumulative (the top 10% contain the top 5%). A pixel is a
// spatial position: all its channels are replaced. Ties in the map (Grad-CAM's
// zero plateau, upsampled blocks) are broken by a seeded random order, not by
// index, which would take the top rows first.
//
// Every perturbed image of one photo — each fill, game, fraction, random draw
// and map — goes through the scoring function in batches of `batchSize`, and
// the random control, which does not depend on the map, is played once for
// all the maps of the photo. Model-agnostic: the caller passes an async
// scoring function.
import { createRandom, mixSeed } from '../util/random';
import { AttributionMap, Size, checkMap } from './checks';

/** An H×W×C image, channels last. */
export interface ImageSize extends Size {
  channels: number;
}

/**
 * Scores of the explained class for `count` images stacked N×H×W×C in
 * `images`; one number per image (the target the map explains).
 */
export type ScoreFunction = (images: Float32Array, count: number) => Promise<ArrayLike<number>>;

export const GAMES = ['deletion', 'insertion'] as const;
export type Game = (typeof GAMES)[number];

/** A fill: what deleted pixels become, and what insertion starts from (H×W×C, like the image). */
export interface Fill {
  name: string;
  image: ArrayLike<number>;
}

export interface GamesOptions {
  /** Fractions of the pixels replaced; default 5%, 10%, 20%, 50%. */
  fractions?: number[];
  /** Random orders averaged for the control; default 1. */
  randomDraws?: number;
  /** Seeds the random control and the tie-break; default 0. */
  seed?: number;
  /** Images per call of the scoring function; default 64. */
  batchSize?: number;
  /** Rank pixels by the signed value (default: positive evidence first) or by |value|. */
  rankBy?: 'signed' | 'absolute';
}

export interface CurvePoint {
  fraction: number;
  /** Pixels replaced (deletion) or put back (insertion): round(fraction · H · W). */
  pixels: number;
  score: number;
}

export interface RandomCurvePoint extends CurvePoint {
  /** Sample standard deviation of the score over the draws (0 for one draw). */
  scoreStd: number;
}

export interface GameCurves {
  /** The score where the curve starts: the image's (deletion) or the fill's (insertion). */
  start: number;
  attributed: CurvePoint[];
  random: RandomCurvePoint[];
  /** Normalised area under each curve (its mean score over [0, f_max]). */
  auc: { attributed: number; random: number };
  /** How far the map beats random pixels (> 0 better; see the header). */
  gap: number;
}

export interface FillGames {
  fill: string;
  /** The explained score of the fill image itself. */
  fillScore: number;
  deletion: GameCurves;
  insertion: GameCurves;
}

export interface GamesResult {
  /** The explained score of the unperturbed image. */
  original: number;
  /** Per map (in the order given), per fill (in the order given). */
  maps: FillGames[][];
}

export const DEFAULT_FRACTIONS = [0.05, 0.1, 0.2, 0.5];

/** Normalised trapezoid area under (0, s₀), (f₁, s₁), … — the curve's mean over [0, f_max]. */
export function curveArea(start: number, points: readonly { fraction: number; score: number }[]): number {
  if (points.length === 0) return NaN;
  let area = 0;
  let f0 = 0;
  let s0 = start;
  for (const p of points) {
    area += ((p.fraction - f0) * (p.score + s0)) / 2;
    f0 = p.fraction;
    s0 = p.score;
  }
  return area / f0;
}

/** Pixel indices by decreasing value, ties in a seeded random order. */
export function attributionOrder(map: AttributionMap, seed: number, rankBy: 'signed' | 'absolute' = 'signed'): Uint32Array {
  const n = map.length;
  const tieBreak = createRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const position = new Uint32Array(n);
  tieBreak.forEach((pixel, p) => (position[pixel] = p));
  const value = (i: number) => (rankBy === 'absolute' ? Math.abs(map[i]) : map[i]);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => value(b) - value(a) || position[a] - position[b]);
  return Uint32Array.from(order);
}

/** One image to score: `from` with the first `count` pixels of `order` taken from `to` (no order: `from` itself). */
interface Job {
  from: ArrayLike<number>;
  to: ArrayLike<number>;
  order: Uint32Array | null;
  count: number;
}

function checkedFractions(given: number[] | undefined): number[] {
  const fractions = [...(given ?? DEFAULT_FRACTIONS)].sort((a, b) => a - b);
  if (fractions.length === 0 || fractions.some((f) => !(f > 0 && f <= 1))) {
    throw new Error(`deletion/insertion: expected fractions in (0, 1], got [${fractions.join(', ')}]`);
  }
  return fractions;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`deletion/insertion: expected ${what} ≥ 1, got ${value}`);
  return value;
}

/**
 * Both games for every map of one image and every fill. `image`, every fill
 * and the scoring function's inputs share one space (the model's input);
 * maps are H×W at the image's resolution, all explaining the same score.
 */
export async function deletionInsertion(
  score: ScoreFunction,
  image: ArrayLike<number>,
  maps: readonly AttributionMap[],
  fills: readonly Fill[],
  size: ImageSize,
  options: GamesOptions = {},
): Promise<GamesResult> {
  const { height: h, width: w, channels: c } = size;
  const n = h * w;
  const stride = n * c;
  if (image.length !== stride) throw new Error(`deletion/insertion: expected the image to be ${h}×${w}×${c} (${stride} values), got ${image.length}`);
  if (fills.length === 0) throw new Error('deletion/insertion: expected at least one fill');
  for (const f of fills) {
    if (f.image.length !== stride) throw new Error(`deletion/insertion: expected the ${f.name} fill to be ${h}×${w}×${c} (${stride} values), got ${f.image.length}`);
  }
  maps.forEach((m, i) => checkMap(m, size, `deletion/insertion: attribution map ${i + 1} (at the image resolution)`));
  const fractions = checkedFractions(options.fractions);
  const draws = positiveInteger(options.randomDraws ?? 1, 'randomDraws');
  const batchSize = positiveInteger(options.batchSize ?? 64, 'batchSize');
  const seed = options.seed ?? 0;
  const counts = fractions.map((f) => Math.round(f * n));

  const randomOrders = Array.from({ length: draws }, (_, d) => Uint32Array.from(createRandom(mixSeed(seed, 1, d)).shuffle(Array.from({ length: n }, (_, i) => i))));
  const mapOrders = maps.map((m) => attributionOrder(m, mixSeed(seed, 0), options.rankBy));

  // The images to score, in a fixed layout: the original, each fill, then per
  // fill the random control and each map, each a run of both games × fractions.
  const jobs: Job[] = [{ from: image, to: image, order: null, count: 0 }];
  for (const f of fills) jobs.push({ from: f.image, to: f.image, order: null, count: 0 });
  const curve = (fill: Fill, game: Game, order: Uint32Array) => {
    const at = jobs.length;
    const [from, to] = game === 'deletion' ? [image, fill.image] : [fill.image, image];
    for (const count of counts) jobs.push({ from, to, order, count });
    return at;
  };
  const layout = fills.map((f) => ({
    random: GAMES.map((g) => randomOrders.map((o) => curve(f, g, o))),
    maps: mapOrders.map((o) => GAMES.map((g) => curve(f, g, o))),
  }));

  const scores = new Float64Array(jobs.length);
  const buffer = new Float32Array(Math.min(batchSize, jobs.length) * stride);
  for (let start = 0; start < jobs.length; start += batchSize) {
    const batch = jobs.slice(start, start + batchSize);
    const images = batch.length * stride === buffer.length ? buffer : buffer.subarray(0, batch.length * stride);
    batch.forEach((job, b) => {
      const base = b * stride;
      images.set(job.from, base);
      if (!job.order) return;
      for (let j = 0; j < job.count; j++) {
        const p = job.order[j] * c;
        for (let ch = 0; ch < c; ch++) images[base + p + ch] = job.to[p + ch];
      }
    });
    const out = await score(images, batch.length);
    if (out.length !== batch.length) throw new Error(`deletion/insertion: expected the scoring function to return ${batch.length} scores, got ${out.length}`);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) throw new Error(`deletion/insertion: the scoring function returned ${out[i]}`);
      scores[start + i] = out[i];
    }
  }

  const original = scores[0];
  const points = (at: number): CurvePoint[] => fractions.map((fraction, k) => ({ fraction, pixels: counts[k], score: scores[at + k] }));
  const randomPoints = (ats: number[]): RandomCurvePoint[] =>
    fractions.map((fraction, k) => {
      const xs = ats.map((at) => scores[at + k]);
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      const std = xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1)) : 0;
      return { fraction, pixels: counts[k], score: mean, scoreStd: std };
    });
  const games = fills.map((f, k) => {
    const fillScore = scores[1 + k];
    const random = GAMES.map((_, g) => randomPoints(layout[k].random[g]));
    return { fillScore, random };
  });
  return {
    original,
    maps: maps.map((_, m) =>
      fills.map((fill, k) => {
        const { fillScore, random } = games[k];
        const play = (g: number): GameCurves => {
          const start = GAMES[g] === 'deletion' ? original : fillScore;
          const attributed = points(layout[k].maps[m][g]);
          const auc = { attributed: curveArea(start, attributed), random: curveArea(start, random[g]) };
          return { start, attributed, random: random[g], auc, gap: GAMES[g] === 'deletion' ? auc.random - auc.attributed : auc.attributed - auc.random };
        };
        return { fill: fill.name, fillScore, deletion: play(0), insertion: play(1) };
      }),
    ),
  };
}
