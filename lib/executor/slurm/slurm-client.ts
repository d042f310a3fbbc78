// A small Slurm client for an executor that has "N units, each run by this
// command line" and wants per-unit state back: it writes and submits job
// arrays (sbatch --parsable), submits jobs that wait for others
// (--dependency=afterok:), follows units (squeue; sacct where accounting is
// on; the exit-status files of batch-script.ts when neither knows the job any
// more), cancels (scancel) and re-runs chosen units alone (--array=<ids>).
//
// Everything it needs to remember between calls is in a Submission (plain
// JSON), so a later process — `status`, a resumed run — can pick it up.
import * as fs from 'fs';
import * as path from 'path';
import { CommandResult, runCommand } from './run-command';
import { arraySpec, ArrayJob, batchScript, taskFiles } from './batch-script';
import { accountingEnabled, FINAL_STATES, parseSacct, parseSqueue, SACCT_FORMAT, SQUEUE_FORMAT, TaskRecord, unitState, UnitState } from './task-state';

/** One sbatch call: which units it runs, and where their logs are. */
export interface Submission {
  /** The array job id sbatch printed. */
  jobId: string;
  name: string;
  script: string;
  logDir: string;
  /** Units (= array task ids) this submission runs. */
  units: number[];
  /** Jobs that must end successfully first (afterok). */
  afterOk?: string[];
}

export interface UnitStatus {
  unit: number;
  /** "<array job>_<task>", as squeue and scancel spell it. */
  jobId: string;
  state: UnitState;
  /** Slurm's own state name and pending/failure reason, when Slurm still knows the task. */
  slurmState?: string;
  reason?: string;
  exitCode?: number;
  signal?: number;
  stdout: string;
  stderr: string;
}

/** Runs one Slurm command (injectable, so the client's logic is testable without a cluster). */
export type SlurmRunner = (command: string, args: string[]) => Promise<CommandResult>;

/** Runs Slurm's commands as child processes, with `env` added (e.g. SLURM_CONF). */
export function processRunner(env: Record<string, string> = {}): SlurmRunner {
  return (command, args) =>
    runCommand(command, args, { env }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      throw new Error(`${command}: not found — the Slurm client commands (sbatch, squeue, scancel, scontrol) must be on PATH (a login node of the cluster; on Debian: apt-get install slurm-client)`);
    });
}

export interface FollowOptions {
  /** Seconds between polls (default 10: kind to a busy controller). */
  intervalSeconds?: number;
  /** Called after every poll with each unit's latest status. */
  onUpdate?: (statuses: UnitStatus[]) => void;
  /** Polls in a row that may fail (a controller restarting, a time-out) before follow() gives up; default 5. */
  tolerateErrors?: number;
  signal?: AbortSignal;
}

export class SlurmClient {
  private readonly run: SlurmRunner;
  private accounting?: boolean;

  constructor(options: { runner?: SlurmRunner; env?: Record<string, string> } = {}) {
    this.run = options.runner ?? processRunner(options.env);
  }

  private async must(command: string, args: string[]): Promise<string> {
    const r = await this.run(command, args);
    if (r.code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** Writes `job`'s script to `scriptPath` and submits it as an array, one task per unit. */
  async submitArray(scriptPath: string, job: ArrayJob, options: { afterOk?: string[] } = {}): Promise<Submission> {
    const text = batchScript(job);
    fs.mkdirSync(path.dirname(scriptPath), { recursive: true });
    fs.writeFileSync(scriptPath, text, { mode: 0o755 });
    return this.submit({ jobId: '', name: job.name, script: scriptPath, logDir: job.logDir, units: job.commands.map((_, i) => i) }, options.afterOk);
  }

  /** Submits `units` of an earlier submission's script again (new job id, new logs). */
  async resubmit(previous: Submission, units: number[], options: { afterOk?: string[] } = {}): Promise<Submission> {
    const outside = units.filter((u) => !previous.units.includes(u));
    if (outside.length) throw new Error(`${previous.script}: units ${outside.join(', ')} are not in job ${previous.jobId} (units ${arraySpec(previous.units)})`);
    const { jobId: _id, afterOk: _after, ...same } = previous;
    return this.submit({ ...same, jobId: '', units: [...units].sort((a, b) => a - b) }, options.afterOk);
  }

  private async submit(sub: Submission, afterOk: string[] | undefined): Promise<Submission> {
    fs.mkdirSync(sub.logDir, { recursive: true }); // Slurm does not create it; a task without it fails silently.
    // Options on the command line override the script's #SBATCH lines.
    const args = ['--parsable', `--array=${arraySpec(sub.units)}`];
    if (afterOk?.length) args.push(`--dependency=afterok:${afterOk.join(':')}`);
    const out = await this.must('sbatch', [...args, sub.script]);
    const jobId = out.trim().split(';')[0];
    if (!/^\d+$/.test(jobId)) throw new Error(`sbatch ${sub.script}: expected a job id, got "${out.trim()}"`);
    return { ...sub, jobId, ...(afterOk?.length ? { afterOk } : {}) };
  }

  /** Whether sacct can be asked (asked once: scontrol show config). */
  async hasAccounting(): Promise<boolean> {
    if (this.accounting === undefined) this.accounting = accountingEnabled(await this.must('scontrol', ['show', 'config']));
    return this.accounting;
  }

  private async squeue(jobIds: string[]): Promise<TaskRecord[]> {
    const r = await this.run('squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-O', SQUEUE_FORMAT]);
    // Every id already forgotten by the controller: squeue says so and exits 1.
    if (r.code !== 0 && /Invalid job id/i.test(r.stderr)) return [];
    if (r.code !== 0) throw new Error(`squeue failed (exit ${r.code}): ${r.stderr.trim()}`);
    return parseSqueue(r.stdout);
  }

  private async sacct(jobIds: string[]): Promise<TaskRecord[]> {
    return parseSacct(await this.must('sacct', ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', SACCT_FORMAT]));
  }

  /**
   * Each submission's units (its own task ids, kept apart from other
   * submissions'), asking squeue once for all of them.
   */
  async submissionStatuses(submissions: Submission[]): Promise<UnitStatus[][]> {
    const jobIds = [...new Set(submissions.map((s) => s.jobId))];
    if (jobIds.length === 0) return [];
    const key = (job: string, task: number) => `${job}_${task}`;
    const known = new Map<string, TaskRecord>();
    for (const r of await this.squeue(jobIds)) known.set(key(r.arrayJobId, r.taskId), r);
    const missing = submissions.filter((s) => s.units.some((u) => !known.has(key(s.jobId, u))));
    if (missing.length && (await this.hasAccounting())) {
      for (const r of await this.sacct([...new Set(missing.map((s) => s.jobId))])) known.set(key(r.arrayJobId, r.taskId), r);
    }
    return submissions.map((s) =>
      s.units.map((unit) => {
        const files = taskFiles(s.logDir, s.name, s.jobId, unit);
        const base = { unit, jobId: key(s.jobId, unit), stdout: files.stdout, stderr: files.stderr };
        const r = known.get(key(s.jobId, unit));
        if (r) {
          const { slurmState, reason, exitCode, signal } = r;
          return { ...base, state: unitState(r.slurmState, r.reason), slurmState, reason, exitCode, signal };
        }
        return { ...base, ...exitFileStatus(files.exit) };
      }),
    );
  }

  /**
   * Each unit's latest status over `submissions` (a later submission of a
   * unit — a re-run — replaces an earlier one).
   */
  async unitStatuses(submissions: Submission[]): Promise<UnitStatus[]> {
    const latest = new Map<number, Submission>();
    for (const s of submissions) for (const u of s.units) latest.set(u, s);
    const parts = [...latest].sort(([a], [b]) => a - b).map(([unit, s]) => ({ ...s, units: [unit] }));
    return (await this.submissionStatuses(parts)).flat();
  }

  /** Polls until every unit is in a final state; returns the final statuses. */
  async follow(submissions: Submission[], options: FollowOptions = {}): Promise<UnitStatus[]> {
    const interval = (options.intervalSeconds ?? 10) * 1000;
    let errors = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      let statuses: UnitStatus[] | undefined;
      try {
        statuses = await this.unitStatuses(submissions);
        errors = 0;
      } catch (e) {
        if (++errors > (options.tolerateErrors ?? 5)) throw e;
      }
      if (statuses) {
        options.onUpdate?.(statuses);
        if (statuses.every((s) => FINAL_STATES.has(s.state))) return statuses;
      }
      await sleep(interval, options.signal);
    }
  }

  /** Cancels whole submissions, or only `units` of them. */
  async cancel(submissions: Submission[], units?: number[]): Promise<void> {
    const ids = units
      ? submissions.flatMap((s) => s.units.filter((u) => units.includes(u)).map((u) => `${s.jobId}_${u}`))
      : submissions.map((s) => s.jobId);
    if (ids.length) await this.must('scancel', ids);
  }
}

/** A task Slurm no longer knows: its exit-status file says how it ended, if it ended. */
export function exitFileStatus(file: string): Pick<UnitStatus, 'state' | 'exitCode' | 'reason'> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return { state: 'unknown', reason: 'Slurm no longer knows the task (purged after MinJobAge, no accounting) and it left no exit status (cancelled, timed out, or never started)' };
  }
  const code = Number(text);
  if (!/^\d+$/.test(text)) return { state: 'unknown', reason: `${file}: expected an exit status, found "${text.slice(0, 40)}"` };
  if (code === 0) return { state: 'completed', exitCode: 0 };
  // 128 + n: the command was killed by signal n (scancel, a time limit, the OOM killer).
  return { state: 'failed', exitCode: code, reason: code > 128 ? `killed by signal ${code - 128}` : 'NonZeroExitCode' };
}

/** Units whose latest attempt failed or was cancelled (to re-submit). */
export function unitsToRerun(statuses: UnitStatus[], states: UnitState[] = ['failed', 'cancelled', 'unknown']): number[] {
  return statuses.filter((s) => states.includes(s.state)).map((s) => s.unit);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
