// Runs units in worker processes on this machine, a few at a time. Each
// worker is a fresh process, so the numbers do not depend on how many run at
// once; the wasm backend uses one core per process, so processes are how
// smile-lens uses every core.
import { fork } from 'child_process';
import { defaultJobs } from '../util/cores';
import { currentBackend } from '../backend/select';
import { adopt, isStopping, PARENT_ENV } from './children';
import { workerCommand } from './entry-script';
import type { ExecuteOptions, ExecuteResult, Executor, Unit } from './executor';
import type { Job } from './job';


type WorkerMessage<M> = { type: 'progress'; message: M } | { type: 'result'; result: unknown };

/** The last lines a worker wrote to stderr, without TensorFlow.js's banner. */
export function stderrTail(stderr: string): string {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => !/^=+$|Hi, looks like you are running|tfjs-node|^\s*$/.test(l))
    .slice(-8)
    .join('\n');
}

function runOne<M>(job: Job, onMessage?: (message: M) => void): Promise<void> {
  const { script, execArgv } = workerCommand();
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--job', JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv, env: { ...process.env, [PARENT_ENV]: String(process.pid) } });
    adopt(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: WorkerMessage<M>) => {
      if (m.type === 'progress') onMessage?.(m.message);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      const text = stderrTail(stderr);
      reject(new Error(`the worker ${why}${text ? `: ${text}` : ''}`));
    });
  });
}

export function localExecutor(options: { jobs?: number } = {}): Executor {
  return {
    name: 'local',
    async run<K, M>(units: Unit<K>[], run: ExecuteOptions<K, M> = {}): Promise<ExecuteResult<K>> {
      const backend = currentBackend()?.name;
      const queue = [...units];
      const failures: ExecuteResult<K>['failures'] = [];
      const lanes = Math.max(1, Math.min(options.jobs ?? defaultJobs(), queue.length || 1));
      const lane = async () => {
        for (let unit = queue.shift(); unit; unit = queue.shift()) {
          const { key, job } = unit;
          // Interrupted: the units not started are left for the next run.
          if (isStopping()) {
            failures.push({ key, message: 'not started: the command was interrupted' });
            continue;
          }
          try {
            await runOne<M>({ ...job, backend: job.backend ?? backend }, (m) => run.onMessage?.(key, m));
          } catch (e) {
            failures.push({ key, message: (e as Error).message });
          }
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      return { failures };
    },
  };
}
