// Mean ± sample standard deviation and a 95% confidence interval for a small
// number of runs (seeds): with k = 5 the normal 1.96 would understate the
// uncertainty, so the interval uses Student's t with k − 1 degrees of freedom.

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
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  /** 95% confidence interval of the mean; equal to the mean when n = 1. */
  ci95: [number, number];
}

export function summarise(values: number[]): Interval {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN, ci95: [NaN, NaN] };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? tQuantile975(n - 1) * (std / Math.sqrt(n)) : 0;
  return { n, mean, std, ci95: [mean - half, mean + half] };
}

export function formatInterval(s: Interval, scale = 100, digits = 1): string {
  if (s.n === 0) return 'n/a';
  const f = (v: number) => (v * scale).toFixed(digits);
  return s.n > 1 ? `${f(s.mean)} ± ${f(s.std)} (95% CI ${f(s.ci95[0])}–${f(s.ci95[1])}, n=${s.n})` : `${f(s.mean)} (n=1)`;
}

/** "41.2% (95% CI 35.0–47.4)", or "41.2%" for one seed. */
export function formatPercent(s: Interval | undefined, digits = 1): string {
  if (!s || typeof s.mean !== 'number' || !Number.isFinite(s.mean)) return 'n/a';
  const f = (v: number) => (100 * v).toFixed(digits);
  return s.n > 1 && Number.isFinite(s.ci95[0]) ? `${f(s.mean)}% (${f(s.ci95[0])}–${f(s.ci95[1])})` : `${f(s.mean)}%`;
}

export function formatNumber(s: Interval | undefined, digits = 2): string {
  if (!s || typeof s.mean !== 'number' || !Number.isFinite(s.mean)) return 'n/a';
  const f = (v: number) => v.toFixed(digits);
  return s.n > 1 && Number.isFinite(s.ci95[0]) ? `${f(s.mean)} (${f(s.ci95[0])}–${f(s.ci95[1])})` : f(s.mean);
}
