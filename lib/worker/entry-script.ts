// How to start a worker: the compiled entry when smile-lens runs from its
// build, else the TypeScript entry through tsx's require hook (tests, and
// notebooks, whose kernel compiles lib/ in memory). Local pools and Slurm job
// scripts both ask here; and how to start the command line itself.
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../run/locations';

export interface WorkerCommand {
  /** The script node runs. */
  script: string;
  /** Node options placed before the script. */
  execArgv: string[];
}

export function workerCommand(): WorkerCommand {
  const compiled = path.join(__dirname, 'entry.js');
  if (fs.existsSync(compiled)) return { script: compiled, execArgv: [] };
  return { script: path.join(__dirname, 'entry.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/** The `smile-lens` command line's own script (a Slurm job that runs a command again starts it). */
export function commandLineScript(): string {
  return path.join(projectRoot(), 'bin', 'smile-lens.js');
}
