// What explain, audit and the sanity checks share: a run's seeds handed to the
// executor as jobs of one kind, one progress line updating in place, and a
// failure of any seed reported after the others have finished.
import type { RunConfigFile } from '../run/files';
import type { RunFolder } from '../run/run-folder';
import { liveLine } from '../progress/live-line';
import type { StageContext } from './stage-context';

/** The seeds asked for, or the run's finished ones; none is an error naming what to do. */
export function finishedSeeds(run: RunFolder, cfg: RunConfigFile, asked: number[] | undefined, what: string): number[] {
  const seeds = asked ?? cfg.experiment.seeds.filter((s) => run.seed(s).readResult()?.status === 'done');
  if (seeds.length === 0) throw new Error(`${run.dir}: no finished seed to ${what} (train the run first)`);
  for (const s of seeds) if (!cfg.experiment.seeds.includes(s)) throw new Error(`${run.dir}: has no seed ${s} (its seeds: ${cfg.experiment.seeds.join(', ')})`);
  return seeds;
}

/**
 * Runs a job of `kind` for each seed (payload made by `payload(seed)`);
 * `describe` turns a worker's progress message into its part of the line. A
 * failing seed does not stop the others; they are all reported at the end,
 * prefixed with `failure` (e.g. "audit of seed 3").
 */
export async function runSeedJobs<P>(
  kind: string,
  seeds: number[],
  payload: (seed: number) => unknown,
  ctx: StageContext,
  progress: { label: string; describe: (p: P) => string; failure: (seed: number) => string },
): Promise<void> {
  if (seeds.length === 0) return;
  const started = Date.now();
  const line = liveLine();
  const latest = new Map<number, P>();
  let last = '';
  const { failures } = await ctx.executor
    .run<number, P>(
      seeds.map((s) => ({ key: s, job: { kind, payload: payload(s) } })),
      {
        onMessage: (seed, p) => {
          latest.set(seed, p);
          last = `${progress.label}: ${[...latest.values()].map(progress.describe).join(' | ')} | ${((Date.now() - started) / 1000).toFixed(0)} s`;
          line.update(last);
        },
      },
    )
    .finally(() => line.done(last || undefined));
  if (failures.length) throw new Error(failures.map((f) => `${progress.failure(f.key)}: ${f.message}`).join('\n'));
}
