// How to start a worker: the compiled entry when smile-lens runs from its
// build, else the TypeScript entry through tsx's require hook (tests, and
// notebooks, whose kernel compiles lib/ in memory). Local pools and Slurm job
// scripts both ask here.
import * as fs from 'fs';
import * as path from 'path';

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
