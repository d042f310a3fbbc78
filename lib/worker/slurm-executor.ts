// Runs a stage's units as Slurm jobs: the units go into a jobs file in the
// run folder's Slurm folder (RunFolder.slurm), one job array is submitted
// whose task i runs `node <worker entry> --jobs-file <file> --index i`, and
// each task's progress messages come back through a progress file
// (progress-file.ts) to the stage's usual progress line.
//
// Two ways to drive a run (README "On a cluster"):
//   - 'wait': this process is the driver. It submits a stage's array,
//     follows it (exit-status and progress files every second, squeue every
//     few seconds) and goes on with the stage: the merge (metrics, tables,
//     report) runs here, with the same code as a local run.
//   - 'chain': this process is a link of a chain of jobs. It submits the
//     array and a job that runs the same command again after it
//     (--dependency=afterok), then stops (ChainContinues). That job resumes:
//     every unit is finished, so the stage only merges, and goes on to the
//     next stage's array and link, until the command is done. The first
//     link is submitted by submitChain() without running anything.
// A resumed stage hands over only its unfinished units, so re-submitting a
// run re-runs exactly the units that failed.
import * as fs from 'fs';
import { currentBackend } from '../backend/select';
import { SlurmResources, taskFiles } from '../executor/slurm/batch-script';
import { exitFileStatus, SlurmClient, UnitStatus } from '../executor/slurm/slurm-client';
import { FINAL_STATES, UnitState } from '../executor/slurm/task-state';
import type { SlurmSubmissionRecord } from '../run/files';
import { displayPath } from '../run/locations';
import type { SlurmFolder } from '../run/run-folder';
import { readJson, writeJsonAtomic } from '../util/atomic-write';
import { onStop } from './children';
import type { UnitsFile } from './entry';
import { commandLineScript, workerCommand } from './entry-script';
import type { ExecuteOptions, ExecuteResult, Executor, Unit } from './executor';
import type { Job } from './job';
import { jobKind } from './job-kinds';
import { stderrTail } from './local-executor';
import { readProgress } from './progress-file';

export type SlurmMode = 'wait' | 'chain';

/** The hidden flag that marks a command line as a link of a chain. */
export const CHAIN_FLAG = '--slurm-chain';

export interface SlurmSettings {
  folder: SlurmFolder;
  resources: SlurmResources;
  /** The smile-lens command line that drives the run (without the program), e.g. ['experiment', '--small', '--executor', 'slurm']. */
  command: string[];
  client: SlurmClient;
  /** Where the jobs run (relative paths of the command resolve here; default: this process's folder). */
  workDir?: string;
  /** Seconds between two squeue calls while following (default 5; files are read every second). */
  pollSeconds?: number;
  /** Permanent messages (a submission, a cancelled job). */
  log?: (line: string) => void;
}

/** Thrown by a chain link after it submitted a stage's units and the job that continues after them: the command has done its part. */
export class ChainContinues extends Error {
  constructor(
    readonly units: SlurmSubmissionRecord,
    readonly next: SlurmSubmissionRecord,
  ) {
    super(`submitted job ${units.jobId} (${units.units.length} task${units.units.length === 1 ? '' : 's'}: ${units.kind}) and job ${next.jobId}, which continues after it`);
  }
}

/** The backend the user forced travels with the jobs; otherwise each compute node chooses its own (a GPU node its GPU). */
function forcedBackend(): string | undefined {
  const b = currentBackend();
  return b?.forced ? b.name : undefined;
}

function describeJob(job: Job): string {
  try {
    return jobKind(job.kind).describe(job.payload as never);
  } catch {
    return job.kind;
  }
}

async function submit(s: SlurmSettings, id: string, role: SlurmSubmissionRecord['role'], commands: string[][], what: string[], extra: Partial<SlurmSubmissionRecord>, afterOk?: string[]): Promise<SlurmSubmissionRecord> {
  const workDir = s.workDir ?? process.cwd();
  const name = `smile-lens.${id.replace(/^\d+-/, '')}`;
  const sub = await s.client.submitArray(s.folder.scriptFile(id), { name, commands, logDir: s.folder.logDir, workDir, resources: s.resources }, { afterOk });
  const record: SlurmSubmissionRecord = { ...sub, id, role, ...extra, what, command: s.command, workDir, submitted: new Date().toISOString() };
  s.folder.addSubmission(record);
  return record;
}

/** Writes the units' jobs file and submits them as one array. */
export async function submitUnits(s: SlurmSettings, units: Unit<unknown>[]): Promise<SlurmSubmissionRecord> {
  const kind = [...new Set(units.map((u) => u.job.kind))].join('-');
  const id = s.folder.nextId(kind);
  const jobsFile = s.folder.jobsFile(id);
  const backend = forcedBackend();
  const file: UnitsFile = { jobs: units.map((u) => ({ ...u.job, backend: u.job.backend ?? backend })) };
  writeJsonAtomic(jobsFile, file);
  const { script, execArgv } = workerCommand();
  const commands = units.map((_, i) => ['node', ...execArgv, script, '--jobs-file', jobsFile, '--index', String(i), '--progress-file', s.folder.progressFile(id, i)]);
  return submit(s, id, 'units', commands, units.map((u) => describeJob(u.job)), { kind, jobsFile });
}

/** Submits the command itself as one job (a link of the chain), after `afterOk` when given. */
export async function submitChain(s: SlurmSettings, afterOk?: string[]): Promise<SlurmSubmissionRecord> {
  const argv = [...s.command.filter((a) => a !== CHAIN_FLAG), CHAIN_FLAG];
  const command = ['node', commandLineScript(), ...argv];
  const what = `smile-lens ${s.command.join(' ')}${afterOk ? `, after job ${afterOk.join(' and ')}: merges what finished and goes on` : ''}`;
  return submit(s, s.folder.nextId('chain'), 'chain', [command], [what], {}, afterOk);
}

/** The last lines of a task's stderr ('' when it wrote none). */
export function logTail(file: string): string {
  try {
    return stderrTail(fs.readFileSync(file, 'utf8'));
  } catch {
    return '';
  }
}

/** A task that did not complete, in words: its id, how it ended, its last lines and its log file. */
export function taskFailure(s: UnitStatus): string {
  const how = s.state === 'failed' ? `failed${s.exitCode !== undefined ? ` (exit ${s.exitCode}${s.signal ? `, signal ${s.signal}` : ''})` : ''}` : s.state;
  const why = s.reason && s.reason !== 'NonZeroExitCode' ? ` — ${s.reason}` : '';
  const tail = logTail(s.stderr);
  return `Slurm task ${s.jobId} ${how}${why}${tail ? `: ${tail}` : ''}\n  log: ${s.stderr}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Follows one array until every task has ended, handing each progress message to `onMessage`. */
async function follow<K, M>(s: SlurmSettings, record: SlurmSubmissionRecord, units: Unit<K>[], options: ExecuteOptions<K, M>): Promise<ExecuteResult<K>> {
  const offsets = units.map(() => 0);
  const ended = new Map<number, UnitStatus>();
  const readMessages = () =>
    units.forEach((u, i) => {
      const r = readProgress(s.folder.progressFile(record.id, i), offsets[i]);
      offsets[i] = r.offset;
      for (const m of r.messages) options.onMessage?.(u.key, m as M);
    });
  // An interrupted driver takes its jobs with it, as a local run takes its workers.
  const unregister = onStop(() => s.client.cancel([record]));
  const pollMs = (s.pollSeconds ?? 5) * 1000;
  let polled = Date.now();
  let errors = 0;
  try {
    while (ended.size < units.length) {
      await sleep(1000);
      readMessages();
      // The batch script writes a task's exit status last: reading it needs no controller.
      units.forEach((_, i) => {
        if (ended.has(i)) return;
        const files = taskFiles(record.logDir, record.name, record.jobId, i);
        if (fs.existsSync(files.exit)) ended.set(i, { unit: i, jobId: `${record.jobId}_${i}`, stdout: files.stdout, stderr: files.stderr, ...exitFileStatus(files.exit) });
      });
      if (ended.size === units.length || Date.now() - polled < pollMs) continue;
      polled = Date.now();
      // Tasks that end without writing their status (cancelled, timed out, a node lost) are known to squeue.
      try {
        const [statuses] = await s.client.submissionStatuses([record]);
        errors = 0;
        for (const st of statuses) if (!ended.has(st.unit) && FINAL_STATES.has(st.state)) ended.set(st.unit, st);
      } catch (e) {
        if (++errors > 5) throw e;
      }
    }
    readMessages();
  } finally {
    unregister();
  }
  return { failures: units.flatMap((u, i) => (ended.get(i)!.state === 'completed' ? [] : [{ key: u.key, message: taskFailure(ended.get(i)!) }])) };
}

/** The job this process runs in, when it is a Slurm job (an array task is known by its array's id). */
function ownJobId(): string | undefined {
  return process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID;
}

/** The units the array this chain link waited for ran (empty outside a link). */
function unitsBeforeThisLink(folder: SlurmFolder): Job[] {
  const own = ownJobId();
  const records = folder.readSubmissions();
  const link = records.find((r) => r.role === 'chain' && r.jobId === own);
  const before = records.find((r) => r.role === 'units' && link?.afterOk?.includes(r.jobId));
  return before?.jobsFile ? readJson<UnitsFile>(before.jobsFile, 'a jobs file').jobs : [];
}

export function slurmExecutor(s: SlurmSettings, mode: SlurmMode): Executor {
  // A link submits one array and one next link: units asked for side by side
  // (the sweep's strengths) after the first wait for the next link.
  let linked: Promise<never> | undefined;
  return {
    name: 'slurm',
    // As submitted and tested: a chain link re-runs the command after each array, and a driver follows one stage's jobs at a time.
    oneStageAtATime: true,
    async run<K, M>(units: Unit<K>[], options: ExecuteOptions<K, M> = {}): Promise<ExecuteResult<K>> {
      if (units.length === 0) return { failures: [] };
      if (mode === 'chain') {
        if (linked) return linked;
        // A unit that just completed and is still unfinished for its stage would be submitted for ever.
        const done = new Set(unitsBeforeThisLink(s.folder).map((j) => JSON.stringify({ kind: j.kind, payload: j.payload })));
        const again = units.filter((u) => done.has(JSON.stringify({ kind: u.job.kind, payload: u.job.payload })));
        if (again.length) throw new Error(`${again.map((u) => describeJob(u.job)).join('; ')}: completed in the previous job array, but the stage finds it unfinished (see its log in ${displayPath(s.folder.logDir)})`);
        linked = (async () => {
          const record = await submitUnits(s, units);
          // After this link too, which is still ending when a quick array is done (and would look like a second driver).
          const own = ownJobId();
          throw new ChainContinues(record, await submitChain(s, own ? [record.jobId, own] : [record.jobId]));
        })();
        return linked;
      }
      const record = await submitUnits(s, units);
      s.log?.(`submitted job ${record.jobId}: ${units.length} task${units.length === 1 ? '' : 's'} (${record.kind}), logs in ${displayPath(s.folder.logDir)}`);
      return follow(s, record, units, options);
    },
  };
}

export interface SubmissionState {
  record: SlurmSubmissionRecord;
  units: UnitStatus[];
}

/** Every submission of a Slurm folder with its tasks' latest state (one squeue call). */
export async function submissionStates(folder: SlurmFolder, client: SlurmClient): Promise<SubmissionState[]> {
  const records = folder.readSubmissions();
  const statuses = await client.submissionStatuses(records);
  return records.map((record, i) => ({ record, units: statuses[i] }));
}

export const LIVE: ReadonlySet<UnitState> = new Set(['pending', 'running']);

/**
 * Before a driver submits anything: no other job of this folder may be
 * queued or running (two drivers would train the same seed into the same
 * files). A job that waits for one that failed can never start: it is
 * cancelled, and said so.
 */
export async function claimFolder(s: SlurmSettings): Promise<void> {
  if (s.folder.readSubmissions().length === 0) return;
  const own = ownJobId();
  const states = (await submissionStates(s.folder, s.client)).filter((x) => x.record.jobId !== own);
  const live = states.filter((x) => x.units.some((u) => LIVE.has(u.state)));
  if (live.length) {
    const dir = displayPath(s.folder.owner);
    throw new Error(
      `${dir}: job${live.length === 1 ? '' : 's'} ${live.map((x) => x.record.jobId).join(', ')} of this run ${live.length === 1 ? 'is' : 'are'} still queued or running; ` +
        `follow them with \`smile-lens status --run ${dir} --wait\` or cancel them with \`smile-lens status --run ${dir} --cancel\``,
    );
  }
  const blocked = states.filter((x) => x.units.some((u) => u.state === 'blocked'));
  if (blocked.length) {
    await s.client.cancel(blocked.map((x) => x.record));
    s.log?.(`cancelled job${blocked.length === 1 ? '' : 's'} ${blocked.map((x) => x.record.jobId).join(', ')}: ${blocked.length === 1 ? 'it' : 'they'} waited for a job that failed`);
  }
}

export interface Outstanding {
  record: SlurmSubmissionRecord;
  status: UnitStatus;
  what: string;
}

/**
 * The tasks whose failure still stands: a unit's task that did not complete
 * and was not completed by a later submission (a re-run), and the last link
 * of a chain when it failed or can never start. Cancelled links are not
 * counted (re-running a run cancels those that waited for a failure).
 */
export function outstandingFailures(states: SubmissionState[]): Outstanding[] {
  const completedLater = (index: number, what: string) =>
    states.slice(index + 1).some((x) => x.record.role === 'units' && x.units.some((u) => u.state === 'completed' && x.record.what[u.unit] === what));
  const out: Outstanding[] = [];
  const lastLink = states.map((x) => x.record.role).lastIndexOf('chain');
  states.forEach((x, i) => {
    for (const u of x.units) {
      const what = x.record.what[u.unit] ?? x.record.name;
      if (u.state === 'completed' || LIVE.has(u.state)) continue;
      if (x.record.role === 'units' ? !completedLater(i, what) : i === lastLink && u.state !== 'cancelled') out.push({ record: x.record, status: u, what });
    }
  });
  return out;
}
