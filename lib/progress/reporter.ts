// Progress of long work (count, rate, ETA) as one line that updates in place:
// in a notebook one output is replaced (see live-line.ts), in a terminal one
// stderr line is rewritten (throttled in logs). Long-running lib functions
// take the plain callback form (callback.ts), which `progressCallback` provides.
import { escapeHtml } from '../util/html';
import type { ProgressCallback } from './callback';
import { formatProgress } from './format';
import { LiveLine, liveLine, LiveLineOptions } from './live-line';

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
