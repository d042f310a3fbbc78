// One line that says where every seed of a run is, and an ETA, for the
// terminal (rewritten in place) and for notebooks (updated in place).
import type { ExperimentProgress } from './experiment';
import { formatDuration } from '../progress/format';

/** Fraction of the run's steps done, counting finished seeds whole. */
export function runFraction(p: ExperimentProgress): number {
  let done = 0;
  for (const s of p.seeds.values()) {
    if (s.done || s.failed) done += 1;
    else if (s.epochs > 0) done += (Math.max(0, s.epoch - 1) + (s.steps ? s.step / s.steps : 0)) / s.epochs;
  }
  return p.seeds.size ? done / p.seeds.size : 0;
}

export function formatExperimentProgress(p: ExperimentProgress, startFraction = 0): string {
  const parts: string[] = [];
  for (const s of p.seeds.values()) {
    if (s.failed) parts.push(`seed ${s.seed} failed`);
    else if (s.done) parts.push(`seed ${s.seed} done`);
    else if (s.steps) parts.push(`seed ${s.seed} ep ${s.epoch}/${s.epochs} ${s.step}/${s.steps} loss ${s.loss.toFixed(3)}`);
    else parts.push(`seed ${s.seed} waiting`);
  }
  const f = runFraction(p);
  const elapsed = (Date.now() - p.startedAt) / 1000;
  const rate = (f - startFraction) / elapsed;
  const eta = rate > 0 ? (1 - f) / rate : NaN;
  return `${(100 * f).toFixed(0)}% | ${parts.join(' | ')} | ${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
}
