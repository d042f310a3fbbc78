// What explain, audit and sanity checks share: a run's seeds handed to
// `smile-lens <command>-seed` worker processes, one progress line updating in
// place, and the records of every seed written as CSV and JSON beside their
// aggregates.
import * as path from 'path';
import { aggregateTable, AggregateRow, AuditRecord, writeCsv, writeJson } from '../audit/aggregate';
import type { RunConfigFile } from '../train/experiment';
import { readSeedResult, seedFolder } from '../train/train-seed';
import { runInWorkers } from '../util/worker-pool';
import { liveLine } from '../progress/live-line';

export interface SeedWorkersRun {
  backend: string;
  jobs?: number;
}

/** The seeds asked for, or the run's finished ones; none is an error naming what to do. */
export function finishedSeeds(runDir: string, cfg: RunConfigFile, asked: number[] | undefined, what: string): number[] {
  const seeds = asked ?? cfg.experiment.seeds.filter((s) => readSeedResult(seedFolder(runDir, s))?.status === 'done');
  if (seeds.length === 0) throw new Error(`${runDir}: no finished seed to ${what} (train the run first)`);
  return seeds;
}

/**
 * Runs `smile-lens <command> --run <runDir> --seed <s> --options <json>` for
 * each seed; `describe` turns a worker's progress message into its part of
 * the line. A failing seed does not stop the others; they are all reported at
 * the end, prefixed with `failure` (e.g. "audit of seed 3").
 */
export async function runSeedWorkers<P>(
  command: string,
  runDir: string,
  seeds: number[],
  options: unknown,
  run: SeedWorkersRun,
  progress: { label: string; describe: (p: P) => string; failure: (seed: number) => string },
): Promise<void> {
  if (seeds.length === 0) return;
  const started = Date.now();
  const line = liveLine();
  const latest = new Map<number, P>();
  let last = '';
  const { failures } = await runInWorkers<number, P>(
    seeds.map((s) => ({ key: s, args: [command, '--run', runDir, '--seed', String(s), '--options', JSON.stringify(options), '--backend', run.backend] })),
    {
      jobs: run.jobs,
      onMessage: (seed, p) => {
        latest.set(seed, p);
        last = `${progress.label}: ${[...latest.values()].map(progress.describe).join(' | ')} | ${((Date.now() - started) / 1000).toFixed(0)} s`;
        line.update(last);
      },
    },
  ).finally(() => line.done(last || undefined));
  if (failures.length) throw new Error(failures.map((f) => `${progress.failure(f.key)}: ${f.message}`).join('\n'));
}

/** Writes records.csv|json (the CSV with these columns) and summary.csv|json into `folder`. */
export function writeRecordTables(folder: string, records: AuditRecord[], columns: readonly string[], summary: { rows: AggregateRow[] }): void {
  writeCsv(path.join(folder, 'records.csv'), records, columns);
  writeJson(path.join(folder, 'records.json'), records);
  writeCsv(path.join(folder, 'summary.csv'), aggregateTable(summary.rows));
  writeJson(path.join(folder, 'summary.json'), summary);
}
