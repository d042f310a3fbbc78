// Runs units in worker processes on this machine, a few at a time. Each
// worker is a fresh process, so the numbers do not depend on how many run at
// once; the wasm backend uses one core per process, so processes are how
// smile-lens uses every core. One executor's limit holds across all its
// calls: stages that run side by side (the main job) share its lanes, and
// units wait their turn by priority, then in the order they were handed over.
import { fork } from 'child_process';
import { defaultJobs } from '../util/cores';
import { currentBackend } from '../backend/select';
import { adopt, isStopping, PARENT_ENV } from './children';
import { workerCommand } from './entry-script';
import type { ExecuteOptions, ExecuteResult, Executor, Unit, UnitRun } from './executor';
import type { Job, WorkerMessage, WorkerUsage } from './job';


/** The last lines a worker wrote to stderr, without TensorFlow.js's banner. */
export function stderrTail(stderr: string): string {
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
    const child = fork(script, ['--job', JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv, env: { ...process.env, [PARENT_ENV]: String(process.pid) } });
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
      const text = stderrTail(stderr);
      reject(new WorkerFailure(`the worker ${why}${text ? `: ${text}` : ''}`, seconds));
    });
  });
}

/** At most `limit` holders at once; waiters are served by priority, then in arrival order. */
export function lanes(limit: number): { acquire(priority: number): Promise<void>; release(): void } {
  let busy = 0;
  const waiting: { priority: number; start: () => void }[] = [];
  return {
    acquire: (priority) => {
      if (busy < limit) {
        busy++;
        return Promise.resolve();
      }
      return new Promise<void>((start) => {
        // After every waiter of the same or a higher priority.
        const at = waiting.findIndex((w) => w.priority < priority);
        waiting.splice(at < 0 ? waiting.length : at, 0, { priority, start });
      });
    },
    // A freed lane passes straight to the next waiter.
    release: () => (waiting.length ? waiting.shift()!.start() : busy--),
  };
}

export function localExecutor(options: { jobs?: number } = {}): Executor {
  const pool = lanes(Math.max(1, options.jobs ?? defaultJobs()));
  return {
    name: 'local',
    async run<K, M>(units: Unit<K>[], run: ExecuteOptions<K, M> = {}): Promise<ExecuteResult<K>> {
      const backend = currentBackend()?.name;
      const failures: ExecuteResult<K>['failures'] = [];
      const runs: UnitRun<K>[] = [];
      await Promise.all(
        units.map(async ({ key, job, priority }) => {
          await pool.acquire(priority ?? 0);
          // Interrupted: the units not started are left for the next run.
          if (isStopping()) {
            pool.release();
            failures.push({ key, message: 'not started: the command was interrupted' });
            return;
          }
          try {
            const done = await runOne<M>({ ...job, backend: job.backend ?? backend }, (m) => run.onMessage?.(key, m));
            runs.push({ key, kind: job.kind, ...done });
          } catch (e) {
            failures.push({ key, message: (e as Error).message });
            runs.push({ key, kind: job.kind, seconds: e instanceof WorkerFailure ? e.seconds : 0 });
          } finally {
            pool.release();
          }
        }),
      );
      return { failures, runs };
    },
  };
}
