// How alike are two maps? The measures of the sanity checks (Adebayo et al.
// 2018, "Sanity checks for saliency maps"): a map that barely changes when
// the model's weights are randomised explains the image, not the model.
// They report Spearman rank correlation and SSIM, each on the maps with and
// without absolute values.
//
// Spearman: Pearson correlation of the ranks, ties given their average rank
// (as scipy.stats.spearmanr, which Quantus calls). A constant map has no
// ranking: NaN.
//
// SSIM (Wang, Bovik, Sheikh & Simoncelli 2004): Gaussian window 11×11,
// σ = 1.5, K1 = 0.01, K2 = 0.03, evaluated at every position where the
// window fits ('valid', as Wang's reference code; no padding) and averaged;
// local variances and covariance are the window-weighted ones (not the
// sample-corrected ones skimage uses by default). Quantus calls skimage with
// its default uniform 7×7 window; set windowSize/sigma to compare.
//
// Normalisation, as Adebayo et al.'s code does before comparing (their
// visualisations, from the PAIR saliency library): each map is scaled by a
// span, its largest |value| (or a percentile of |value|, clipping outliers,
// as their code does at the 99th), so that a map's scale — which differs
// between a trained and a randomised model — does not count, and brought into
// [0, 1] as SSIM expects of an image:
//   absolute  |a| / span                       (0 = no attribution)
//   signed    (a / span + 1) / 2                (0.5 = no attribution)
// SSIM is then taken with data range L = 1. This matters: SSIM's luminance
// and structure terms both flip sign when a map is negated, so on raw signed
// maps with non-zero local means SSIM(a, −a) comes out POSITIVE (≈ +0.9 for a
// blob); shifted into [0, 1], a negated map scores negative as it should.
// Spearman is taken on the raw values (a, and |a| for the absolute variant):
// ranks need no scaling, and clipping would only add ties.
// ssim() on its own takes maps as they are; its default data range is the
// joint range of the two maps, max − min over both, as Quantus does.
import { AttributionMap, Size, checkMap, checkSize } from './checks';

/** Ranks 1…n, tied values sharing their average rank. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

export function spearman(a: AttributionMap, b: AttributionMap): number {
  checkMap(a, a.length, 'spearman: first map');
  checkMap(b, a.length, "spearman: second map (the first map's length)");
  if (a.length < 2) throw new Error(`spearman: expected at least 2 values, got ${a.length}`);
  return pearson(averageRanks(a), averageRanks(b));
}

export interface NormaliseOptions {
  /** |a| / span instead of the signed (a / span + 1) / 2. */
  absolute?: boolean;
  /** Span = this percentile of |a| (values beyond are clipped); default 100, the maximum. */
  percentile?: number;
}

/** A map brought into [0, 1] as described above; an all-zero map becomes 0 (absolute) or 0.5 (signed). */
export function normaliseForComparison(map: AttributionMap, options: NormaliseOptions = {}): Float64Array {
  const p = options.percentile ?? 100;
  if (!(p > 0 && p <= 100)) throw new Error(`normaliseForComparison: expected a percentile in (0, 100], got ${p}`);
  const mags = Float64Array.from(map, Math.abs).sort();
  // Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
  const span = mags.length > 0 ? mags[Math.max(0, Math.ceil((p / 100) * mags.length) - 1)] : 0;
  const out = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const v = span > 0 ? Math.max(-1, Math.min(1, map[i] / span)) : 0;
    out[i] = options.absolute ? Math.abs(v) : (v + 1) / 2;
  }
  return out;
}

export interface SsimOptions {
  windowSize?: number;
  sigma?: number;
  k1?: number;
  k2?: number;
  /** L in C1 = (K1·L)², C2 = (K2·L)²; default: max − min over both maps. */
  dataRange?: number;
}

/** SSIM of two maps as they are (no normalisation; see mapSimilarity for the sanity-check variants). */
export function ssim(a: AttributionMap, b: AttributionMap, size: Size, options: SsimOptions = {}): number {
  checkSize(size, 'ssim size');
  checkMap(a, size, 'ssim: first map');
  checkMap(b, size, 'ssim: second map');
  const win = options.windowSize ?? 11;
  const sigma = options.sigma ?? 1.5;
  const { height: h, width: w } = size;
  if (!Number.isInteger(win) || win < 1) throw new Error(`ssim: expected an integer window size ≥ 1, got ${win}`);
  if (h < win || w < win) throw new Error(`ssim: expected maps at least ${win}×${win} (the window), got ${h}×${w}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i], b[i]);
    hi = Math.max(hi, a[i], b[i]);
  }
  const range = options.dataRange ?? hi - lo;
  if (!(range >= 0)) throw new Error(`ssim: expected a data range ≥ 0, got ${range}`);
  // Two identical constant maps: nothing to compare, and C1 = C2 = 0 would give 0/0.
  if (range === 0) return 1;
  const c1 = ((options.k1 ?? 0.01) * range) ** 2;
  const c2 = ((options.k2 ?? 0.03) * range) ** 2;

  // 1-D Gaussian weights; the 2-D window is their outer product (sums to 1).
  const g = new Float64Array(win);
  const centre = (win - 1) / 2;
  let gs = 0;
  for (let i = 0; i < win; i++) gs += g[i] = Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < win; i++) g[i] /= gs;

  // Window-weighted means of a, b, a², b², ab at every valid position (separable: rows then columns).
  const oh = h - win + 1;
  const ow = w - win + 1;
  const fields = [(i: number) => a[i], (i: number) => b[i], (i: number) => a[i] * a[i], (i: number) => b[i] * b[i], (i: number) => a[i] * b[i]];
  const filtered = fields.map((f) => {
    const rows = new Float64Array(h * ow);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < ow; x++) {
        let s = 0;
        for (let t = 0; t < win; t++) s += g[t] * f(y * w + x + t);
        rows[y * ow + x] = s;
      }
    }
    const out = new Float64Array(oh * ow);
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let s = 0;
        for (let t = 0; t < win; t++) s += g[t] * rows[(y + t) * ow + x];
        out[y * ow + x] = s;
      }
    }
    return out;
  });
  const [mu1, mu2, e11, e22, e12] = filtered;
  let total = 0;
  for (let i = 0; i < oh * ow; i++) {
    const m1 = mu1[i];
    const m2 = mu2[i];
    const v1 = e11[i] - m1 * m1;
    const v2 = e22[i] - m2 * m2;
    const cov = e12[i] - m1 * m2;
    total += ((2 * m1 * m2 + c1) * (2 * cov + c2)) / ((m1 * m1 + m2 * m2 + c1) * (v1 + v2 + c2));
  }
  return total / (oh * ow);
}

export interface MapSimilarity {
  spearman: number;
  spearmanAbs: number;
  ssim: number;
  ssimAbs: number;
}

/**
 * The four numbers of a sanity check: Spearman on a and on |a|, SSIM on the
 * signed and the absolute normalisation (data range 1 unless given).
 */
export function mapSimilarity(
  a: AttributionMap,
  b: AttributionMap,
  size: Size,
  options: SsimOptions & { percentile?: number } = {},
): MapSimilarity {
  checkSize(size, 'mapSimilarity size');
  checkMap(a, size, 'mapSimilarity: first map');
  checkMap(b, size, 'mapSimilarity: second map');
  const ssimOptions = { ...options, dataRange: options.dataRange ?? 1 };
  const norm = (m: AttributionMap, absolute: boolean) => normaliseForComparison(m, { absolute, percentile: options.percentile });
  return {
    spearman: spearman(a, b),
    spearmanAbs: spearman(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs)),
    ssim: ssim(norm(a, false), norm(b, false), size, ssimOptions),
    ssimAbs: ssim(norm(a, true), norm(b, true), size, ssimOptions),
  };
}
