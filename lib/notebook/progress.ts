// Progress of long work (count, rate, ETA) as one line that updates in place:
// in a notebook one output is replaced (see live-line.ts), in a terminal one
// stderr line is rewritten. Long-running lib functions take the plain
// callback form `(done, total) => void`, which `progressCallback` provides.
import { LiveLine, liveLine, LiveLineOptions } from './live-line';

export type ProgressCallback = (done: number, total: number) => void;

export interface Progress {
  /** `n` more items are done (default 1). */
  tick(n?: number): void;
  /** Absolute position (and optionally a new total). */
  set(done: number, total?: number): void;
  /** Shows the final line (with `summary` appended, if given). */
  done(summary?: string): void;
  /** The same progress as a callback for lib functions. */
  readonly callback: ProgressCallback;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function formatRate(perSecond: number): string {
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

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function progressHtml(text: string, done: number, total: number): string {
  return (
    `<div style="font-family:monospace;white-space:pre">` +
    `<progress value="${done}" max="${Math.max(total, 1)}" style="width:14em;vertical-align:middle"></progress> ` +
    `${escapeHtml(text)}</div>`
  );
}

export interface ProgressOptions extends LiveLineOptions {
  /** Injected line (tests); otherwise one is made for the detected mode. */
  line?: LiveLine;
}

export function createProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const line = options.line ?? liveLine(options);
  const started = now();
  let count = 0;
  let finished = false;
  const show = () => {
    const text = formatProgress(label, count, total, (now() - started) / 1000);
    line.update(text, progressHtml(text, count, total));
  };
  const progress: Progress = {
    tick(n = 1) {
      count += n;
      show();
    },
    set(done, newTotal) {
      count = done;
      if (newTotal !== undefined) total = newTotal;
      show();
    },
    done(summary) {
      if (finished) return;
      finished = true;
      const text = formatProgress(label, count, total, (now() - started) / 1000) + (summary ? ` | ${summary}` : '');
      line.done(text, progressHtml(text, count, total));
    },
    callback: (done, newTotal) => {
      progress.set(done, newTotal);
      if (done >= newTotal) progress.done();
    },
  };
  return progress;
}

/**
 * A `(done, total) => void` callback for lib functions that report progress;
 * the display is created on the first call (when the total is known) and
 * finished when done reaches total.
 */
export function progressCallback(label: string, options: ProgressOptions = {}): ProgressCallback {
  let progress: Progress | undefined;
  return (done, total) => {
    progress = progress ?? createProgress(label, total, options);
    progress.callback(done, total);
  };
}
