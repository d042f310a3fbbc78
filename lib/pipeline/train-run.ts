// Trains a run folder from a configuration: prepares it (data, splits),
// trains every seed in worker processes and shows one line of progress that
// updates in place (terminal or notebook). Used by `smile-lens train`, the
// main job and the training notebook.
import { prepareRun, runExperiment, ExperimentConfig, MetricsFile } from '../train/experiment';
import { formatExperimentProgress, runFraction } from '../train/progress-text';
import { liveLine } from '../progress/live-line';

export interface TrainRunOptions {
  backend: string;
  jobs?: number;
  /** Permanent messages (a seed finished); default console.log. */
  log?: (text: string) => void;
}

export async function trainRun(cfg: ExperimentConfig, runDir: string, options: TrainRunOptions): Promise<MetricsFile> {
  const log = options.log ?? ((t: string) => console.log(t));
  const decoding = liveLine();
  await prepareRun(runDir, cfg, options.backend, (done, total) => decoding.update(`decoding images ${done}/${total}`));
  decoding.done();
  const line = liveLine();
  let startFraction: number | undefined;
  let last = '';
  try {
    return await runExperiment(runDir, {
      jobs: options.jobs,
      backend: options.backend,
      onProgress: (p) => {
        startFraction ??= runFraction(p);
        last = formatExperimentProgress(p, startFraction);
        line.update(last);
      },
      onSeedDone: (r) =>
        log(r.status === 'done' ? `seed ${r.seed} done: validation accuracy ${(100 * r.validation!.accuracy).toFixed(1)}% after ${r.epochs} epochs (${r.seconds.toFixed(0)} s)` : `seed ${r.seed}: ${r.message}`),
    });
  } finally {
    line.done(last || undefined);
  }
}
