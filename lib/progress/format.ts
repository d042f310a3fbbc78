// The one way smile-lens writes durations, rates and progress lines.

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatRate(perSecond: number): string {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return '?/s';
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)}/s`;
  return `${(1 / perSecond).toFixed(1)} s each`;
}

/** "label 120/500 24% | 35.2/s | 3s elapsed | ETA 11s" (ETA left out once done). */
export function formatProgress(label: string, done: number, total: number, elapsedSec: number): string {
  const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
  const rate = elapsedSec > 0 ? done / elapsedSec : NaN;
  const parts = [`${label} ${done}/${total} ${pct}%`, formatRate(rate), `${formatDuration(elapsedSec)} elapsed`];
  if (done < total) parts.push(`ETA ${done > 0 && rate > 0 ? formatDuration((total - done) / rate) : '?'}`);
  return parts.join(' | ');
}
