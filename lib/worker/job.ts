// A unit of work a worker process runs: a job kind from the registry
// (job-kinds.ts), its payload (plain JSON) and the backend the parent chose,
// so the worker computes on the same one without every signature passing it.
// The messages a worker sends its parent are below: progress while it runs,
// then its result with what the process used (usage.ts measures it).
import type { ComputeTallies } from '../util/compute-meter';

export interface Job<P = unknown> {
  kind: string;
  payload: P;
  /** The parent's backend; the worker chooses the same. */
  backend?: string;
}

/** What a running job can do besides computing: tell its parent how far it is. */
export interface JobContext<M = unknown> {
  progress(message: M): void;
}

export interface JobKind<P = unknown, M = unknown> {
  /** Shown in failures and logs, e.g. "training seed 3". */
  describe(payload: P): string;
  run(payload: P, context: JobContext<M>): Promise<unknown>;
}

/** What a worker process used for its job. */
export interface WorkerUsage {
  /** Seconds from the process's start to the job's start (node, TypeScript, the backend). */
  startSeconds: number;
  /** CPU seconds (user + system) of that start. */
  startCpuSeconds: number;
  /** Seconds the job itself ran. */
  jobSeconds: number;
  /** CPU seconds of the whole process, start included. */
  cpuSeconds: number;
  /** The highest resident memory seen (process.memoryUsage().rss, sampled), bytes. */
  rssPeak: number;
  /** The kernel's high-water mark of resident memory (VmHWM), bytes, where /proc has it. */
  vmHwm?: number;
  /** Time in the work itself (lib/util/compute-meter.ts). */
  compute: ComputeTallies;
}

/** Worker → parent, over IPC. */
export type WorkerMessage<M = unknown> = { type: 'progress'; message: M } | { type: 'result'; result: unknown; usage: WorkerUsage };
