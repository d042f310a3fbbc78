// How to start a worker: the compiled entry when smile-lens runs from its
// build, else the TypeScript entry through tsx's require hook. Local pools
// and Slurm job scripts both ask here.
import * as path from 'path';

export interface WorkerCommand {
  /** The script node runs. */
  script: string;
  /** Node options placed before the script. */
  execArgv: string[];
}

export function workerCommand(): WorkerCommand {
  if (__filename.endsWith('.js')) return { script: path.join(__dirname, 'entry.js'), execArgv: [] };
  return { script: path.join(__dirname, 'entry.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}
