// Progress of long data work (generating, decoding). Functions take an
// optional `onProgress(done, total)`; the terminal reporter here draws one
// line on stderr with count, rate and ETA, and a notebook passes its own.
import { terminalLine } from '../cli/terminal-line';

export type ProgressCallback = (done: number, total: number) => void;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The one-line text: "decoding 120/1207 (10%) 35/s, ETA 31s". */
export function progressText(label: string, done: number, total: number, elapsedSeconds: number): string {
  const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  const tail = done >= total ? `in ${duration(elapsedSeconds)}` : `ETA ${duration(eta)}`;
  return `${label} ${done}/${total} (${pct}%) ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s, ${tail}`;
}

/**
 * A reporter that rewrites one stderr line (at most ~10 times a second on a
 * terminal, every 10 s in logs) and leaves the final count when done.
 */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressCallback {
  const line = terminalLine(stream);
  const start = Date.now();
  let lastAt = 0;
  return (done, total) => {
    const now = Date.now();
    const finished = done >= total;
    if (!finished && now - lastAt < 100) return;
    lastAt = now;
    const text = progressText(label, done, total, (now - start) / 1000);
    if (finished) {
      line.done();
      line.log(text);
    } else {
      line.update(text);
    }
  };
}

/** Calls every reporter given (skipping undefined ones). */
export function fanOut(...reporters: (ProgressCallback | undefined)[]): ProgressCallback {
  return (done, total) => reporters.forEach((r) => r?.(done, total));
}
