// How far a run has come, per seed and stage, read from its files alone —
// the same whichever executor ran it (`smile-lens status`). A run's nested
// runs (the planted-bias sweep's strengths, the masked retraining) are
// listed after it, and a sweep folder lists its strengths.
import * as fs from 'fs';
import { explainerNames, methodLabel } from '../explain/registry';
import { RunFolder, SweepFolder } from '../run/run-folder';

export interface RunStatus {
  /** What the run is, e.g. "run", "bias sweep p = 0.50", "masked retraining". */
  label: string;
  dir: string;
  /** One row per seed: the seed, then one column per stage. */
  rows: Record<string, string>[];
  /** The run-level files that exist, in words (metrics, audit tables, …). */
  files: string[];
}

function trainingState(run: RunFolder, seed: number, epochs: number): string | undefined {
  const folder = run.seed(seed);
  const result = folder.readResult();
  if (result?.status === 'done') return `done, ${(100 * result.validation!.accuracy).toFixed(1)}%`;
  if (result) return `diverged: ${result.message ?? ''}`.trim();
  const checkpoint = folder.readCheckpoint();
  return checkpoint ? `epoch ${checkpoint.epoch}/${epochs}` : undefined;
}

function explanationState(run: RunFolder, method: string, seed: number): string | undefined {
  const folder = run.explanations(method, seed);
  const index = folder.readIndex();
  if (index) return `${index.length} images`;
  return fs.existsSync(folder.dir) ? 'started' : undefined;
}

/** A cell whose file cannot be read says so instead of failing the whole status. */
function cell(read: () => string | undefined): string {
  try {
    return read() ?? '—';
  } catch (e) {
    return `unreadable (${(e as Error).message.split(':')[0]})`;
  }
}

/** The state of one run folder. */
export function runStatus(run: RunFolder, label = 'run'): RunStatus {
  const { experiment } = run.readConfig();
  const methods = explainerNames().filter((m) => experiment.seeds.some((s) => cell(() => explanationState(run, m, s)) !== '—'));
  const rows = experiment.seeds.map((seed) => {
    const row: Record<string, string> = { seed: String(seed), training: cell(() => trainingState(run, seed, experiment.epochs)) };
    for (const m of methods) row[methodLabel(m)] = cell(() => explanationState(run, m, seed));
    row.audit = cell(() => (run.audit.readSeed(seed) ? 'done' : undefined));
    row.sanity = cell(() => (run.sanity.readSeed(seed) ? 'done' : undefined));
    return row;
  });
  const files = [
    [run.metricsFile, 'metrics'],
    [run.audit.summaryFile, 'audit tables'],
    [run.sanity.summaryFile, 'sanity tables'],
    [run.biasSweep.resultFile, 'bias-sweep result'],
    [run.masked.comparisonFile, 'masked comparison'],
    [run.reportFile, 'report'],
  ]
    .filter(([file]) => fs.existsSync(file))
    .map(([, what]) => what);
  return { label, dir: run.dir, rows, files };
}

/** A run folder with its nested runs, or a sweep folder's strengths. */
export function folderStatus(dir: string): RunStatus[] {
  const run = new RunFolder(dir);
  const sweep = (s: SweepFolder) => s.strengths().map((p) => runStatus(s.strength(p), `bias sweep p = ${p}`));
  if (!run.hasConfig()) {
    const strengths = sweep(new SweepFolder(dir));
    if (strengths.length === 0) throw new Error(`${run.configFile}: not found — expected a run folder (made by \`smile-lens train\` or the main job) or a bias-sweep folder`);
    return strengths;
  }
  return [runStatus(run), ...sweep(run.biasSweep), ...(run.masked.run.hasConfig() ? [runStatus(run.masked.run, 'masked retraining')] : [])];
}
