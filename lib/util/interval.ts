// The mean over seeds (the unit of replication: each seed is a separately
// trained network) with its sample standard deviation and a 95% confidence
// interval, chosen by what the quantity is:
//
//   bounded quantities (proportions, accuracies, balanced accuracy, macro-F1,
//   region shares, RMA/RRA, the pointing game: [0, 1]; correlations and SSIM:
//   [−1, 1]) get a percentile bootstrap over seeds and images: draw the seeds
//   with replacement, then each drawn seed's images with replacement,
//   recompute the statistic, and take the 2.5th and 97.5th percentiles of
//   BOOTSTRAP_DRAWS draws. Every draw is a value of the quantity itself, so
//   the interval can never leave its range, and it carries both sources of
//   noise (which network, which images). Measured (scripts/interval-coverage.ts:
//   3 and 5 seeds, 10 and 50 images per seed, true proportions 3–95%, 400
//   runs each): coverage 61–99%, median 93%, never outside [0, 1]. The
//   logit-scale t interval, the other candidate, covered 17–97% (it collapses
//   when most seeds measure exactly 0: 17% at 5 seeds × 10 images, μ = 3%,
//   where the bootstrap has 76%), though it was the better one at 3 seeds ×
//   50 images near the bounds (91–93% against 81–86%); the plain t interval
//   left [0, 1] in up to 88% of the runs. With 3 seeds and 10 images near a
//   bound every method covers only 60–70%: read such intervals as rough.
//
//   unbounded quantities (deletion drops and gaps and the AUCs, in logit
//   units; NLL) keep Student's t with k − 1 degrees of freedom on the
//   per-seed values (with k = 5 the normal 1.96 would understate it).
//
// With fewer than MIN_SEEDS_FOR_INTERVAL seeds there is no interval (NaN
// bounds, method 'too-few-seeds'), and every formatter says so in words: two
// seeds give a t quantile of 12.7 and a bootstrap of two points, neither an
// honest statement of uncertainty. All draws come from a fixed seed: the same
// numbers give the same interval.
import { createRandom, mixSeed, Random } from './random';

export const MIN_SEEDS_FOR_INTERVAL = 3;
export const BOOTSTRAP_DRAWS = 2000;

/** How an interval was computed; 'too-few-seeds' and 'none' (no values) carry no bounds. */
export type IntervalMethod = 'bootstrap' | 'student-t' | 'too-few-seeds' | 'none';

/** What is printed instead of an interval below MIN_SEEDS_FOR_INTERVAL seeds. */
export const TOO_FEW_SEEDS = 'too few seeds for an interval';

/** The method in words, for every printed interval. */
export const INTERVAL_METHOD_TEXT: Record<IntervalMethod, string> = {
  bootstrap: 'percentile bootstrap over seeds and images',
  'student-t': "Student's t over seeds",
  'too-few-seeds': `${TOO_FEW_SEEDS} (fewer than ${MIN_SEEDS_FOR_INTERVAL})`,
  none: 'no values',
};

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  return df <= 30 ? T975[df - 1] : 1.96;
}

export interface Interval {
  /** Seeds summarised. */
  n: number;
  mean: number;
  /** Sample standard deviation over seeds (n − 1); 0 for a single value. */
  std: number;
  /** 95% confidence interval of the mean; [NaN, NaN] when there is none (see method). */
  ci95: [number, number];
  /** How ci95 was computed. Absent in files written before it was recorded (then: Student's t). */
  method?: IntervalMethod;
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};

function sampleStd(xs: readonly number[], m: number): number {
  return xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)) : 0;
}

function withoutInterval(values: readonly number[]): Interval {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN, ci95: [NaN, NaN], method: 'none' };
  const m = mean(values);
  return { n, mean: m, std: sampleStd(values, m), ci95: [NaN, NaN], method: 'too-few-seeds' };
}

/** An unbounded quantity: the per-seed values' mean, std and Student-t 95% interval. Non-finite values are left out. */
export function summarise(values: readonly number[]): Interval {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n < MIN_SEEDS_FOR_INTERVAL) return withoutInterval(xs);
  const m = mean(xs);
  const std = sampleStd(xs, m);
  const half = tQuantile975(n - 1) * (std / Math.sqrt(n));
  return { n, mean: m, std, ci95: [m - half, m + half], method: 'student-t' };
}

/** The p-th quantile (0…1) of sorted values, interpolated as numpy's default. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

export interface BootstrapOptions {
  draws?: number;
  /** Seeds the resampling (default 0): the same values give the same interval. */
  seed?: number;
}

function percentileInterval(draws: Float64Array): [number, number] {
  const sorted = draws.sort();
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}

/**
 * A bounded quantity measured per image: `perSeed[s]` holds seed s's image
 * values. The statistic is the mean over seeds of each seed's image mean;
 * the interval a two-level percentile bootstrap (seeds, then images).
 * Non-finite values and seeds without values are left out.
 */
export function summariseNested(perSeed: readonly (readonly number[])[], options: BootstrapOptions = {}): Interval {
  const seeds = perSeed.map((xs) => Float64Array.from(xs.filter((v) => Number.isFinite(v)))).filter((xs) => xs.length > 0);
  const means = seeds.map((xs) => mean(xs));
  if (seeds.length < MIN_SEEDS_FOR_INTERVAL) return withoutInterval(means);
  const k = seeds.length;
  const draws = options.draws ?? BOOTSTRAP_DRAWS;
  const rnd = createRandom(mixSeed(options.seed ?? 0, k, seeds.reduce((s, xs) => s + xs.length, 0)));
  const out = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    let total = 0;
    for (let s = 0; s < k; s++) {
      const xs = seeds[rnd.int(k)];
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += xs[rnd.int(xs.length)];
      total += sum / xs.length;
    }
    out[d] = total / k;
  }
  const m = mean(means);
  return { n: k, mean: m, std: sampleStd(means, m), ci95: percentileInterval(out), method: 'bootstrap' };
}

/** A proportion counted per seed (`hits` of `n` images): summariseNested over the images' 0/1 values. */
export function summariseCounts(perSeed: readonly { hits: number; n: number }[], options: BootstrapOptions = {}): Interval {
  return summariseNested(perSeed.map(({ hits, n }) => Array.from({ length: n }, (_, i) => (i < hits ? 1 : 0))), options);
}

/**
 * A bounded statistic computed from a seed's images as a whole (balanced
 * accuracy, macro-F1: not a mean of per-image values): `perSeed[s]` holds
 * seed s's items, `statistic` turns one seed's items into its value. The
 * summary is the mean over seeds; the interval a two-level percentile
 * bootstrap (seeds, then items within each drawn seed).
 */
export function bootstrapOverSeeds<T>(perSeed: readonly (readonly T[])[], statistic: (items: readonly T[]) => number, options: BootstrapOptions = {}): Interval {
  const seeds = perSeed.filter((items) => items.length > 0);
  const values = seeds.map((items) => statistic(items));
  if (seeds.length < MIN_SEEDS_FOR_INTERVAL) return withoutInterval(values);
  const k = seeds.length;
  const draws = options.draws ?? BOOTSTRAP_DRAWS;
  const rnd: Random = createRandom(mixSeed(options.seed ?? 0, k, seeds.reduce((s, xs) => s + xs.length, 0)));
  const out = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    let total = 0;
    for (let s = 0; s < k; s++) {
      const items = seeds[rnd.int(k)];
      const drawn = Array.from({ length: items.length }, () => items[rnd.int(items.length)]);
      total += statistic(drawn);
    }
    out[d] = total / k;
  }
  const m = mean(values);
  return { n: k, mean: m, std: sampleStd(values, m), ci95: percentileInterval(out), method: 'bootstrap' };
}

/** Whether the summary carries interval bounds. (Not a type guard: tslab compiles without strictNullChecks, where its negation would narrow to never.) */
export function hasInterval(s: Interval | undefined): boolean {
  return !!s && s.n >= MIN_SEEDS_FOR_INTERVAL && Number.isFinite(s.ci95[0]) && Number.isFinite(s.ci95[1]);
}

/** The method of a summary in words (summaries from before the method was recorded were Student's t). */
export function intervalMethodText(s: Interval): string {
  const method: IntervalMethod = s.method ?? (s.n === 0 ? 'none' : s.n < MIN_SEEDS_FOR_INTERVAL ? 'too-few-seeds' : 'student-t');
  return INTERVAL_METHOD_TEXT[method];
}

/**
 * "63.8 (sd 3.0; 95% CI 60.1–67.5, percentile bootstrap over seeds and images; 5 seeds)",
 * or "63.8 (sd 3.0; too few seeds for an interval (fewer than 3); 2 seeds)".
 */
export function formatInterval(s: Interval, scale = 100, digits = 1): string {
  if (s.n === 0 || !Number.isFinite(s.mean)) return 'n/a';
  const f = (v: number) => (v * scale).toFixed(digits);
  const seeds = `${s.n} seed${s.n === 1 ? '' : 's'}`;
  if (s.n === 1) return `${f(s.mean)} (${TOO_FEW_SEEDS}; ${seeds})`;
  const interval = hasInterval(s) ? `95% CI ${f(s.ci95[0])}–${f(s.ci95[1])}, ${intervalMethodText(s)}` : intervalMethodText(s);
  return `${f(s.mean)} (sd ${f(s.std)}; ${interval}; ${seeds})`;
}

/**
 * "63.8 (sd 3.0)", the short form for tables; "63.8" for one seed. (Not
 * "± sd": "2.0 ± 3.0" reads as an interval reaching below 0.)
 */
export function formatMeanSd(s: Interval, scale = 100, digits = 1): string {
  if (s.n === 0 || !Number.isFinite(s.mean)) return 'n/a';
  const f = (v: number) => (v * scale).toFixed(digits);
  return s.n > 1 ? `${f(s.mean)} (sd ${f(s.std)})` : f(s.mean);
}

/**
 * A mean with its 95% interval for a table cell: "41.2% (35.0–47.4)", or
 * "41.2% (too few seeds for an interval)". The method is named once per
 * table (intervalNote in lib/pipeline/audit-tables.ts).
 */
function formatCell(s: Interval | undefined, f: (v: number) => string, unit: string): string {
  if (!s || typeof s.mean !== 'number' || !Number.isFinite(s.mean)) return 'n/a';
  if (hasInterval(s)) return `${f(s.mean)}${unit} (${f(s.ci95[0])}–${f(s.ci95[1])})`;
  return `${f(s.mean)}${unit} (${TOO_FEW_SEEDS})`;
}

export function formatPercent(s: Interval | undefined, digits = 1): string {
  return formatCell(s, (v) => (100 * v).toFixed(digits), '%');
}

export function formatNumber(s: Interval | undefined, digits = 2): string {
  return formatCell(s, (v) => v.toFixed(digits), '');
}
