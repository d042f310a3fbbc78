// An executor runs independent units of work (a seed's training, a seed's
// explanations…) and reports their progress and failures. The local one is a
// pool of worker processes on this machine; the Slurm one submits job arrays.
// Stages hand over units and never ask which executor runs them.
import type { Job, WorkerUsage } from './job';

export interface Unit<K> {
  key: K;
  job: Job;
  /** Waiting units with a higher priority start first (default 0); an executor may ignore it. */
  priority?: number;
}

export interface ExecuteOptions<K, M> {
  onMessage?: (key: K, message: M) => void;
}

/** One unit as it ran: how long the executor held it (start to exit) and what the worker reported using. */
export interface UnitRun<K> {
  key: K;
  kind: string;
  seconds: number;
  /** Absent when the worker could not report it (it failed, or the executor cannot see it). */
  usage?: WorkerUsage;
}

export interface ExecuteResult<K> {
  failures: { key: K; message: string }[];
  /** Every unit that ran, failed or not, in order of completion. */
  runs?: UnitRun<K>[];
}

export interface Executor {
  readonly name: string;
  /** Stages hand it their units one stage at a time (a Slurm chain resumes the command after each stage's array). */
  readonly oneStageAtATime?: boolean;
  run<K, M>(units: Unit<K>[], options?: ExecuteOptions<K, M>): Promise<ExecuteResult<K>>;
}

/** The same executor, every unit handed to it with `priority` (the main job ranks its stages this way). */
export function withPriority(executor: Executor, priority: number): Executor {
  return {
    name: executor.name,
    oneStageAtATime: executor.oneStageAtATime,
    run: (units, options) => executor.run(units.map((u) => ({ ...u, priority: u.priority ?? priority })), options),
  };
}
