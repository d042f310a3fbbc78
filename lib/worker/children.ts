// Every worker process this process started, so that none outlives it: on
// SIGINT, SIGTERM or SIGHUP the command line stops them all before it exits
// (and each worker also exits when its IPC channel to us closes, which covers
// a parent killed outright). Work started elsewhere on our behalf (Slurm
// jobs a waiting command follows) registers a stop hook instead.
import type { ChildProcess } from 'child_process';

const live = new Set<ChildProcess>();
let stopping = false;

/** The environment variable that tells a worker which process is its parent (entry.ts ends the worker when it is gone). */
export const PARENT_ENV = 'SMILE_LENS_WORKER_PARENT';

/** Once stopChildren has been called, no new worker may start (an executor's queue stops here). */
export function isStopping(): boolean {
  return stopping;
}

const hooks = new Set<() => Promise<void>>();

/** Runs `hook` when the command line is interrupted; returns the function that unregisters it. */
export function onStop(hook: () => Promise<void>): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function adopt(child: ChildProcess): void {
  // Started while stopping (a race with the executor's queue): it goes too.
  if (stopping) child.kill('SIGKILL');
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function liveChildren(): number {
  return live.size;
}

/** Sends `signal` to every live worker and waits (up to `graceMs`) for them to exit, then kills what is left. */
export async function stopChildren(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  stopping = true;
  const waiting = [...live].map((c) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()))));
  for (const c of live) c.kill(signal);
  const hooksDone = [...hooks].map((h) => h().catch(() => undefined));
  const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([Promise.all([...waiting, ...hooksDone]), timer]);
  for (const c of live) c.kill('SIGKILL');
}
