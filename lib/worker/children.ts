// Every worker process this process started, so that none outlives it: on
// SIGINT, SIGTERM or SIGHUP the command line stops them all before it exits
// (and each worker also exits when its IPC channel to us closes, which covers
// a parent killed outright). Work started elsewhere on our behalf (Slurm
// jobs a waiting command follows) registers a stop hook instead.
import type { ChildProcess } from 'child_process';

const live = new Set<ChildProcess>();
const hooks = new Set<() => Promise<void>>();

/** Runs `hook` when the command line is interrupted; returns the function that unregisters it. */
export function onStop(hook: () => Promise<void>): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function adopt(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function liveChildren(): number {
  return live.size;
}

/** Sends `signal` to every live worker and waits (up to `graceMs`) for them to exit, then kills what is left. */
export async function stopChildren(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  const waiting = [...live].map((c) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()))));
  for (const c of live) c.kill(signal);
  const stopping = [...hooks].map((h) => h().catch(() => undefined));
  const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([Promise.all([...waiting, ...stopping]), timer]);
  for (const c of live) c.kill('SIGKILL');
}
