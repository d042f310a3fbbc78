// The folders a command is given, checked in its `prepare` (before any work):
// inputs exist, run folders are run folders with the seeds asked for, and
// output folders can take the outputs (lib/util/output-folder.ts). Each
// problem is a usage error naming the option and the folder.
import * as fs from 'fs';
import * as path from 'path';
import { RunFolder } from '../run/run-folder';
import { displayPath } from '../run/locations';
import { outputFolderProblem } from '../util/output-folder';
import { UsageError } from './command';

/** An input folder that must exist. */
export function existingFolder(flag: string, dir: string): string {
  const resolved = path.resolve(dir);
  if (!fs.existsSync(resolved)) throw new UsageError(`${flag} ${dir}: no such folder`);
  if (!fs.statSync(resolved).isDirectory()) throw new UsageError(`${flag} ${dir}: a file, not a folder`);
  return resolved;
}

/** A folder the command writes about `bytes` into (made when missing). */
export function outputFolder(flag: string, dir: string, bytes = 0): string {
  const problem = outputFolderProblem(dir, bytes);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return path.resolve(dir);
}

/** The run folder --run names, which must hold a run's configuration. */
export function runFolderOption(dir: string): RunFolder {
  const run = new RunFolder(existingFolder('--run', dir));
  if (!run.hasConfig()) throw new UsageError(`--run ${dir}: not a run folder (no ${path.basename(run.configFile)}); make one with smile-lens train`);
  return run;
}

/**
 * The seeds --seeds picks from a run (default: every trained one); each must
 * be one of the run's seeds and trained.
 */
export function trainedSeeds(run: RunFolder, seeds: number[] | undefined): number[] {
  const all = run.readConfig().experiment.seeds;
  const trained = all.filter((s) => run.seed(s).isTrained());
  const where = displayPath(run.dir);
  for (const s of seeds ?? []) {
    if (!all.includes(s)) throw new UsageError(`--seeds ${seeds!.join(',')}: ${where} has no seed ${s} (its seeds: ${all.join(', ')})`);
    if (!trained.includes(s)) throw new UsageError(`--seeds ${seeds!.join(',')}: seed ${s} of ${where} is not trained yet (trained: ${trained.join(', ') || 'none'}); run smile-lens train on it again to finish`);
  }
  if (!seeds && trained.length === 0) throw new UsageError(`--run ${where}: no trained seed yet; run smile-lens train on it again to finish`);
  return seeds ?? trained;
}
