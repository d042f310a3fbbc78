// Runs units in worker processes on this machine, a few at a time. Each
// worker is a fresh process, so the numbers do not depend on how many run at
// once; the wasm backend uses one core per process, so processes are how
// smile-lens uses every core.
import { fork } from 'child_process';
import { defaultJobs } from '../util/cores';
import { currentBackend } from '../backend/select';
import { adopt } from './children';
import { workerCommand } from './entry-script';
import type { ExecuteOptions, ExecuteResult, Executor, Unit, UnitRun } from './executor';
import type { Job, WorkerMessage, WorkerUsage } from './job';


/** The last lines a worker wrote to stderr, without TensorFlow.js's banner. */
function tail(stderr: string): string {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => !/^=+$|Hi, looks like you are running|tfjs-node|^\s*$/.test(l))
    .slice(-8)
    .join('\n');
}

class WorkerFailure extends Error {
  constructor(message: string, readonly seconds: number) {
    super(message);
  }
}

function runOne<M>(job: Job, onMessage?: (message: M) => void): Promise<{ seconds: number; usage?: WorkerUsage }> {
  const { script, execArgv } = workerCommand();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--job', JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv });
    adopt(child);
    let stderr = '';
    let usage: WorkerUsage | undefined;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: WorkerMessage<M>) => {
      if (m.type === 'progress') onMessage?.(m.message);
      else if (m.type === 'result') usage = m.usage;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) return resolve({ seconds, usage });
      const why = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      const text = tail(stderr);
      reject(new WorkerFailure(`the worker ${why}${text ? `: ${text}` : ''}`, seconds));
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
      const runs: UnitRun<K>[] = [];
      const lanes = Math.max(1, Math.min(options.jobs ?? defaultJobs(), queue.length || 1));
      const lane = async () => {
        for (let unit = queue.shift(); unit; unit = queue.shift()) {
          const { key, job } = unit;
          try {
            const done = await runOne<M>({ ...job, backend: job.backend ?? backend }, (m) => run.onMessage?.(key, m));
            runs.push({ key, kind: job.kind, ...done });
          } catch (e) {
            failures.push({ key, message: (e as Error).message });
            runs.push({ key, kind: job.kind, seconds: e instanceof WorkerFailure ? e.seconds : 0 });
          }
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      return { failures, runs };
    },
  };
}
