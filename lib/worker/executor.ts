// An executor runs independent units of work (a seed's training, a seed's
// explanations…) and reports their progress and failures. The local one is a
// pool of worker processes on this machine; the Slurm one submits job arrays.
// Stages hand over units and never ask which executor runs them.
import type { Job } from './job';

export interface Unit<K> {
  key: K;
  job: Job;
}

export interface ExecuteOptions<K, M> {
  onMessage?: (key: K, message: M) => void;
}

export interface ExecuteResult<K> {
  failures: { key: K; message: string }[];
}

export interface Executor {
  readonly name: string;
  run<K, M>(units: Unit<K>[], options?: ExecuteOptions<K, M>): Promise<ExecuteResult<K>>;
}
