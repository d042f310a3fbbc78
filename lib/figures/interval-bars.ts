// Error bars from 95% intervals that need not be symmetric about the mean
// (a bootstrap interval of a share near 0 reaches further up than down), in
// Plotly's form; none where a summary has no interval (fewer than three
// seeds: the figure's title says so).
import type { ErrorBars } from '../render/figure';
import { hasInterval, Interval, INTERVAL_METHOD_TEXT, MIN_SEEDS_FOR_INTERVAL } from '../util/interval';

export function intervalErrorBars(summaries: readonly (Interval | undefined)[], scale = 1, color?: string): ErrorBars {
  const part = (f: (s: Interval) => number) => summaries.map((s) => (s && hasInterval(s) ? Math.max(0, scale * f(s)) : 0));
  return {
    type: 'data',
    symmetric: false,
    array: part((s) => s.ci95[1] - s.mean),
    arrayminus: part((s) => s.mean - s.ci95[0]),
    visible: true,
    ...(color ? { color } : {}),
  };
}

/** What the error bars of bounded quantities over `seeds` seeds show, for a title. */
export function errorBarText(seeds: number): string {
  return seeds >= MIN_SEEDS_FOR_INTERVAL ? `95% CI, ${INTERVAL_METHOD_TEXT.bootstrap}` : INTERVAL_METHOD_TEXT['too-few-seeds'];
}
