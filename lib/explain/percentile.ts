// Percentiles as numpy.percentile computes them by default ('linear'):
// sort, then interpolate at rank (p/100)·(N − 1). Used to clip outliers when
// a signed attribution map is shown.

/** The p-th percentile (0…100) of the values; NaNs are ignored. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  if (sorted.length === 0) throw new Error('percentile: no values');
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}
