// What Slurm says about array tasks, read into one small vocabulary. Three
// sources, in the order slurm-client.ts asks them: the controller (squeue,
// which keeps finished jobs for MinJobAge, 300 s by default), accounting
// (sacct, only where slurmdbd runs) and the exit-status file the batch
// script writes (batch-script.ts). Parsing is pure and tested on captured
// output.

/** A unit's state; `blocked` = pending on a dependency that can never be met. */
export type UnitState = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'blocked' | 'unknown';

/** States after which nothing more happens without a re-submission. */
export const FINAL_STATES: ReadonlySet<UnitState> = new Set(['completed', 'failed', 'cancelled', 'blocked', 'unknown']);

/** One array task as Slurm reports it. */
export interface TaskRecord {
  arrayJobId: string;
  taskId: number;
  /** Slurm's state name, e.g. PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED. */
  slurmState: string;
  reason?: string;
  exitCode?: number;
  signal?: number;
}

const PENDING = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'RESIZING']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'STAGE_OUT', 'SIGNALING', 'SUSPENDED', 'STOPPED']);
const CANCELLED = new Set(['CANCELLED', 'REVOKED']);
// Everything else that ends a job is a failure of the unit (FAILED, TIMEOUT,
// OUT_OF_MEMORY, NODE_FAIL, BOOT_FAIL, DEADLINE, PREEMPTED, SPECIAL_EXIT).

/** Slurm's state (and pending reason) in the units' vocabulary. */
export function unitState(slurmState: string, reason?: string): UnitState {
  const s = slurmState.trim().split(/\s+/)[0].replace(/\+$/, '').toUpperCase(); // sacct: "CANCELLED by 0", "RUNNING+"
  if (s === 'COMPLETED') return 'completed';
  if (PENDING.has(s)) return reason === 'DependencyNeverSatisfied' ? 'blocked' : 'pending';
  if (RUNNING.has(s)) return 'running';
  if (CANCELLED.has(s)) return 'cancelled';
  if (s === '') return 'unknown';
  return 'failed';
}

/** A raw wait status (squeue's exit_code, e.g. 256 = exit 1, 15 = killed by SIGTERM). */
export function decodeWaitStatus(status: number): { exitCode: number; signal: number } {
  return { exitCode: (status >> 8) & 0xff, signal: status & 0x7f };
}

/** "<array job>_<task>" or sacct's "<array job>_[3-5,7]" (tasks not yet started) → ids. */
export function parseArrayJobId(id: string): { arrayJobId: string; taskIds: number[] } | undefined {
  const m = /^(\d+)_(\d+|\[([\d,\-%]+)\])$/.exec(id.trim());
  if (!m) return undefined;
  if (!m[3]) return { arrayJobId: m[1], taskIds: [Number(m[2])] };
  const taskIds: number[] = [];
  for (const part of m[3].split('%')[0].split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let t = a; t <= (b ?? a); t++) taskIds.push(t);
  }
  return { arrayJobId: m[1], taskIds };
}

/** The squeue fields asked for, in the order squeueTasks() reads them. */
export const SQUEUE_FORMAT = 'JobArrayID:0|,State:0|,Reason:0|,exit_code:0';

/** `squeue -h -r -t all -O <SQUEUE_FORMAT>` → the array tasks it lists. */
export function parseSqueue(text: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [id, state, reason, status] = line.split('|').map((f) => f.trim());
    const ids = parseArrayJobId(id);
    if (!ids || state === undefined) continue;
    const wait = /^\d+$/.test(status ?? '') ? decodeWaitStatus(Number(status)) : undefined;
    for (const taskId of ids.taskIds) {
      out.push({ arrayJobId: ids.arrayJobId, taskId, slurmState: state, reason: reason && reason !== 'None' ? reason : undefined, ...wait });
    }
  }
  return out;
}

/** The sacct fields asked for, in the order parseSacct() reads them. */
export const SACCT_FORMAT = 'JobID,State,ExitCode';

/** `sacct -n -P -X -o <SACCT_FORMAT>` → array tasks (ExitCode is "exit:signal"). */
export function parseSacct(text: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [id, state, exit] = line.split('|').map((f) => f.trim());
    const ids = parseArrayJobId(id);
    if (!ids || state === undefined) continue;
    const m = /^(\d+):(\d+)$/.exec(exit ?? '');
    const codes = m ? { exitCode: Number(m[1]), signal: Number(m[2]) } : {};
    const words = state.split(/\s+/);
    for (const taskId of ids.taskIds) out.push({ arrayJobId: ids.arrayJobId, taskId, slurmState: words[0], ...codes });
  }
  return out;
}

/** `scontrol show config` → whether sacct can answer (accounting storage other than none). */
export function accountingEnabled(configText: string): boolean {
  const m = /^AccountingStorageType\s*=\s*(\S+)/m.exec(configText);
  return !!m && m[1] !== 'accounting_storage/none' && m[1] !== '(null)';
}
