// Runs independent pieces of work (a seed's training, a seed's explanations)
// as `smile-lens <command> …` child processes, a few at a time. Each child is
// a fresh process, so the numbers do not depend on how many run at once; the
// wasm backend uses one core per process, so processes are how smile-lens
// uses every core.
import { fork } from 'child_process';
import * as os from 'os';
import * as path from 'path';

export interface WorkerJob<K> {
  key: K;
  /** Arguments after `smile-lens`, e.g. ['train-seed', '--run', dir, '--seed', '1']. */
  args: string[];
}

export interface PoolOptions<K, M> {
  /** Processes at once; default: the number of cores. */
  jobs?: number;
  onMessage?: (key: K, message: M) => void;
}

export interface PoolResult<K> {
  failures: { key: K; message: string }[];
}

export function defaultJobs(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

function runOne<K, M>(job: WorkerJob<K>, onMessage?: (key: K, message: M) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'smile-lens.js');
    const child = fork(bin, job.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: M) => onMessage?.(job.key, m));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      const tail = stderr.trim().split('\n').filter((l) => !/^=+$|Hi, looks like you are running/.test(l)).slice(-8).join('\n');
      reject(new Error(`\`smile-lens ${job.args.join(' ')}\` exited with ${signal ?? `code ${code}`}${tail ? `:\n${tail}` : ''}`));
    });
  });
}

/** Runs every job; a failing job is reported, the others go on. */
export async function runInWorkers<K, M>(work: WorkerJob<K>[], options: PoolOptions<K, M> = {}): Promise<PoolResult<K>> {
  const queue = [...work];
  const failures: PoolResult<K>['failures'] = [];
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), queue.length || 1));
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      try {
        await runOne(job, options.onMessage);
      } catch (e) {
        failures.push({ key: job.key, message: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  return { failures };
}
