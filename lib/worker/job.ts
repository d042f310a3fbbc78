// A unit of work a worker process runs: a job kind from the registry
// (job-kinds.ts), its payload (plain JSON) and the backend the parent chose,
// so the worker computes on the same one without every signature passing it.
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
