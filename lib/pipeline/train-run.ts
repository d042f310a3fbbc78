// Trains a run folder from a configuration: prepares it (data, splits),
// trains every unfinished seed as a 'train-seed' job on the executor, shows
// one line of progress that updates in place (terminal or notebook), and
// writes the run's history and metrics. Used by `smile-lens train`, the main
// job, the audit's experiments and the training notebook.
import type { ExperimentConfig } from '../config/experiment';
import { currentBackend } from '../backend/select';
import type { MetricsFile, SeedResult } from '../run/files';
import { RunFolder, runFolder } from '../run/run-folder';
import { prepareRun, runSeed, writeRunSummary, ExperimentProgress } from '../train/experiment';
import type { SeedProgress } from '../train/train-seed';
import { formatExperimentProgress, runFraction } from '../train/progress-text';
import { liveLine } from '../progress/live-line';
import type { JobKind } from '../worker/job';
import { StageContext, stageContext } from './stage-context';

type TrainMessage = { type: 'progress'; progress: SeedProgress } | { type: 'result'; result: SeedResult };

/** A worker's job: train (or resume) one seed of a prepared run folder. */
export const trainSeedJob: JobKind<{ run: string; seed: number }, TrainMessage> = {
  describe: (p) => `training seed ${p.seed} of ${p.run}`,
  async run(p, job) {
    const result = await runSeed(new RunFolder(p.run), p.seed, (progress) => job.progress({ type: 'progress', progress }));
    job.progress({ type: 'result', result });
    return result;
  },
};

/** Creates (or checks) the run folder and writes every seed's split, decoding the images once. */
export async function prepareTraining(cfg: ExperimentConfig, dir: string | RunFolder): Promise<RunFolder> {
  const run = runFolder(dir);
  const decoding = liveLine();
  await prepareRun(run, cfg, currentBackend()?.name ?? 'unknown', (done, total) => decoding.update(`decoding images ${done}/${total}`));
  decoding.done();
  return run;
}

/** Trains (or resumes) every seed of the run; returns its metrics. A failed seed is reported after the others are saved. */
export async function trainRun(cfg: ExperimentConfig, dir: string | RunFolder, given: Partial<StageContext> = {}): Promise<MetricsFile> {
  const ctx = stageContext(given);
  const run = await prepareTraining(cfg, dir);

  const progress: ExperimentProgress = { seeds: new Map(), startedAt: Date.now() };
  for (const s of cfg.seeds) {
    const done = run.seed(s).readResult();
    progress.seeds.set(s, { seed: s, epoch: done?.epochs ?? 0, epochs: cfg.epochs, step: 0, steps: 0, loss: NaN, done: !!done });
  }
  const pending = cfg.seeds.filter((s) => !run.seed(s).readResult());
  const line = liveLine();
  let startFraction: number | undefined;
  let last = '';
  const show = () => {
    startFraction ??= runFraction(progress);
    last = formatExperimentProgress(progress, startFraction);
    line.update(last);
  };
  let failures: { key: number; message: string }[];
  try {
    ({ failures } = await ctx.executor.run<number, TrainMessage>(
      pending.map((seed) => ({ key: seed, job: { kind: 'train-seed', payload: { run: run.dir, seed } } })),
      {
        onMessage: (seed, m) => {
          if (m.type === 'progress') progress.seeds.set(seed, m.progress);
          else {
            const r = m.result;
            progress.seeds.set(seed, { ...progress.seeds.get(seed)!, done: true, failed: r.status === 'done' ? undefined : r.message });
            ctx.log(r.status === 'done' ? `seed ${r.seed} done: validation accuracy ${(100 * r.validation!.accuracy).toFixed(1)}%, balanced ${(100 * r.validation!.balancedAccuracy).toFixed(1)}%, macro-F1 ${(100 * r.validation!.macroF1).toFixed(1)}% after ${r.epochs} epochs (${r.seconds.toFixed(0)} s)` : `seed ${r.seed}: ${r.message}`);
          }
          show();
        },
      },
    ));
  } finally {
    line.done(last || undefined);
  }
  const metrics = writeRunSummary(run);
  if (failures.length) throw new Error(`${failures.length} seed(s) failed (the others are saved; run again to resume):\n${failures.map((f) => `seed ${f.key}: ${f.message}`).join('\n')}`);
  return metrics;
}
